#include "capguard/guard.h"

#include <gtest/gtest.h>

#include <string>

#include "capguard/policy.h"

namespace capguard {
namespace {

std::string line(const State& v, CapSet allow) {
  char buf[kViolationLineMax];
  size_t n = format_violation(v, allow, buf, sizeof buf);
  EXPECT_LT(n, sizeof buf);
  return std::string(buf, n);
}

TEST(Guard, LineNamesSetCapabilityBitAllowlistAndFix) {
  State v;
  v[Set::permitted] = CapSet{(1ull << 21) | (1ull << 12)};
  v[Set::effective] = CapSet{1ull << 21};
  EXPECT_EQ(line(v, CapSet{1ull << 10}),
            "capguard: level=error event=unexpected_capability set=permitted cap=cap_net_admin bit=12"
            " unexpected_permitted=cap_net_admin,cap_sys_admin unexpected_effective=cap_sys_admin"
            " allow=cap_net_bind_service"
            " fix=\"docker/podman: --cap-drop=NET_ADMIN --cap-drop=SYS_ADMIN;"
            " kubernetes: securityContext.capabilities.drop: [NET_ADMIN, SYS_ADMIN]\"\n");
}

TEST(Guard, EmptyAllowlist) {
  State v;
  v[Set::bounding] = CapSet{1ull << 0};
  EXPECT_EQ(line(v, CapSet{}),
            "capguard: level=error event=unexpected_capability set=bounding cap=cap_chown bit=0"
            " unexpected_bounding=cap_chown allow=none"
            " fix=\"docker/podman: --cap-drop=CHOWN; kubernetes: securityContext.capabilities.drop: [CHOWN]\"\n");
}

// Runtimes cannot name a capability newer than the table: the fix drops all
// and adds back what is allowed and has a name.
TEST(Guard, UnnamedBitsFixByDroppingAll) {
  State v;
  v[Set::ambient] = CapSet{1ull << 41};
  v[Set::bounding] = CapSet{1ull << 0};
  EXPECT_EQ(line(v, CapSet{(1ull << 10) | (1ull << 21) | (1ull << 50)}),
            "capguard: level=error event=unexpected_capability set=bounding cap=cap_chown bit=0"
            " unexpected_bounding=cap_chown unexpected_ambient=41"
            " allow=cap_net_bind_service,cap_sys_admin,50"
            " fix=\"docker/podman: --cap-drop=ALL --cap-add=NET_BIND_SERVICE --cap-add=SYS_ADMIN;"
            " kubernetes: securityContext.capabilities: drop: [ALL], add: [NET_BIND_SERVICE, SYS_ADMIN]\"\n");
}

TEST(Guard, NoViolationNoLine) { EXPECT_EQ(line(State{}, CapSet{}), ""); }

TEST(Guard, TheLongestLineFits) {
  State full = {{{~0ull}, {~0ull}, {~0ull}, {~0ull}, {~0ull}}};
  char buf[1];
  EXPECT_LT(format_violation(full, CapSet{~0ull}, buf, sizeof buf), kViolationLineMax);
}

}  // namespace
}  // namespace capguard
