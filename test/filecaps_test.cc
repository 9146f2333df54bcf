#include "capguard/filecaps.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

namespace capguard {
namespace {

std::vector<uint8_t> le(std::initializer_list<uint32_t> words) {
  std::vector<uint8_t> v;
  for (uint32_t w : words)
    for (int i = 0; i < 4; ++i) v.push_back(static_cast<uint8_t>(w >> (8 * i)));
  return v;
}

Result parse(const std::vector<uint8_t>& v, FileCaps* out) {
  // An exact-size heap copy: ASan sees any read past the value.
  std::vector<uint8_t> copy(v);
  return parse_file_caps(copy.data(), copy.size(), out);
}

TEST(FileCaps, EachRevision) {
  FileCaps f;
  ASSERT_TRUE(parse(le({0x01000001, 0x00002001, 0x80000000}), &f).ok());
  EXPECT_EQ(f.revision, 1);
  EXPECT_TRUE(f.effective);
  EXPECT_EQ(f.permitted.bits, 0x2001u);  // cap_chown (bit 0) and cap_net_raw (13)
  EXPECT_EQ(f.inheritable.bits, 0x80000000u);
  ASSERT_TRUE(parse(le({0x02000000, 0x1, 0x2, 0x80000000, 0x100}), &f).ok());
  EXPECT_EQ(f.revision, 2);
  EXPECT_FALSE(f.effective);
  EXPECT_EQ(f.permitted.bits, 0x8000000000000001u) << "bit 63 is kept, though no kernel has it";
  EXPECT_EQ(f.inheritable.bits, 0x0000010000000002u);
  EXPECT_EQ(f.rootid, 0u);
  ASSERT_TRUE(parse(le({0x03000001, 0x400, 0, 0, 0, 1000}), &f).ok());
  EXPECT_EQ(f.revision, 3);
  EXPECT_EQ(f.permitted.bits, 0x400u);
  EXPECT_EQ(f.rootid, 1000u);
}

TEST(FileCaps, EachMalformedFormHasItsError) {
  FileCaps f;
  f.rootid = 7;
  struct Case {
    std::vector<uint8_t> value;
    Error code;
  } cases[] = {
      {{}, Error::filecaps_length},
      {{0x00, 0x00, 0x00}, Error::filecaps_length},
      {le({0x02000000, 1, 2, 3}), Error::filecaps_length},        // v2 cut short
      {le({0x01000000, 1, 2, 3, 4}), Error::filecaps_length},     // v1 too long
      {le({0x03000000, 1, 2, 3, 4}), Error::filecaps_length},     // v3 without rootid
      {le({0x02000000, 1, 2, 3, 4, 5}), Error::filecaps_length},  // v2 with a rootid
      {le({0x00000000, 1, 2}), Error::filecaps_revision},
      {le({0x00000000}), Error::filecaps_revision},  // the magic word alone: its revision judged first
      {le({0x04000000, 1, 2, 3, 4, 5}), Error::filecaps_revision},
      {le({0xff000001, 1, 2, 3, 4}), Error::filecaps_revision},
      {le({0x02000002, 1, 2, 3, 4}), Error::filecaps_flags},
      {le({0x02800000, 1, 2, 3, 4}), Error::filecaps_flags},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(parse(c.value, &f).code, c.code) << c.value.size();
    EXPECT_EQ(f.rootid, 7u) << "untouched on error";
  }
}

// The kernel as the oracle: what setcap(8) and setxattr(2) store is what
// the parser reads, for every single capability and random sets.
TEST(FileCaps, WhatTheKernelStores) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to set file capabilities";
  char path[] = "/tmp/capguard-filecaps-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  auto stored = [&](FileCaps* f) {
    uint8_t value[64];
    ssize_t n = getxattr(path, "security.capability", value, sizeof value);
    EXPECT_GT(n, 0);
    return parse_file_caps(value, static_cast<size_t>(n), f);
  };
  std::mt19937_64 rng(7);
  for (int i = 0; i < 60; ++i) {
    uint64_t p = i <= 40 ? uint64_t{1} << i : rng() & ((uint64_t{1} << 41) - 1);
    uint64_t in = rng() & ((uint64_t{1} << 41) - 1);
    bool eff = i % 2 == 0;
    std::vector<uint8_t> v = le({0x02000000u | (eff ? 1u : 0u), static_cast<uint32_t>(p), static_cast<uint32_t>(in),
                                 static_cast<uint32_t>(p >> 32), static_cast<uint32_t>(in >> 32)});
    ASSERT_EQ(setxattr(path, "security.capability", v.data(), v.size(), 0), 0) << i;
    FileCaps f;
    ASSERT_TRUE(stored(&f).ok()) << i;
    EXPECT_EQ(f.revision, 2);
    EXPECT_EQ(f.permitted.bits, p) << i;
    EXPECT_EQ(f.inheritable.bits, in) << i;
    EXPECT_EQ(f.effective, eff) << i;
  }
  // setcap(8) itself (libcap2-bin, which the test command installs).
  ASSERT_EQ(system(("setcap 'cap_net_raw,cap_chown+ep cap_sys_admin+ei' " + std::string(path)).c_str()), 0);
  FileCaps f;
  ASSERT_TRUE(stored(&f).ok());
  EXPECT_EQ(f.permitted.bits, (1u << 13) | 1u);
  EXPECT_EQ(f.inheritable.bits, uint64_t{1} << 21);
  EXPECT_TRUE(f.effective);
  // A revision 3 value for a namespace root other than 0 is kept as such.
  std::vector<uint8_t> v3 = le({0x03000000, 0x400, 0, 0, 0, 100000});
  ASSERT_EQ(setxattr(path, "security.capability", v3.data(), v3.size(), 0), 0);
  ASSERT_TRUE(stored(&f).ok());
  EXPECT_EQ(f.revision, 3);
  EXPECT_EQ(f.rootid, 100000u);
  EXPECT_EQ(f.permitted.bits, 0x400u);
  unlink(path);
}

}  // namespace
}  // namespace capguard
