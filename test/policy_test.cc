#include "capguard/policy.h"

#include <gtest/gtest.h>

namespace capguard {
namespace {

constexpr State kState = {{{0x400}, {0x201400}, {0x200400}, {~0ull}, {0x400}}};

TEST(Policy, ChosenSetsOnly) {
  State v = violations(kState, CapSet{}.with(10), kDefaultCheckSets);
  EXPECT_EQ(v[Set::inheritable].bits, 0u);
  EXPECT_EQ(v[Set::permitted].bits, 0x201000u);
  EXPECT_EQ(v[Set::effective].bits, 0x200000u);
  EXPECT_EQ(v[Set::bounding].bits, 0u);
  EXPECT_EQ(v[Set::ambient].bits, 0u);
  EXPECT_TRUE(any(v));
}

TEST(Policy, AllSetsReportEveryOffenderIncludingUnknownBits) {
  State v = violations(kState, CapSet{}.with(10), kAllSets);
  EXPECT_EQ(v[Set::bounding].bits, ~0ull & ~(1ull << 10));
  EXPECT_TRUE(v[Set::bounding].has(63));
  EXPECT_EQ(v[Set::inheritable].bits, 0u);
}

TEST(Policy, WithinTheAllowlist) {
  CapSet allow{0x201400};
  EXPECT_FALSE(any(violations(kState, allow, kDefaultCheckSets)));
  EXPECT_FALSE(any(violations(kState, CapSet{}, 0)));
  EXPECT_TRUE(any(violations(kState, allow, set_bit(Set::bounding))));
  EXPECT_FALSE(any(violations(State{}, CapSet{}, kAllSets)));
  static_assert(!any(violations(State{}, CapSet{}, kAllSets)));
}

}  // namespace
}  // namespace capguard
