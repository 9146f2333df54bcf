#include "capguard/names.h"

#include "text.h"

namespace capguard {
namespace {

// Fixed-width rows, not pointers, so the table is plain .rodata with no
// relocations even in a PIE. Order and spelling are libcap's, which follow
// include/uapi/linux/capability.h.
constexpr size_t kNameWidth = 23;  // "cap_checkpoint_restore" and its NUL
// clang-format off
constexpr char kCapNames[][kNameWidth] = {
    "cap_chown",            "cap_dac_override",   "cap_dac_read_search", "cap_fowner",
    "cap_fsetid",           "cap_kill",           "cap_setgid",          "cap_setuid",
    "cap_setpcap",          "cap_linux_immutable", "cap_net_bind_service", "cap_net_broadcast",
    "cap_net_admin",        "cap_net_raw",        "cap_ipc_lock",        "cap_ipc_owner",
    "cap_sys_module",       "cap_sys_rawio",      "cap_sys_chroot",      "cap_sys_ptrace",
    "cap_sys_pacct",        "cap_sys_admin",      "cap_sys_boot",        "cap_sys_nice",
    "cap_sys_resource",     "cap_sys_time",       "cap_sys_tty_config",  "cap_mknod",
    "cap_lease",            "cap_audit_write",    "cap_audit_control",   "cap_setfcap",
    "cap_mac_override",     "cap_mac_admin",      "cap_syslog",          "cap_wake_alarm",
    "cap_block_suspend",    "cap_audit_read",     "cap_perfmon",         "cap_bpf",
    "cap_checkpoint_restore",
};
// clang-format on
static_assert(sizeof kCapNames / sizeof kCapNames[0] == kTableLastCap + 1);
static_assert(text::equal_nocase(kCapNames[10], 20, "cap_net_bind_service"));
static_assert(text::equal_nocase(kCapNames[21], 13, "cap_sys_admin"));
static_assert(text::equal_nocase(kCapNames[40], 22, "cap_checkpoint_restore"));

constexpr char kSetNames[kSetCount][12] = {"inheritable", "permitted", "effective", "bounding", "ambient"};

constexpr size_t kPrefixLen = 4;  // "cap_"

bool is_empty_list(const char* s, size_t n) {
  size_t b = 0;
  text::trim(s, &b, &n);
  return b == n || text::equal_nocase(s + b, n - b, "none");
}

}  // namespace

const char* cap_name(int cap) { return cap >= 0 && cap <= kTableLastCap ? kCapNames[cap] : nullptr; }

int parse_cap(const char* s, size_t n) {
  uint64_t bit = 0;
  if (text::parse_decimal(s, n, 63, &bit)) return static_cast<int>(bit);
  if (n > kPrefixLen && text::equal_nocase(s, kPrefixLen, "cap_")) {
    s += kPrefixLen;
    n -= kPrefixLen;
  }
  for (int cap = 0; cap <= kTableLastCap; ++cap)
    if (text::equal_nocase(s, n, kCapNames[cap] + kPrefixLen)) return cap;
  return -1;
}

const char* set_name(Set s) { return kSetNames[static_cast<int>(s)]; }

Result parse_cap_list(const char* s, size_t n, CapSet* out, Word* bad) {
  CapSet caps;
  if (!is_empty_list(s, n) && !text::for_each_word(s, n, bad, [&caps](const char* w, size_t len) {
        bool all = text::equal_nocase(w, len, "all");
        int cap = parse_cap(w, len);
        caps = all ? CapSet{~0ull} : caps.with(cap);
        return all || cap >= 0;
      }))
    return Result::failure(Error::unknown_capability);
  *out = caps;
  return Result::success();
}

Result parse_set_list(const char* s, size_t n, SetMask* out, Word* bad) {
  SetMask sets = 0;
  if (!text::for_each_word(s, n, bad, [&sets](const char* w, size_t len) {
        if (text::equal_nocase(w, len, "all")) {
          sets = kAllSets;
          return true;
        }
        for (int i = 0; i < kSetCount; ++i)
          if (text::equal_nocase(w, len, kSetNames[i])) {
            sets |= set_bit(static_cast<Set>(i));
            return true;
          }
        return false;
      }))
    return Result::failure(Error::unknown_set);
  *out = sets;
  return Result::success();
}

Result parse_hex(const char* s, size_t n, uint64_t* out) {
  if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s += 2;
    n -= 2;
  }
  if (n == 0) return Result::failure(Error::bad_hex);
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    int d = text::hex_value(s[i]);
    if (d < 0 || (v >> 60) != 0) return Result::failure(Error::bad_hex);
    v = v << 4 | static_cast<uint64_t>(d);
  }
  *out = v;
  return Result::success();
}

}  // namespace capguard
