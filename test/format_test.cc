#include "capguard/format.h"

#include <errno.h>
#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <vector>
#include <set>
#include <string>

#include "capguard/guard.h"
#include "capguard/names.h"
#include "capguard/status.h"
#include "status_text.h"

namespace capguard {
namespace {

template <class F>
std::string text(F format) {
  char buf[16384];
  size_t n = format(buf, sizeof buf);
  EXPECT_LT(n, sizeof buf);
  EXPECT_EQ(strlen(buf), n);
  return buf;
}

std::string list(uint64_t bits) {
  return text([&](char* b, size_t n) { return format_list(CapSet{bits}, b, n); });
}

TEST(Format, List) {
  EXPECT_EQ(list(0), "");
  EXPECT_EQ(list(1), "cap_chown");
  EXPECT_EQ(list((1ull << 0) | (1ull << 5) | (1ull << 40)), "cap_chown,cap_kill,cap_checkpoint_restore");
  EXPECT_EQ(list((1ull << 41) | (1ull << 63)), "41,63");
}

TEST(Format, ListNamesEveryBit) {
  for (int cap = 0; cap < 64; ++cap) {
    std::string expect = cap <= kTableLastCap ? cap_name(cap) : std::to_string(cap);
    EXPECT_EQ(list(1ull << cap), expect);
  }
}

TEST(Format, Decode) {
  auto decode = [](uint64_t bits) {
    return text([&](char* b, size_t n) { return format_decode(CapSet{bits}, b, n); });
  };
  EXPECT_EQ(decode(0), "0x0000000000000000=");
  EXPECT_EQ(decode(3), "0x0000000000000003=cap_chown,cap_dac_override");
  EXPECT_EQ(decode(1ull << 63), "0x8000000000000000=63");
}

TEST(Format, Show) {
  State s;
  s[Set::permitted] = CapSet{(1ull << 10) | (1ull << 41)};
  s[Set::effective] = CapSet{1ull << 10};
  EXPECT_EQ(text([&](char* b, size_t n) { return format_show(s, b, n); }),
            "inheritable:\n"
            "permitted: cap_net_bind_service,41\n"
            "effective: cap_net_bind_service\n"
            "bounding:\n"
            "ambient:\n");
}

TEST(Format, Json) {
  State s;
  s[Set::permitted] = CapSet{(1ull << 10) | (1ull << 41)};
  s[Set::effective] = CapSet{1ull << 10};
  s[Set::bounding] = CapSet{~0ull};
  std::string j = text([&](char* b, size_t n) { return format_json(42, s, b, n); });
  std::string all;
  for (int cap = 0; cap < 64; ++cap)
    all += std::string(cap ? "," : "") + '"' + (cap <= kTableLastCap ? cap_name(cap) : std::to_string(cap)) + '"';
  EXPECT_EQ(j,
            "{\"pid\":42,\"inheritable\":[],\"permitted\":[\"cap_net_bind_service\",\"41\"],"
            "\"effective\":[\"cap_net_bind_service\"],\"bounding\":[" + all + "],\"ambient\":[],"
            "\"hex\":{\"inheritable\":\"0000000000000000\",\"permitted\":\"0000020000000400\","
            "\"effective\":\"0000000000000400\",\"bounding\":\"ffffffffffffffff\","
            "\"ambient\":\"0000000000000000\"}}\n");
}

TEST(Format, LargestTextsFitTheirBuffers) {
  State full = {{{~0ull}, {~0ull}, {~0ull}, {~0ull}, {~0ull}}};
  char buf[1];
  EXPECT_LT(format_json(2147483647, full, buf, sizeof buf), kFormatMax);
  EXPECT_LT(format_show(full, buf, sizeof buf), kFormatMax);
  for (int e = 0; e <= static_cast<int>(Error::fork); ++e)
    EXPECT_LT(format_error({static_cast<Error>(e), ENAMETOOLONG, 4, 40}, buf, sizeof buf), kErrorTextMax);
}

// snprintf semantics at every buffer size, for every formatter: the needed
// length is returned, a NUL-terminated prefix is written, and nothing past
// `size` is touched.
TEST(Format, TruncationIsReportedAtEverySize) {
  State s = test::kStatusState;
  State v;
  v[Set::permitted] = CapSet{(1ull << 21) | (1ull << 12)};
  std::function<size_t(char*, size_t)> formatters[] = {
      [&](char* b, size_t n) { return format_json(7, s, b, n); },
      [&](char* b, size_t n) { return format_show(s, b, n); },
      [&](char* b, size_t n) { return format_list(s[Set::bounding], b, n); },
      [&](char* b, size_t n) { return format_decode(s[Set::bounding], b, n); },
      [&](char* b, size_t n) { return format_error({Error::bounding_drop, EPERM, 3, 21}, b, n); },
      [&](char* b, size_t n) { return format_violation(v, CapSet{1ull << 10}, b, n); },
  };
  for (auto& format : formatters) {
    std::string full = text(format);
    ASSERT_FALSE(full.empty());
    for (size_t size = 0; size <= full.size() + 1; ++size) {
      std::string buf(full.size() + 8, '#');
      size_t n = format(buf.data(), size);
      ASSERT_EQ(n, full.size()) << full << " in " << size;
      size_t kept = size == 0 ? 0 : std::min(size - 1, full.size());
      if (size > 0) {
        EXPECT_EQ(buf.substr(0, kept), full.substr(0, kept)) << size;
        EXPECT_EQ(buf[kept], '\0') << size;
      }
      EXPECT_EQ(buf.substr(size), std::string(buf.size() - size, '#')) << size;
    }
  }
}

// parse(format(x)) == x: lists, decode lines and status text, for every
// single bit and many random sets.
TEST(Format, ParseOfFormatIsIdentity) {
  std::mt19937_64 random(42);
  std::vector<uint64_t> masks = {0, ~0ull, 0x1ffffffffff};
  for (int bit = 0; bit < 64; ++bit) masks.push_back(1ull << bit);
  for (int i = 0; i < 5000; ++i) masks.push_back(random() & random());
  char buf[kFormatMax];
  for (uint64_t m : masks) {
    size_t n = format_list(CapSet{m}, buf, sizeof buf);
    CapSet back{7};
    Word bad;
    ASSERT_TRUE(parse_cap_list(buf, n, &back, &bad).ok()) << buf;
    EXPECT_EQ(back.bits, m) << buf;
    n = format_decode(CapSet{m}, buf, sizeof buf);
    uint64_t hex = 7;
    ASSERT_TRUE(parse_hex(buf, 18, &hex).ok()) << buf;
    EXPECT_EQ(hex, m);
  }
  for (int i = 0; i < 1000; ++i) {
    State s;
    for (CapSet& c : s.sets) c.bits = random();
    std::string text = "Name:\tx\n";
    for (int k = 0; k < kSetCount; ++k) {
      char line[64];
      snprintf(line, sizeof line, "%s:\t%016llx\n", "CapInh\0CapPrm\0CapEff\0CapBnd\0CapAmb" + 7 * k,
               static_cast<unsigned long long>(s.sets[k].bits));
      text += line;
    }
    State back;
    ASSERT_TRUE(parse_status(text.data(), text.size(), &back).ok()) << text;
    EXPECT_EQ(back, s);
  }
}

TEST(Format, Errors) {
  auto error = [](Result r) { return text([&](char* b, size_t n) { return format_error(r, b, n); }); };
  EXPECT_EQ(error({Error::capget, EPERM}), "capget failed: EPERM (errno 1)");
  EXPECT_EQ(error({Error::proc_open, ENOENT}), "cannot open /proc file: ENOENT (errno 2)");
  EXPECT_EQ(error({Error::status_missing_line, 0, 4}), "status text: line missing (ambient)");
  EXPECT_EQ(error({Error::prctl, 200}), "prctl failed: (errno 200)");
  EXPECT_EQ(error({Error::bad_hex}), "not a 64-bit hex value");
  EXPECT_EQ(error({Error::bounding_drop, EPERM, -1, 21}),
            "bounding set: prctl(PR_CAPBSET_DROP) failed (cap_sys_admin): EPERM (errno 1); needs cap_setpcap");
  EXPECT_EQ(error({Error::setuid, EINVAL}), "uid: setresuid failed: EINVAL (errno 22)");
  EXPECT_EQ(error({Error::verify_caps, 0, 4, 41}), "verify: capability set differs from the plan (ambient: 41)");
}

TEST(Format, EveryErrorHasItsOwnMessage) {
  std::set<std::string> seen;
  for (int e = 0; e <= static_cast<int>(Error::fork); ++e) {
    std::string m = error_message(static_cast<Error>(e));
    EXPECT_FALSE(m.empty());
    EXPECT_TRUE(seen.insert(m).second) << m;
  }
  EXPECT_STREQ(error_message(static_cast<Error>(200)), "unknown error");
}

}  // namespace
}  // namespace capguard
