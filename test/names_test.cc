#include "capguard/names.h"

#include <gtest/gtest.h>
#include <linux/capability.h>

#include <string>

namespace capguard {
namespace {

int parse(const std::string& s) { return parse_cap(s.data(), s.size()); }

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(toupper(c));
  return s;
}

// The kernel's own numbering (linux-libc-dev), an oracle independent of our table.
struct KernelCap {
  const char* macro;
  int bit;
};
// clang-format off
#define K(x) {#x, x}
constexpr KernelCap kKernelCaps[] = {
    K(CAP_CHOWN),           K(CAP_DAC_OVERRIDE),   K(CAP_DAC_READ_SEARCH), K(CAP_FOWNER),
    K(CAP_FSETID),          K(CAP_KILL),           K(CAP_SETGID),          K(CAP_SETUID),
    K(CAP_SETPCAP),         K(CAP_LINUX_IMMUTABLE), K(CAP_NET_BIND_SERVICE), K(CAP_NET_BROADCAST),
    K(CAP_NET_ADMIN),       K(CAP_NET_RAW),        K(CAP_IPC_LOCK),        K(CAP_IPC_OWNER),
    K(CAP_SYS_MODULE),      K(CAP_SYS_RAWIO),      K(CAP_SYS_CHROOT),      K(CAP_SYS_PTRACE),
    K(CAP_SYS_PACCT),       K(CAP_SYS_ADMIN),      K(CAP_SYS_BOOT),        K(CAP_SYS_NICE),
    K(CAP_SYS_RESOURCE),    K(CAP_SYS_TIME),       K(CAP_SYS_TTY_CONFIG),  K(CAP_MKNOD),
    K(CAP_LEASE),           K(CAP_AUDIT_WRITE),    K(CAP_AUDIT_CONTROL),   K(CAP_SETFCAP),
    K(CAP_MAC_OVERRIDE),    K(CAP_MAC_ADMIN),      K(CAP_SYSLOG),          K(CAP_WAKE_ALARM),
    K(CAP_BLOCK_SUSPEND),   K(CAP_AUDIT_READ),     K(CAP_PERFMON),         K(CAP_BPF),
    K(CAP_CHECKPOINT_RESTORE),
};
#undef K
// clang-format on

TEST(Names, TableMatchesKernelHeader) {
  ASSERT_EQ(std::size(kKernelCaps), static_cast<size_t>(kTableLastCap + 1));
  ASSERT_EQ(CAP_LAST_CAP, kTableLastCap);
  for (const KernelCap& k : kKernelCaps) {
    SCOPED_TRACE(k.macro);
    EXPECT_EQ(parse(k.macro), k.bit);
    ASSERT_NE(cap_name(k.bit), nullptr);
    EXPECT_EQ(upper(cap_name(k.bit)), k.macro);
  }
}

TEST(Names, EveryIndexRoundTripsInEverySpelling) {
  for (int cap = 0; cap <= kTableLastCap; ++cap) {
    std::string name = cap_name(cap);
    SCOPED_TRACE(name);
    EXPECT_EQ(name.rfind("cap_", 0), 0u);
    EXPECT_EQ(parse(name), cap);
    EXPECT_EQ(parse(upper(name)), cap);
    EXPECT_EQ(parse(name.substr(4)), cap);
    EXPECT_EQ(parse(upper(name.substr(4))), cap);
    std::string mixed = name;
    for (size_t i = 0; i < mixed.size(); i += 2) mixed[i] = static_cast<char>(toupper(mixed[i]));
    EXPECT_EQ(parse(mixed), cap);
  }
}

TEST(Names, OutsideTheTableThereIsNoName) {
  EXPECT_EQ(cap_name(-1), nullptr);
  EXPECT_EQ(cap_name(kTableLastCap + 1), nullptr);
  EXPECT_EQ(cap_name(63), nullptr);
  EXPECT_EQ(cap_name(64), nullptr);
}

TEST(Names, EveryBitParsesAsANumber) {
  for (int bit = 0; bit < 64; ++bit) EXPECT_EQ(parse(std::to_string(bit)), bit);
  EXPECT_EQ(parse("07"), 7);
  EXPECT_EQ(parse("007"), 7);
  EXPECT_EQ(parse("063"), 63);
}

TEST(Names, RejectsWhatIsNoCapability) {
  for (const char* s : {"", "64", "99", "100", "064", "-1", "+1", " 1", "0x1", "cap_", "cap_cap_chown", "chown ",
                        " chown", "cap_chown,", "chowns", "cap_41", "all", "none"})
    EXPECT_EQ(parse(s), -1) << '"' << s << '"';
  EXPECT_EQ(parse_cap("cap_chown", 8), -1);  // honours the length: "cap_chow"
}

Result list(const std::string& s, CapSet* out, Word* bad) { return parse_cap_list(s.data(), s.size(), out, bad); }

TEST(Names, CapList) {
  CapSet out{1234};
  Word bad;
  for (const char* empty : {"", "none", "NONE", " none ", "  "}) {
    out = CapSet{1234};
    ASSERT_TRUE(list(empty, &out, &bad).ok()) << empty;
    EXPECT_EQ(out, CapSet{}) << empty;
  }
  ASSERT_TRUE(list("cap_chown,KILL, net_bind_service ,63", &out, &bad).ok());
  EXPECT_EQ(out.bits, (1ull << 0) | (1ull << 5) | (1ull << 10) | (1ull << 63));
  ASSERT_TRUE(list("chown,chown", &out, &bad).ok());
  EXPECT_EQ(out.bits, 1u);
}

TEST(Names, CapListNamesTheBadWordAndChangesNothing) {
  struct Case {
    const char* text;
    size_t begin, len;
  } cases[] = {{"chown,foo", 6, 3}, {"chown,,kill", 6, 0}, {"chown,", 6, 0},
               {",chown", 0, 0},    {"none,chown", 0, 4},  {"kill, 64 ", 6, 2}};
  for (const Case& c : cases) {
    CapSet out{99};
    Word bad;
    Result r = list(c.text, &out, &bad);
    EXPECT_EQ(r.code, Error::unknown_capability) << c.text;
    EXPECT_EQ(bad.begin, c.begin) << c.text;
    EXPECT_EQ(bad.len, c.len) << c.text;
    EXPECT_EQ(out.bits, 99u) << c.text;
  }
}

TEST(Names, SetNamesAndLists) {
  const char* names[] = {"inheritable", "permitted", "effective", "bounding", "ambient"};
  for (int i = 0; i < kSetCount; ++i) {
    EXPECT_STREQ(set_name(static_cast<Set>(i)), names[i]);
    SetMask m = 0;
    Word bad;
    ASSERT_TRUE(parse_set_list(names[i], strlen(names[i]), &m, &bad).ok());
    EXPECT_EQ(m, set_bit(static_cast<Set>(i)));
  }
  SetMask m = 0;
  Word bad;
  ASSERT_TRUE(parse_set_list("all", 3, &m, &bad).ok());
  EXPECT_EQ(m, kAllSets);
  ASSERT_TRUE(parse_set_list("Effective, bounding", 19, &m, &bad).ok());
  EXPECT_EQ(m, set_bit(Set::effective) | set_bit(Set::bounding));
  m = 7;
  EXPECT_EQ(parse_set_list("effective,bogus", 15, &m, &bad).code, Error::unknown_set);
  EXPECT_EQ(bad.begin, 10u);
  EXPECT_EQ(bad.len, 5u);
  EXPECT_EQ(m, 7);
  EXPECT_EQ(parse_set_list("", 0, &m, &bad).code, Error::unknown_set);
  EXPECT_EQ(parse_set_list("eff", 3, &m, &bad).code, Error::unknown_set);
}

TEST(Names, Hex) {
  struct Case {
    const char* text;
    uint64_t value;
  } good[] = {{"0", 0},
              {"3", 3},
              {"0x3", 3},
              {"0X3", 3},
              {"1ffffffffff", 0x1ffffffffff},
              {"ffffffffffffffff", ~0ull},
              {"0xFFFFFFFFFFFFFFFF", ~0ull},
              {"00000000000000000000000001", 1},
              {"8000000000000000", 1ull << 63}};
  for (const Case& c : good) {
    uint64_t v = 42;
    ASSERT_TRUE(parse_hex(c.text, strlen(c.text), &v).ok()) << c.text;
    EXPECT_EQ(v, c.value) << c.text;
  }
  for (const char* s : {"", "0x", "0X", "x1", "g", "1g", " 1", "1 ", "-1", "+1", "0x0x1", "10000000000000000",
                        "1ffffffffffffffffff", "0xfffffffffffffffff"}) {
    uint64_t v = 42;
    EXPECT_EQ(parse_hex(s, strlen(s), &v).code, Error::bad_hex) << '"' << s << '"';
    EXPECT_EQ(v, 42u) << s;
  }
  uint64_t v = 0;
  ASSERT_TRUE(parse_hex("0x1f", 3, &v).ok());  // honours the length
  EXPECT_EQ(v, 1u);
  ASSERT_TRUE(parse_hex("0x", 1, &v).ok());  // "0": no prefix to take
  EXPECT_EQ(v, 0u);
}

}  // namespace
}  // namespace capguard
