#include "capguard/names.h"

#include "text.h"

namespace capguard {
namespace {

// One string of names, each ended by its NUL, and each one's offset: plain
// .rodata with no relocations even in a PIE, and no padding. Order and
// spelling are libcap's, which follow include/uapi/linux/capability.h.
// clang-format off
constexpr char kCapNames[] =
    "cap_chown\0"             "cap_dac_override\0"      "cap_dac_read_search\0"   "cap_fowner\0"
    "cap_fsetid\0"            "cap_kill\0"              "cap_setgid\0"            "cap_setuid\0"
    "cap_setpcap\0"           "cap_linux_immutable\0"   "cap_net_bind_service\0"  "cap_net_broadcast\0"
    "cap_net_admin\0"         "cap_net_raw\0"           "cap_ipc_lock\0"          "cap_ipc_owner\0"
    "cap_sys_module\0"        "cap_sys_rawio\0"         "cap_sys_chroot\0"        "cap_sys_ptrace\0"
    "cap_sys_pacct\0"         "cap_sys_admin\0"         "cap_sys_boot\0"          "cap_sys_nice\0"
    "cap_sys_resource\0"      "cap_sys_time\0"          "cap_sys_tty_config\0"    "cap_mknod\0"
    "cap_lease\0"             "cap_audit_write\0"       "cap_audit_control\0"     "cap_setfcap\0"
    "cap_mac_override\0"      "cap_mac_admin\0"         "cap_syslog\0"            "cap_wake_alarm\0"
    "cap_block_suspend\0"     "cap_audit_read\0"        "cap_perfmon\0"           "cap_bpf\0"
    "cap_checkpoint_restore";
// clang-format on
struct Offsets {
  uint16_t at[kTableLastCap + 2];  // one past the last: the end
};
// A name too many writes past `at`, which does not compile.
constexpr Offsets offsets() {
  Offsets o{};
  for (size_t i = 0, cap = 1; i < sizeof kCapNames; ++i)
    if (kCapNames[i] == '\0') o.at[cap++] = static_cast<uint16_t>(i + 1);
  return o;
}
constexpr Offsets kOffsets = offsets();
static_assert(kOffsets.at[kTableLastCap + 1] == sizeof kCapNames);  // exactly one name per capability
static_assert(text::equal_nocase(kCapNames + kOffsets.at[10], 20, "cap_net_bind_service"));
static_assert(text::equal_nocase(kCapNames + kOffsets.at[21], 13, "cap_sys_admin"));
static_assert(text::equal_nocase(kCapNames + kOffsets.at[40], 22, "cap_checkpoint_restore"));

constexpr char kSetNames[kSetCount][12] = {"inheritable", "permitted", "effective", "bounding", "ambient"};

constexpr size_t kPrefixLen = 4;  // "cap_"

bool is_empty_list(const char* s, size_t n) {
  size_t b = 0;
  text::trim(s, &b, &n);
  return b == n || text::equal_nocase(s + b, n - b, "none");
}

}  // namespace

const char* cap_name(int cap) { return cap >= 0 && cap <= kTableLastCap ? kCapNames + kOffsets.at[cap] : nullptr; }

int parse_cap(const char* s, size_t n) {
  uint64_t bit = 0;
  if (text::parse_decimal(s, n, 63, &bit)) return static_cast<int>(bit);
  if (n > kPrefixLen && text::equal_nocase(s, kPrefixLen, "cap_")) {
    s += kPrefixLen;
    n -= kPrefixLen;
  }
  for (int cap = 0; cap <= kTableLastCap; ++cap)
    if (text::equal_nocase(s, n, cap_name(cap) + kPrefixLen)) return cap;
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
