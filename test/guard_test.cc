#include "capguard/guard.h"

#include <gtest/gtest.h>

#include <string>

#include "capguard/filecaps.h"

namespace capguard {
namespace {

std::string line(const State& v, CapSet allow, const Exec* exec = nullptr, const char* path = nullptr) {
  char buf[kViolationLineMax];
  size_t n = format_violation(v, allow, buf, sizeof buf, exec, path);
  EXPECT_LT(n, sizeof buf);
  return std::string(buf, n);
}

constexpr State kState = {{{0x400}, {0x201400}, {0x200400}, {~0ull}, {0x400}}};

TEST(Policy, ChosenSetsOnly) {
  State v = violations(kState, CapSet{}.with(10), kDefaultCheckSets);
  EXPECT_EQ(v[Set::inheritable].bits, 0u);
  EXPECT_EQ(v[Set::permitted].bits, 0x201000u);
  EXPECT_EQ(v[Set::effective].bits, 0x200000u);
  EXPECT_EQ(v[Set::bounding].bits, 0u);
  EXPECT_EQ(v[Set::ambient].bits, 0u);
  EXPECT_EQ(first_set(v), static_cast<int>(Set::permitted));
}

TEST(Policy, AllSetsReportEveryOffenderIncludingUnknownBits) {
  State v = violations(kState, CapSet{}.with(10), kAllSets);
  EXPECT_EQ(v[Set::bounding].bits, ~0ull & ~(1ull << 10));
  EXPECT_TRUE(v[Set::bounding].has(63));
  EXPECT_EQ(v[Set::inheritable].bits, 0u);
}

TEST(Policy, WithinTheAllowlist) {
  CapSet allow{0x201400};
  EXPECT_EQ(first_set(violations(kState, allow, kDefaultCheckSets)), -1);
  EXPECT_EQ(first_set(violations(kState, CapSet{}, 0)), -1);
  EXPECT_EQ(first_set(violations(kState, allow, set_bit(Set::bounding))), static_cast<int>(Set::bounding));
  EXPECT_EQ(first_set(violations(State{}, CapSet{}, kAllSets)), -1);
  static_assert(first_set(violations(State{}, CapSet{}, kAllSets)) == -1);
}

TEST(Policy, FirstSetIsTheFirstInTheKernelsOrder) {
  State v;
  v[Set::ambient] = CapSet{1};
  EXPECT_EQ(first_set(v), static_cast<int>(Set::ambient));
  v[Set::inheritable] = CapSet{1ull << 63};
  EXPECT_EQ(first_set(v), static_cast<int>(Set::inheritable));
}

// As many offenders as the allowlist holds: each is dropped by name.
TEST(Guard, LineNamesSetCapabilityBitAllowlistAndFix) {
  State v;
  v[Set::permitted] = CapSet{(1ull << 21) | (1ull << 12)};
  v[Set::effective] = CapSet{1ull << 21};
  EXPECT_EQ(line(v, CapSet{(1ull << 10) | (1ull << 13)}),
            "capguard: level=error event=unexpected_capability set=permitted cap=cap_net_admin bit=12"
            " unexpected_permitted=cap_net_admin,cap_sys_admin unexpected_effective=cap_sys_admin"
            " allow=cap_net_bind_service,cap_net_raw"
            " fix=\"docker/podman: --cap-drop=NET_ADMIN --cap-drop=SYS_ADMIN;"
            " kubernetes: securityContext.capabilities.drop: [NET_ADMIN, SYS_ADMIN]\"\n");
}

// More offenders than the allowlist holds: drop ALL, add the allowlist back.
TEST(Guard, MoreOffendersThanAllowedFixByDroppingAll) {
  State v;
  v[Set::permitted] = CapSet{(1ull << 21) | (1ull << 12)};
  EXPECT_EQ(line(v, CapSet{1ull << 10}),
            "capguard: level=error event=unexpected_capability set=permitted cap=cap_net_admin bit=12"
            " unexpected_permitted=cap_net_admin,cap_sys_admin allow=cap_net_bind_service"
            " fix=\"docker/podman: --cap-drop=ALL --cap-add=NET_BIND_SERVICE;"
            " kubernetes: securityContext.capabilities: drop: [ALL], add: [NET_BIND_SERVICE]\"\n");
  State root = {{{0}, {(1ull << 41) - 1}, {(1ull << 41) - 1}, {(1ull << 41) - 1}, {0}}};
  // Full root: the fix is as short as above, where it listed 39 capabilities twice.
  std::string full = line(violations(root, CapSet{1ull << 10}, kDefaultCheckSets), CapSet{1ull << 10});
  EXPECT_EQ(full.substr(full.find(" allow=")),
            " allow=cap_net_bind_service fix=\"docker/podman: --cap-drop=ALL --cap-add=NET_BIND_SERVICE;"
            " kubernetes: securityContext.capabilities: drop: [ALL], add: [NET_BIND_SERVICE]\"\n");
  EXPECT_EQ(full.size(), 1424u);
}

TEST(Guard, EmptyAllowlist) {
  State v;
  v[Set::bounding] = CapSet{1ull << 0};
  EXPECT_EQ(line(v, CapSet{}),
            "capguard: level=error event=unexpected_capability set=bounding cap=cap_chown bit=0"
            " unexpected_bounding=cap_chown allow=none"
            " fix=\"docker/podman: --cap-drop=ALL; kubernetes: securityContext.capabilities: drop: [ALL]\"\n");
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
  EXPECT_EQ(format_violation(full, CapSet{~0ull}, buf, sizeof buf), 5511u);
  EXPECT_LT(format_violation(full, CapSet{~0ull}, buf, sizeof buf), kViolationLineMax);
  Exec e;
  e.reasons[static_cast<int>(Reason::file)] = CapSet{~0ull};
  std::string path(1024, 'x');
  EXPECT_LT(format_violation(full, CapSet{}, buf, sizeof buf, &e, path.c_str()), kViolationLineMax);
  // One capability, the longest name, in every set: room for a path of 2,823 bytes.
  constexpr CapSet kOne{1ull << 40};
  State one = {{kOne, kOne, kOne, kOne, kOne}};
  e.reasons[static_cast<int>(Reason::file)] = kOne;
  path.assign(2823, 'x');
  EXPECT_EQ(format_violation(one, CapSet{}, buf, sizeof buf, &e, path.c_str()), kViolationLineMax - 1);
}

// After execve: the first offender's source, and a fix for the program's
// own privileges; a path that needs them gets quotes and escapes.
TEST(Guard, SourceOfAProgramsCapabilities) {
  Exec e;
  e.caps[Set::permitted] = e.caps[Set::effective] = CapSet{1 | 1ull << 13};
  e.reasons[static_cast<int>(Reason::file)] = CapSet{1ull << 13};
  e.reasons[static_cast<int>(Reason::ambient)] = CapSet{1};
  State v = violations(e.caps, CapSet{1}, kDefaultCheckSets);
  EXPECT_EQ(line(v, CapSet{1}, &e, "/usr/bin/a b\"c"),
            "capguard: level=error event=unexpected_capability set=permitted cap=cap_net_raw bit=13 "
            "unexpected_permitted=cap_net_raw unexpected_effective=cap_net_raw allow=cap_chown "
            "source=\"file:/usr/bin/a b\\\"c\" fix=\"setcap -r /usr/bin/a b\\\"c, or run with no_new_privs "
            "(docker/podman: --security-opt=no-new-privileges; kubernetes: "
            "securityContext.allowPrivilegeEscalation: false)\"\n");
  e.reasons[static_cast<int>(Reason::file)] = CapSet{};
  e.reasons[static_cast<int>(Reason::setuid_root)] = CapSet{1ull << 13};
  EXPECT_NE(line(v, CapSet{1}, &e, "/x").find(" source=setuid-root:/x fix=\"chmod u-s /x, or run"), std::string::npos);
  e.reasons[static_cast<int>(Reason::setuid_root)] = CapSet{};
  e.reasons[static_cast<int>(Reason::root)] = CapSet{1ull << 13};
  EXPECT_NE(line(v, CapSet{1}, &e, "/x").find(" source=root fix=\"docker/podman: --cap-drop=NET_RAW;"),
            std::string::npos);
  // Bit 0 from ambient: the caller's, so the runtime's fix.
  v = violations(e.caps, CapSet{1ull << 13}, kDefaultCheckSets);
  EXPECT_NE(line(v, CapSet{1ull << 13}, &e, "/x").find(" source=ambient fix=\"docker/podman: --cap-drop=CHOWN;"),
            std::string::npos);
}

}  // namespace
}  // namespace capguard
