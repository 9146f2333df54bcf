#include "capguard/execve.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <string.h>

#include <string>

#include "capguard/drop.h"
#include "capguard/names.h"
#include "files.h"
#include "plan.h"

namespace capguard {
namespace {

// The rules the kernel matrix (test/exec_rules_test.sh) cannot reach on
// this machine: its kernel's last capability, supplementary groups, a v3
// rootid in another namespace, and the caller's sets chosen freely.
constexpr uint64_t kKnown = (uint64_t{1} << 41) - 1;  // capabilities 0..40

Creds user(uint32_t uid) {
  Creds c;
  c.uid = c.euid = c.gid = c.egid = uid;
  c.caps[Set::bounding] = CapSet{kKnown};
  c.last_cap = 40;
  return c;
}

ExecFile with_caps(uint64_t permitted, uint64_t inheritable, bool effective) {
  ExecFile f;
  f.mode = 0100755;
  f.caps.revision = 2;
  f.caps.permitted = CapSet{permitted};
  f.caps.inheritable = CapSet{inheritable};
  f.caps.effective = effective;
  return f;
}

TEST(PredictExec, FileCapabilitiesAtBitZeroAndTheLastBit) {
  uint64_t edges = 1 | uint64_t{1} << 40;
  Exec e = predict_exec(user(1000), with_caps(edges, 0, true));
  EXPECT_EQ(e.error, 0);
  EXPECT_EQ(e.caps[Set::permitted].bits, edges);
  EXPECT_EQ(e.caps[Set::effective].bits, edges);
  EXPECT_EQ(e.reasons[static_cast<int>(Reason::file)].bits, edges);
  EXPECT_EQ(e.uid, 1000u);
}

// A kernel that knows all 64 bits: none of them is lost, bit 0 included.
TEST(PredictExec, AKernelWhoseLastCapabilityIs63KeepsEveryBit) {
  Creds c = user(1000);
  c.last_cap = 63;
  c.caps[Set::bounding] = CapSet{~uint64_t{0}};
  uint64_t edges = 1 | uint64_t{1} << 63;
  EXPECT_EQ(predict_exec(c, with_caps(edges, 0, true)).caps[Set::effective].bits, edges);
}

TEST(PredictExec, BitsPastTheKernelsLastAreIgnoredNotRefused) {
  Exec e = predict_exec(user(1000), with_caps(uint64_t{1} << 41 | 1, 0, true));
  EXPECT_EQ(e.error, 0);
  EXPECT_EQ(e.caps[Set::permitted].bits, 1u);
}

TEST(PredictExec, CapabilityDumbProgramNeedsAllOfItsPermittedSet) {
  Creds c = user(1000);
  c.caps[Set::bounding] = CapSet{kKnown & ~uint64_t{1}};  // no cap_chown
  Exec e = predict_exec(c, with_caps(1 | 1 << 13, 0, true));
  EXPECT_EQ(e.error, EPERM);
  EXPECT_EQ(e.missing.bits, 1u);
  // Granted through inheritable instead: runs.
  c.caps[Set::inheritable] = CapSet{1};
  e = predict_exec(c, with_caps(1 | 1 << 13, 1, true));
  EXPECT_EQ(e.error, 0);
  EXPECT_EQ(e.caps[Set::permitted].bits, uint64_t{1 | 1 << 13});
  // Without the effective flag the program copes: it runs with less.
  c.caps[Set::inheritable] = CapSet{};
  e = predict_exec(c, with_caps(1 | 1 << 13, 0, false));
  EXPECT_EQ(e.error, 0);
  EXPECT_EQ(e.caps[Set::permitted].bits, uint64_t{1 << 13});
  EXPECT_EQ(e.caps[Set::effective].bits, 0u);
}

TEST(PredictExec, RootidOfAnotherNamespaceIsIgnored) {
  ExecFile f = with_caps(1 << 13, 0, true);
  f.caps.revision = 3;
  f.caps.rootid = 100000;
  Exec e = predict_exec(user(1000), f);
  EXPECT_EQ(e.caps[Set::permitted].bits, 0u);
  EXPECT_STREQ(e.ignored, "rootid of another user namespace");
}

TEST(PredictExec, SetgidToAGroupTheCallerHasKeepsAmbient) {
  Creds c = user(1000);
  c.caps[Set::inheritable] = c.caps[Set::permitted] = c.caps[Set::ambient] = CapSet{1 << 10};
  ExecFile f;
  f.mode = 0102755;
  f.gid = 50;
  EXPECT_EQ(predict_exec(c, f).caps[Set::ambient].bits, 0u) << "gid 50 is new: ambient cleared";
  c.groups[0] = 7, c.groups[1] = 50, c.group_count = 2;
  Exec e = predict_exec(c, f);
  EXPECT_EQ(e.gid, 50u);
  EXPECT_EQ(e.caps[Set::ambient].bits, uint64_t{1 << 10}) << "in_group_p(50): no id change";
  EXPECT_EQ(e.reasons[static_cast<int>(Reason::ambient)].bits, uint64_t{1 << 10});
  // The list's edges: a group past the count is not the caller's; of
  // exactly kMaxGroups, every one is known, the last one included.
  c.group_count = 1;
  EXPECT_EQ(predict_exec(c, f).caps[Set::ambient].bits, 0u) << "groups[1] is past the count";
  for (int i = 0; i < kMaxGroups; ++i) c.groups[i] = 100 + i;
  c.groups[kMaxGroups - 1] = 50, c.group_count = kMaxGroups;
  e = predict_exec(c, f);
  EXPECT_EQ(e.unknown, nullptr);
  EXPECT_EQ(e.caps[Set::ambient].bits, uint64_t{1 << 10}) << "50 is the last of 256 groups";
  f.mode = 0102745;  // no group execute bit: not set-gid at all
  EXPECT_EQ(predict_exec(c, f).gid, 1000u);
}

TEST(PredictExec, SetuidRootWithFileCapabilitiesRunByAUserGetsOnlyThem) {
  ExecFile f = with_caps(1 << 13, 0, false);
  f.mode = 0104755;
  Exec e = predict_exec(user(1000), f);
  EXPECT_EQ(e.uid, 0u);
  EXPECT_EQ(e.caps[Set::permitted].bits, uint64_t{1 << 13});
  EXPECT_EQ(e.caps[Set::effective].bits, 0u);
  EXPECT_EQ(e.reasons[static_cast<int>(Reason::file)].bits, uint64_t{1 << 13});
  f.caps.revision = 0;  // without them: root's rules, everything
  e = predict_exec(user(1000), f);
  EXPECT_EQ(e.caps[Set::effective].bits, kKnown);
  EXPECT_EQ(e.reasons[static_cast<int>(Reason::setuid_root)].bits, kKnown);
}

TEST(PredictExec, NoRootSecurebitAndNoNewPrivs) {
  Creds root = user(0);
  root.securebits = 1;  // SECBIT_NOROOT
  ExecFile plain;
  plain.mode = 0100755;
  EXPECT_EQ(predict_exec(root, plain).caps[Set::permitted].bits, 0u);
  Creds c = user(1000);
  c.no_new_privs = true;
  ExecFile f = with_caps(1 << 13, 0, true);
  f.mode = 0104755;
  Exec e = predict_exec(c, f);
  EXPECT_EQ(e.error, 0);
  EXPECT_EQ(e.uid, 1000u);
  EXPECT_EQ(e.caps[Set::permitted].bits, 0u);
  EXPECT_STREQ(e.ignored, "no_new_privs");
}

// Real uid 1000, effective 2000, no_new_privs, as Linux 6.18 gave it (real
// execs of a set-uid and a file-capability copy of cat, through capguard):
// the set-uid bit is ignored, so the effective id stays; a program that
// would gain capabilities runs with the real ids instead, gaining none.
TEST(PredictExec, NoNewPrivsWithRealAndEffectiveIdsThatDiffer) {
  Creds c = user(1000);
  c.euid = 2000;
  c.no_new_privs = true;
  ExecFile setuid;
  setuid.mode = 0104755;
  setuid.uid = 3000;
  Exec e = predict_exec(c, setuid);
  EXPECT_EQ(e.uid, 2000u);
  EXPECT_STREQ(e.ignored, "no_new_privs");
  e = predict_exec(c, with_caps(1 << 13, 0, true));
  EXPECT_EQ(e.uid, 1000u);
  EXPECT_EQ(e.caps[Set::permitted].bits, 0u);
  EXPECT_STREQ(e.ignored, "no_new_privs");
  c.egid = 2000;  // the gid is reset as the uid is
  e = predict_exec(c, with_caps(1 << 13, 0, true));
  EXPECT_EQ(e.gid, 1000u);
  EXPECT_EQ(predict_exec(c, setuid).gid, 2000u);
}

// Real uid 0 under no_new_privs: root's capabilities would be gained, so the
// ids are reset and nothing is gained, but no file's bit or capability was
// ignored: a plain program has none.
TEST(PredictExec, NoNewPrivsWithARealRootUidAndAPlainProgram) {
  Creds c = user(0);
  c.euid = 1000;
  c.no_new_privs = true;
  ExecFile plain;
  plain.mode = 0100755;
  Exec e = predict_exec(c, plain);
  EXPECT_EQ(e.uid, 0u);
  EXPECT_EQ(e.caps[Set::permitted].bits, 0u);
  EXPECT_EQ(e.ignored, nullptr);
}

// Before Linux 6.17 the ids count as changed when the new effective ids
// are not the caller's real ones (as Debian 12's 6.1 gave it, test/
// oldkernel_test.sh): a plain program run with real uid 1000 and effective
// 2000 loses the ambient set, and with no_new_privs runs as 1000; a program
// set-uid to the real uid keeps it. The newer rule in each case, the other
// way round.
TEST(PredictExec, BeforeLinux617TheIdsCompareWithTheRealOnes) {
  Creds c = user(1000);
  c.euid = 2000;
  c.caps[Set::inheritable] = c.caps[Set::permitted] = c.caps[Set::ambient] = CapSet{1 << 10};
  ExecFile plain, setuid, setgid;
  plain.mode = 0100755;
  setuid.mode = 0104755;
  setuid.uid = 1000;
  setgid.mode = 0102755;
  setgid.gid = 50;
  for (bool old : {false, true}) {
    c.real_id_rule = old;
    Exec e = predict_exec(c, plain);
    EXPECT_EQ(e.uid, 2000u);
    EXPECT_EQ(e.caps[Set::ambient].bits, old ? 0u : uint64_t{1 << 10}) << old;
    e = predict_exec(c, setuid);
    EXPECT_EQ(e.uid, 1000u);
    EXPECT_EQ(e.caps[Set::ambient].bits, old ? uint64_t{1 << 10} : 0u) << old;
    c.euid = 1000;
    c.groups[0] = 50, c.group_count = 1;
    EXPECT_EQ(predict_exec(c, setgid).caps[Set::ambient].bits, old ? 0u : uint64_t{1 << 10}) << old;
    c.group_count = kMaxGroups + 1;
    EXPECT_STREQ(
        predict_exec(c, setgid).unknown,
        old ? nullptr : "set-gid: whether its group is one of the caller's, who has over 256 supplementary groups")
        << old;
    c.group_count = 0;
    c.euid = 2000;
    c.no_new_privs = true;
    e = predict_exec(c, plain);
    EXPECT_EQ(e.uid, old ? 1000u : 2000u) << old;
    EXPECT_EQ(e.caps[Set::ambient].bits, old ? 0u : uint64_t{1 << 10}) << old;
    c.no_new_privs = false;
  }
}

// The gid side of the rule before 6.17: a real gid other than the effective
// one is a change of ids even for a plain program.
TEST(PredictExec, BeforeLinux617ARealGidOtherThanTheEffectiveOneIsAChange) {
  Creds c = user(1000);
  c.egid = 2000;
  c.caps[Set::inheritable] = c.caps[Set::permitted] = c.caps[Set::ambient] = CapSet{1 << 10};
  ExecFile plain;
  plain.mode = 0100755;
  EXPECT_EQ(predict_exec(c, plain).caps[Set::ambient].bits, uint64_t{1 << 10});
  c.real_id_rule = true;
  EXPECT_EQ(predict_exec(c, plain).caps[Set::ambient].bits, 0u);
}

// Root running a set-uid-root program holds root's capabilities because it
// is root: the set-uid bit adds nothing.
TEST(PredictExec, RootRunningSetuidRootIsAttributedToRoot) {
  ExecFile f;
  f.mode = 0104755;
  Exec e = predict_exec(user(0), f);
  EXPECT_EQ(e.reasons[static_cast<int>(Reason::root)].bits, kKnown);
  EXPECT_EQ(e.reasons[static_cast<int>(Reason::setuid_root)].bits, 0u);
}

TEST(PlannedCreds, ThePlansSetsIdsGroupsAndFlags) {
  Creds now = user(0);
  now.groups[0] = 0, now.group_count = 1;
  Plan plan;
  plan.keep = CapSet{1 | uint64_t{1} << 40};
  plan.uid = 1000, plan.gid = 1001;
  plan.no_new_privs = true;
  Creds c = planned_creds(now, plan);
  EXPECT_EQ(c.uid, 1000u);
  EXPECT_EQ(c.euid, 1000u);
  EXPECT_EQ(c.egid, 1001u);
  EXPECT_EQ(c.group_count, 0) << "a switch away clears root's groups";
  EXPECT_TRUE(c.no_new_privs);
  for (Set s : {Set::inheritable, Set::permitted, Set::effective, Set::bounding, Set::ambient})
    EXPECT_EQ(c.caps[s], plan.keep) << set_name(s);
  plan.uid = plan.gid = -1;
  plan.lock = true;
  c = planned_creds(now, plan);
  EXPECT_EQ(c.securebits, 0x2fu);
  EXPECT_EQ(c.caps[Set::ambient].bits, plan.keep.bits) << "under noroot, uid 0 keeps them through ambient";
  EXPECT_EQ(c.group_count, 1);
  const uint32_t groups[] = {7, 8};
  plan.groups = groups, plan.group_count = 2;
  c = planned_creds(now, plan);
  EXPECT_EQ(c.group_count, 2);
  EXPECT_EQ(c.groups[0], 7u);
  EXPECT_EQ(c.groups[1], 8u);
  uint32_t many[kMaxGroups + 1] = {};
  plan.groups = many, plan.group_count = kMaxGroups + 1;  // too many to hold: the count says so
  EXPECT_EQ(planned_creds(now, plan).group_count, kMaxGroups + 1);
  now.euid = now.egid = 1000;  // setpriv --euid 1000 --egid 1000: a plan for uid 0 sets both back
  plan.uid = plan.gid = 0;
  c = planned_creds(now, plan);
  EXPECT_EQ(c.euid, 0u);
  EXPECT_EQ(c.egid, 0u);
}

// The init beside a service: the service's ids and groups, no capability
// in any set, no_new_privs; nothing else of the service's plan.
TEST(InitPlan, TheServicesIdsAndGroupsAndNothingElse) {
  const uint32_t groups[] = {7, 8};
  Plan service;
  service.keep = CapSet{1 << 10};
  service.inherit = Inherit::ambient;
  service.uid = 1000, service.gid = 1001;
  service.groups = groups, service.group_count = 2;
  Plan p = init_plan(service);
  EXPECT_EQ(p.uid, 1000);
  EXPECT_EQ(p.gid, 1001);
  EXPECT_EQ(p.groups, groups);
  EXPECT_EQ(p.group_count, 2);
  EXPECT_TRUE(p.no_new_privs);
  for (Set s : {Set::inheritable, Set::permitted, Set::effective, Set::bounding, Set::ambient})
    EXPECT_TRUE(intended(p, false)[s].empty()) << set_name(s);
}

// A "#!" head as fs/binfmt_script.c splits it: "name|arg", "name" without
// an argument, "0" for no "#!", "ENOEXEC". test/exec_rules_test.sh holds
// lines of each kind against the kernel.
std::string script_line(std::string text) {
  char head[kScriptHead] = {};
  text.copy(head, sizeof head);
  Interpreter line;
  memset(line.text, 'x', sizeof line.text);  // each word must end in its own NUL
  long rc = parse_script_line(head, &line);
  if (rc != 1) return rc == 0 ? "0" : rc == -ENOEXEC ? "ENOEXEC" : "?";
  return line.arg == 0 ? line.text : std::string(line.text) + "|" + (line.text + line.arg);
}

TEST(ScriptLine, SplitsAsTheKernel) {
  std::string name_254 = "#!/" + std::string(253, 'x');  // 256 bytes: no room for an end
  struct Case {
    std::string head, want;
  } cases[] = {
      {"\x7f"
       "ELF",
       "0"},
      {"#", "0"},
      {"#!/bin/sh\n", "/bin/sh"},
      {"#!/bin/sh", "/bin/sh"},
      {"#! \t/bin/sh -e \t\n", "/bin/sh|-e"},
      {"#!/usr/bin/env -S a b\n", "/usr/bin/env|-S a b"},
      {"#!/bin/sh  \n", "/bin/sh"},
      {"#!/bin/sh  ", "/bin/sh|"},  // no newline: the NUL padding ends the blanks
      {std::string("#!/bin/sh \0x\n", 13), "/bin/sh|"},
      {std::string("#!/bin/sh\0 x\n", 13), "/bin/sh"},
      {"#!\n", "ENOEXEC"},
      {"#!   \n", "ENOEXEC"},
      {"#!", ""},  // the empty name: the kernel opens the working directory
      {name_254, "ENOEXEC"},
      {name_254.substr(0, 255), name_254.substr(2, 253)},
      {"#!/bin/sh " + std::string(300, 'a'), "/bin/sh|" + std::string(245, 'a')},
      {"#! /" + std::string(300, 'x'), "ENOEXEC"},                     // the name after the blanks is cut
      {"#!a " + std::string(300, 'b'), "a|" + std::string(251, 'b')},  // the name ends at [3]
  };
  for (const Case& c : cases) EXPECT_EQ(script_line(c.head), c.want) << c.head;
}

}  // namespace
}  // namespace capguard
