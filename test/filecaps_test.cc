#include "capguard/filecaps.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include "capguard/drop.h"
#include "capguard/format.h"
#include "capguard/names.h"

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
}

TEST(FormatGetcap, LibcapsTextForms) {
  auto text = [](uint64_t p, uint64_t i, bool e) {
    char buf[kFormatMax];
    FileCaps f;
    f.revision = 2, f.permitted = CapSet{p}, f.inheritable = CapSet{i}, f.effective = e;
    EXPECT_LT(format_getcap(f, 40, buf, sizeof buf), sizeof buf);
    return std::string(buf);
  };
  EXPECT_EQ(text(1 << 13, 0, true), "cap_net_raw=ep");
  EXPECT_EQ(text(0, 0, false), "=");
  EXPECT_EQ(text(kKnown, 0, true), "=ep");
  EXPECT_EQ(text(0, kKnown, false), "=i");
  EXPECT_EQ(text(1 | 1 << 5, 1 | 1 << 5 | 1 << 13, true), "cap_chown,cap_kill=eip cap_net_raw+ei");
  EXPECT_EQ(text(kKnown & ~uint64_t{1}, 1 << 5, false), "=p cap_kill+i cap_chown-p");
  EXPECT_EQ(text(uint64_t{1} << 40, 0, false), "cap_checkpoint_restore=p");
  EXPECT_EQ(text(uint64_t{1} << 41, uint64_t{1} << 41, false), "= 41+ip");
  EXPECT_EQ(text(1 << 13 | uint64_t{1} << 41, 0, true), "cap_net_raw=ep 41+ep");
  // A tie between p and i (20 bits each): the lower state, p, is the base.
  EXPECT_EQ(text(0xfffff, 0xfffff00000, false),
            "=p cap_sys_pacct,cap_sys_admin,cap_sys_boot,cap_sys_nice,cap_sys_resource,cap_sys_time,"
            "cap_sys_tty_config,cap_mknod,cap_lease,cap_audit_write,cap_audit_control,cap_setfcap,cap_mac_override,"
            "cap_mac_admin,cap_syslog,cap_wake_alarm,cap_block_suspend,cap_audit_read,cap_perfmon,cap_bpf+i-p "
            "cap_checkpoint_restore-p");
}

}  // namespace
}  // namespace capguard
