// The boot guard (capguard/guard.h) over the fake kernel of fake_kernel.h.
#include <errno.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "capguard/guard.h"
#include "fake_kernel.h"

namespace capguard {
namespace {

using test::Fault;

// The boot guard fails closed: what it cannot read, it does not pass.
TEST_F(Fault, GuardFailsClosed) {
  kernel.capget_result = -EPERM;
  kernel.stderr_text.clear();
  Result r = guard(CapSet{~0ull}, kAllSets);
  EXPECT_EQ(r.code, Error::read_caps);
  EXPECT_EQ(r.sys_errno, EPERM);
  EXPECT_EQ(kernel.stderr_text,
            "capguard: level=error event=capability_read_failed error=\"capget: cannot read the capability sets: EPERM "
            "(errno 1)\"\n");
  kernel.capget_result = 0;
  kernel.bounding_error = -EPERM;
  kernel.stderr_text.clear();
  r = guard(CapSet{~0ull}, kAllSets);
  EXPECT_EQ(r.code, Error::read_bounding);
  EXPECT_EQ(kernel.stderr_text,
            "capguard: level=error event=capability_read_failed"
            " error=\"prctl(PR_CAPBSET_READ): cannot read the bounding set (cap_chown): EPERM (errno 1)\"\n");
}

// The common check asks the kernel once: no /proc, no prctl.
TEST_F(Fault, GuardCostsOneCapget) {
  kernel.cap_data[0].inheritable = 0;
  ASSERT_TRUE(guard(CapSet{~0ull}).ok());
  EXPECT_EQ(kernel.prctls, 0);
  EXPECT_EQ(kernel.opens, 0);
}

// Under systemd, the fix is the unit's lines, a shell word each: the
// allowlist's bit 0, its last named bit and a bit the table cannot name in
// one quoted word; one capability unquoted; none, the reset lines alone. The
// ambient lines come only when execve grants no root capabilities: neither
// uid 0, real nor effective, or SECBIT_NOROOT.
TEST_F(Fault, GuardUnderSystemdNamesTheUnitsLines) {
  kernel.cap_data[0] = {1u << 21, 1u << 21, 0};
  kernel.cap_data[1] = {};
  kernel.ambient = 0;
  const CapSet three{1ull << 0 | 1ull << 40 | 1ull << 50};
  const std::string bounding = "CapabilityBoundingSet= 'CapabilityBoundingSet=CAP_CHOWN CAP_CHECKPOINT_RESTORE 50'";
  const std::string ambient = " AmbientCapabilities= 'AmbientCapabilities=CAP_CHOWN CAP_CHECKPOINT_RESTORE 50'";
  const std::string runtimes =
      "docker/podman: --cap-drop=SYS_ADMIN; kubernetes: securityContext.capabilities.drop: [SYS_ADMIN]";
  struct Case {
    const char* invocation;  // INVOCATION_ID, or null: unset
    uint32_t uid, euid;
    long securebits;
    CapSet allow;
    std::string fix;
  } cases[] = {
      {"0b5b4c6e4b7a4d3c9f1e2d3c4b5a6978", 0, 0, 0, three, "systemd: " + bounding},
      {"1", 1000, 0, 0, three, "systemd: " + bounding},
      {"1", 0, 1000, 0, three, "systemd: " + bounding},
      {"1", 1000, 1000, 0, three, "systemd: " + bounding + ambient},
      {"1", 0, 0, abi::kSecbitNoroot, three, "systemd: " + bounding + ambient},
      {"1", 1000, 1000, 0, CapSet{1ull << 10},
       "systemd: CapabilityBoundingSet= CapabilityBoundingSet=CAP_NET_BIND_SERVICE AmbientCapabilities="
       " AmbientCapabilities=CAP_NET_BIND_SERVICE"},
      {"1", 0, 0, 0, CapSet{1ull << 0 | 1ull << 10},
       "systemd: CapabilityBoundingSet= 'CapabilityBoundingSet=CAP_CHOWN CAP_NET_BIND_SERVICE'"},
      {"1", 1000, 1000, 0, CapSet{}, "systemd: CapabilityBoundingSet= AmbientCapabilities="},
      {"", 1000, 1000, 0, three, runtimes},
      {nullptr, 1000, 1000, 0, three, runtimes},
  };
  for (const Case& c : cases) {
    if (c.invocation != nullptr) setenv("INVOCATION_ID", c.invocation, 1);
    if (c.invocation == nullptr) unsetenv("INVOCATION_ID");
    kernel.uids[0] = c.uid;
    kernel.uids[1] = c.euid;
    kernel.securebits = c.securebits;
    kernel.stderr_text.clear();
    EXPECT_EQ(guard(c.allow).code, Error::unexpected_capability);
    std::string line = kernel.stderr_text;
    EXPECT_EQ(line.substr(0, line.find(" allow=")),
              "capguard: level=error event=unexpected_capability set=permitted cap=cap_sys_admin bit=21"
              " unexpected_permitted=cap_sys_admin unexpected_effective=cap_sys_admin");
    EXPECT_EQ(line.substr(line.find(" fix=")), " fix=\"" + c.fix + "\"\n")
        << "INVOCATION_ID " << (c.invocation != nullptr ? c.invocation : "unset") << ", uid " << c.uid << ", euid "
        << c.euid << ", securebits " << c.securebits << ", allow " << c.allow.bits;
  }
  unsetenv("INVOCATION_ID");
}

// A program's own privileges under systemd: remove them, or no_new_privs
// (the allowlist's bounding set would make a file whose capabilities have
// the effective flag fail to execute).
TEST_F(Fault, ProgramsOwnPrivilegesUnderSystemd) {
  setenv("INVOCATION_ID", "1", 1);
  Exec e;
  e.caps[Set::permitted] = CapSet{1ull << 13};
  e.reasons[static_cast<int>(Reason::file)] = CapSet{1ull << 13};
  State v = violations(e.caps, CapSet{}, kDefaultCheckSets);
  char buf[kViolationLineMax];
  std::string line(buf, format_violation(v, CapSet{1}, buf, sizeof buf, &e, "/usr/bin/ping"));
  EXPECT_EQ(line.substr(line.find(" fix=")), " fix=\"setcap -r /usr/bin/ping, or systemd: NoNewPrivileges=yes\"\n");
  e.reasons[static_cast<int>(Reason::file)] = CapSet{};
  e.reasons[static_cast<int>(Reason::setuid_root)] = CapSet{1ull << 13};
  kernel.uids[0] = kernel.uids[1] = 1000;
  line.assign(buf, format_violation(v, CapSet{1}, buf, sizeof buf, &e, "/x"));
  EXPECT_EQ(line.substr(line.find(" fix=")), " fix=\"chmod u-s /x, or systemd: NoNewPrivileges=yes\"\n");
  // Root's: the caller's, so the unit's lines.
  e.reasons[static_cast<int>(Reason::setuid_root)] = CapSet{};
  e.reasons[static_cast<int>(Reason::root)] = CapSet{1ull << 13};
  kernel.uids[0] = kernel.uids[1] = 0;
  line.assign(buf, format_violation(v, CapSet{}, buf, sizeof buf, &e, "/x"));
  EXPECT_EQ(line.substr(line.find(" source=")), " source=root fix=\"systemd: CapabilityBoundingSet=\"\n");
  // Ambient, the last source; and an offender no source gave (inheritable,
  // which execve passes on): no source named.
  e.reasons[static_cast<int>(Reason::root)] = CapSet{};
  e.reasons[static_cast<int>(Reason::ambient)] = CapSet{1ull << 13};
  line.assign(buf, format_violation(v, CapSet{}, buf, sizeof buf, &e, "/x"));
  EXPECT_EQ(line.substr(line.find(" source=")), " source=ambient fix=\"systemd: CapabilityBoundingSet=\"\n");
  e.reasons[static_cast<int>(Reason::ambient)] = CapSet{};
  line.assign(buf, format_violation(v, CapSet{}, buf, sizeof buf, &e, "/x"));
  EXPECT_EQ(line.substr(line.find(" allow=")), " allow=none fix=\"systemd: CapabilityBoundingSet=\"\n");
  unsetenv("INVOCATION_ID");
}

// The longest line under systemd, without a program: every set full, every
// bit allowed and named twice more in the fix, without root's ids (5,511
// bytes outside systemd).
TEST_F(Fault, TheLongestLineUnderSystemdFits) {
  setenv("INVOCATION_ID", "1", 1);
  kernel.uids[0] = kernel.uids[1] = 1000;
  State full = {{{~0ull}, {~0ull}, {~0ull}, {~0ull}, {~0ull}}};
  char buf[1];
  EXPECT_EQ(format_violation(full, CapSet{~0ull}, buf, sizeof buf), 5533u);
  EXPECT_LT(format_violation(full, CapSet{~0ull}, buf, sizeof buf), kViolationLineMax);
  unsetenv("INVOCATION_ID");
}

}  // namespace
}  // namespace capguard
