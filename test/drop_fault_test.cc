// apply_on_calling_thread() and spawn()'s pipe protocol (src/drop_linux.cc)
// over the fake kernel of fake_kernel.h, which follows the kernel's rules for
// credential changes.
#include <errno.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdint.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "capguard/caps.h"
#include "capguard/drop.h"
#include "capguard/exec.h"
#include "capguard/execve.h"
#include "fake_kernel.h"
#include "status_text.h"

namespace capguard {
namespace {

using test::FakeKernel;
using test::Fault;

// apply_on_calling_thread() over the fake kernel: a root thread with every
// capability keeps net_bind_service and net_raw, and becomes uid 1000.
class Apply : public Fault {
 protected:
  void SetUp() override {
    Fault::SetUp();
    kernel = FakeKernel();
    plan = Plan();
    kernel.cap_data[0] = {0xffffffff, 0xffffffff, 0};
    kernel.cap_data[1] = {0x1ff, 0x1ff, 0};
    kernel.ambient = 0;
    kernel.bounding = (1ull << 41) - 1;
    plan.keep = CapSet{kKeep};
    plan.uid = plan.gid = 1000;
    plan.groups = groups;
    plan.group_count = 2;
    plan.no_new_privs = true;
  }
  static constexpr uint64_t kKeep = (1ull << 10) | (1ull << 13);
  uint32_t groups[2] = {100, 200};
  Plan plan;
};

TEST_F(Apply, TheOrderTheKernelNeeds) {
  ASSERT_TRUE(apply(plan).ok());
  std::vector<std::string> want(39, "bounding_drop");  // 41 capabilities, 2 kept
  for (const char* c : {"keepcaps_on", "setgroups", "setresgid", "setresuid", "keepcaps_off", "capset", "ambient_clear",
                        "ambient_raise", "ambient_raise", "no_new_privs"})
    want.push_back(c);
  EXPECT_EQ(kernel.calls, want);
  EXPECT_EQ(kernel.bounding, kKeep);
  EXPECT_EQ(kernel.ambient, kKeep);
  EXPECT_EQ(kernel.uids[1], 1000u);
  SetUp();
  plan.lock = true;
  ASSERT_TRUE(apply(plan).ok());
  EXPECT_EQ(kernel.calls[39], "securebits");
  EXPECT_EQ(std::count(kernel.calls.begin(), kernel.calls.end(), "keepcaps_on"), 0);
  EXPECT_EQ(kernel.ambient, kKeep);
}

// Each step's failure is reported with its errno and, where it helps, the
// capability; nothing after it runs, and no success is claimed.
TEST_F(Apply, EveryStepFailsWithItsOwnError) {
  struct Case {
    const char* call;
    long rc;
    Error code;
    int cap;
    bool lock;
  } cases[] = {
      {"bounding_drop", -EPERM, Error::bounding_drop, 0, false}, {"securebits", -EPERM, Error::securebits, -1, true},
      {"keepcaps_on", -EINVAL, Error::keepcaps, -1, false},      {"setgroups", -EPERM, Error::setgroups, -1, false},
      {"setresgid", -EPERM, Error::setgid, -1, false},           {"setresuid", -EAGAIN, Error::setuid, -1, false},
      {"keepcaps_off", -EINVAL, Error::keepcaps, -1, false},     {"capset", -EPERM, Error::capset, -1, false},
      {"ambient_clear", -EINVAL, Error::ambient, -1, false},     {"ambient_raise", -EPERM, Error::ambient, 10, false},
      {"no_new_privs", -EINVAL, Error::no_new_privs, -1, false},
  };
  for (const Case& c : cases) {
    SetUp();
    plan.lock = c.lock;
    kernel.fail[c.call] = c.rc;
    Result r = apply(plan);
    EXPECT_EQ(r.code, c.code) << c.call;
    EXPECT_EQ(r.sys_errno, -c.rc) << c.call;
    EXPECT_EQ(r.cap, c.cap) << c.call;
    EXPECT_EQ(kernel.calls.back(), c.call) << "a step ran after the failure of " << c.call;
  }
  // And every errno the man pages list for each step's call.
  struct Listed {
    const char* call;
    Error code;
    std::vector<long> errnos;
  } listed[] = {
      {"bounding_drop", Error::bounding_drop, {EINVAL, EPERM}},
      {"keepcaps_on", Error::keepcaps, {EINVAL, EPERM}},
      {"keepcaps_off", Error::keepcaps, {EINVAL, EPERM}},
      {"ambient_clear", Error::ambient, {EINVAL, EPERM}},
      {"setgroups", Error::setgroups, {EFAULT, EINVAL, ENOMEM, EPERM}},
      {"setresgid", Error::setgid, {EINVAL, EPERM}},
      {"setresuid", Error::setuid, {EAGAIN, EINVAL, EPERM}},
      {"capset", Error::capset, {EFAULT, EINVAL, EPERM, ESRCH}},
      {"ambient_raise", Error::ambient, {EINVAL, EPERM}},
      {"no_new_privs", Error::no_new_privs, {EINVAL}},
  };
  for (const Listed& l : listed)
    for (long e : l.errnos) {
      SetUp();
      kernel.fail[l.call] = -e;
      Result r = apply(plan);
      EXPECT_EQ(r.code, l.code) << l.call << " " << e;
      EXPECT_EQ(r.sys_errno, e) << l.call;
    }
  for (long e : {EINVAL, EPERM}) {
    SetUp();
    plan.lock = true;
    kernel.fail["securebits"] = -e;
    Result r = apply(plan);
    EXPECT_EQ(r.code, Error::securebits) << e;
    EXPECT_EQ(r.sys_errno, e);
  }
  // The reads before any change, and the read-back's own: getresuid(2) and
  // getresgid(2) list only EFAULT, getgroups(2) EFAULT and EINVAL, prctl(2)
  // EINVAL. Each is named; the ones before any change change nothing.
  struct Read {
    const char* call;
    bool lock, no_new_privs;
    Error code;
    const char* what;
    long errnum;
  } reads[] = {
      {"getresuid", false, false, Error::read_ids, "getresuid", EFAULT},
      {"getresgid", false, false, Error::read_ids, "getresgid", EFAULT},
      {"get_securebits", false, false, Error::read_securebits, "prctl(PR_GET_SECUREBITS)", EINVAL},
      {"capget_late", false, false, Error::read_caps, "capget", EFAULT},
      {"getresuid_late", false, false, Error::read_ids, "getresuid", EFAULT},
      {"getresgid_late", false, false, Error::read_ids, "getresgid", EFAULT},
      {"getgroups_late", false, false, Error::read_groups, "getgroups", EFAULT},
      {"get_securebits_late", true, false, Error::read_securebits, "prctl(PR_GET_SECUREBITS)", EINVAL},
      {"get_no_new_privs_late", false, true, Error::read_no_new_privs, "prctl(PR_GET_NO_NEW_PRIVS)", EINVAL},
  };
  for (const Read& read : reads) {
    SetUp();
    plan.lock = read.lock;
    plan.no_new_privs = read.no_new_privs;
    kernel.fail[read.call] = -read.errnum;
    Result r = apply(plan);
    EXPECT_EQ(r.code, read.code) << read.call;
    EXPECT_STREQ(r.what, read.what) << read.call;
    EXPECT_EQ(r.sys_errno, read.errnum) << read.call;
    bool late = std::string(read.call).find("_late") != std::string::npos;
    EXPECT_EQ(kernel.calls.empty(), !late) << read.call;
  }
  // getgroups EINVAL: more groups than the plan's kMaxGroups, so not the plan's.
  SetUp();
  kernel.fail["getgroups"] = -EINVAL;
  EXPECT_EQ(apply(plan).code, Error::verify_groups);
}

// A call that claims success but changes nothing is caught: by the read-back,
// or earlier by a later step that the kernel then refuses.
TEST_F(Apply, ReadBackCatchesWhatDidNotHappen) {
  struct Case {
    const char* call;
    Inherit inherit;
    Error code;
    int set, cap;
  } cases[] = {
      {"bounding_drop", Inherit::automatic, Error::verify_caps, 3, 0},
      {"capset", Inherit::none, Error::verify_caps, 1, 0},
      {"capset", Inherit::automatic, Error::ambient, -1, 10},  // nothing inheritable to raise
      {"ambient_raise", Inherit::automatic, Error::verify_caps, 4, 10},
      {"setresuid", Inherit::automatic, Error::verify_ids, -1, -1},
      {"setresgid", Inherit::automatic, Error::verify_ids, -1, -1},
      {"setgroups", Inherit::automatic, Error::verify_groups, -1, -1},
      {"no_new_privs", Inherit::automatic, Error::verify_flags, -1, -1},
  };
  for (const Case& c : cases) {
    SetUp();
    plan.inherit = c.inherit;
    kernel.ignore.insert(c.call);
    Result r = apply(plan);
    EXPECT_EQ(r.code, c.code) << c.call;
    EXPECT_EQ(r.set, c.set) << c.call;
    EXPECT_EQ(r.cap, c.cap) << c.call;
  }
  // Half a change: the first set and the first id are compared too.
  SetUp();
  kernel.cap_data[0].inheritable = 1;  // cap_chown, which the plan does not keep
  plan.inherit = Inherit::none;
  kernel.ignore.insert("capset_inheritable");
  Result r = apply(plan);
  EXPECT_EQ(r.code, Error::verify_caps);
  EXPECT_EQ(r.set, 0);
  EXPECT_EQ(r.cap, 0);
  for (const char* call : {"setresuid_real", "setresuid_saved"}) {
    SetUp();
    kernel.ignore.insert(call);
    EXPECT_EQ(apply(plan).code, Error::verify_ids) << call;
  }
  // A plan for uid or gid 0 is checked as any other: from 1000, with every
  // capability (file capabilities), the switch to 0 ignored.
  for (const char* call : {"setresuid", "setresgid"}) {
    SetUp();
    std::fill(kernel.uids, kernel.uids + 3, 1000);
    std::fill(kernel.gids, kernel.gids + 3, 1000);
    plan.uid = plan.gid = 0;
    kernel.ignore.insert(call);
    EXPECT_EQ(apply(plan).code, Error::verify_ids) << call;
  }
  SetUp();
  plan.lock = true;
  plan.uid = plan.gid = -1;  // root stays root, with its securebits ignored
  kernel.ignore.insert("securebits");
  EXPECT_EQ(apply(plan).code, Error::verify_flags);
  SetUp();
  plan.lock = true;  // ... and with a uid switch, setresuid takes permitted away
  kernel.ignore.insert("securebits");
  EXPECT_EQ(apply(plan).code, Error::capset);
}

TEST_F(Apply, RefusesBeforeChangingAnything) {
  kernel.cap_data[0].permitted &= ~(1u << 13);
  Result r = apply(plan);
  EXPECT_EQ(r.code, Error::not_permitted);
  EXPECT_EQ(r.cap, 13);
  SetUp();
  kernel.bounding &= ~(1ull << 10);
  r = apply(plan);
  EXPECT_EQ(r.code, Error::not_in_bounding);
  EXPECT_EQ(r.cap, 10);
  // Capability 0 (cap_chown) and the last (40) alike, in either set.
  for (int cap : {0, 40}) {
    SetUp();
    plan.keep = CapSet{kKeep}.with(cap);
    kernel.cap_data[cap / 32].permitted &= ~(1u << cap % 32);
    r = apply(plan);
    EXPECT_EQ(r.code, Error::not_permitted) << cap;
    EXPECT_EQ(r.cap, cap);
    SetUp();
    plan.keep = CapSet{kKeep}.with(cap);
    kernel.bounding &= ~(1ull << cap);
    r = apply(plan);
    EXPECT_EQ(r.code, Error::not_in_bounding) << cap;
    EXPECT_EQ(r.cap, cap);
    EXPECT_TRUE(kernel.calls.empty()) << cap;
  }
  SetUp();
  kernel.file = std::string(test::kStatusText) + "Threads:\t3\n";  // a later line wins
  EXPECT_EQ(apply(plan).code, Error::threads);
  SetUp();
  kernel.open_results = {-ENOENT};  // no /proc: the threads cannot be counted
  r = apply(plan);
  EXPECT_EQ(r.code, Error::open);
  EXPECT_STREQ(r.what, "/proc/self/status");
  EXPECT_EQ(r.sys_errno, ENOENT);
  EXPECT_TRUE(kernel.calls.empty());
  for (const char* text : {"Name:\tcapguard\n", "Threads:\t0\n"}) {  // no Threads line, or no thread
    SetUp();
    kernel.file = text;
    r = apply(plan);
    EXPECT_EQ(r.code, Error::status_no_threads) << text;
    EXPECT_STREQ(r.what, "/proc/self/status");
    EXPECT_TRUE(kernel.calls.empty());
  }
  SetUp();
  kernel.capget_result = -EPERM;
  EXPECT_EQ(apply(plan).code, Error::read_caps);
  EXPECT_TRUE(kernel.calls.empty());
}

// The modelled kernel: without keep_caps, the switch from uid 0 takes the
// permitted set away, and capset cannot put it back.
TEST_F(Apply, TheModelEnforcesTheOrder) {
  kernel.ignore.insert("keepcaps_on");
  Result r = apply(plan);
  EXPECT_EQ(r.code, Error::capset);
  EXPECT_EQ(r.sys_errno, EPERM);
  SetUp();
  kernel.cap_data[0].effective &= ~(1u << 8);  // no CAP_SETPCAP (nor permitted, which
  kernel.cap_data[0].permitted &= ~(1u << 8);  // apply would raise): no bounding drop
  r = apply(plan);
  EXPECT_EQ(r.code, Error::bounding_drop);
  EXPECT_EQ(r.sys_errno, EPERM);
}

// Leaving uid 0 needs keep_caps whichever of the three ids is 0; becoming
// uid 0 needs no ambient set (root's execve grants the bounding set).
TEST_F(Apply, RootIsAnyOfTheThreeUidsAndTheTarget) {
  for (int i = 0; i < 3; ++i) {
    SetUp();
    std::fill(kernel.uids, kernel.uids + 3, 1000);
    std::fill(kernel.gids, kernel.gids + 3, 1000);
    kernel.uids[i] = 0;
    Result r = apply(plan);
    EXPECT_TRUE(r.ok()) << i << ": " << error_message(r.code);
    EXPECT_EQ(kernel.ambient, kKeep) << i;
  }
  SetUp();
  std::fill(kernel.uids, kernel.uids + 3, 1000);
  std::fill(kernel.gids, kernel.gids + 3, 1000);
  plan.uid = plan.gid = 0;
  ASSERT_TRUE(apply(plan).ok());
  EXPECT_EQ(kernel.ambient, 0u);
  EXPECT_EQ(kernel.cap_data[0].inheritable, 0u);
  // Root staying root needs no keep_caps: a locked one is no obstacle.
  SetUp();
  kernel.securebits = 0x20;  // SECBIT_KEEP_CAPS_LOCKED
  plan.uid = plan.gid = 0;
  EXPECT_TRUE(apply(plan).ok());
}

// A kernel that knows all 64 capabilities: bit 63 is dropped from the
// bounding set, and kept through ambient, as bit 0 is.
TEST_F(Apply, AKernelWhoseLastCapabilityIs63) {
  for (uint64_t keep : {uint64_t{kKeep}, uint64_t{1 | 1ull << 63}}) {
    SetUp();
    kernel.last_cap = 63;
    kernel.files["/proc/sys/kernel/cap_last_cap"] = "63\n";
    kernel.bounding = ~0ull;
    kernel.cap_data[1] = {0xffffffff, 0xffffffff, 0};
    plan.keep = CapSet{keep};
    ASSERT_TRUE(apply(plan).ok()) << keep;
    EXPECT_EQ(kernel.bounding, keep);
    EXPECT_EQ(kernel.ambient, keep);
  }
}

// The bounding drop asks nothing first: each capability not kept is dropped,
// up to the kernel's EINVAL past its last. Without CAP_SETPCAP every drop is
// refused, and only a capability still held (0 and the last alike) is an
// error; with one capability (last_cap 0), EINVAL at 1 ends the drop.
TEST_F(Apply, TheBoundingDropAsksOnlyWhereRefused) {
  auto no_setpcap = [this] {
    SetUp();
    kernel.cap_data[0].effective &= ~(1u << 8);
    kernel.cap_data[0].permitted &= ~(1u << 8);
    kernel.bounding = kKeep;
  };
  no_setpcap();
  ASSERT_TRUE(apply(plan).ok());
  // 39 not kept, and 41, past the last: refused as well, then asked.
  EXPECT_EQ(std::count(kernel.calls.begin(), kernel.calls.end(), "bounding_drop"), 40);
  EXPECT_EQ(kernel.bounding, kKeep);
  for (int cap : {0, 40}) {
    no_setpcap();
    kernel.bounding |= 1ull << cap;
    Result r = apply(plan);
    EXPECT_EQ(r.code, Error::bounding_drop) << cap;
    EXPECT_EQ(r.sys_errno, EPERM) << cap;
    EXPECT_EQ(r.cap, cap);
  }
  SetUp();
  kernel.last_cap = 0;
  kernel.bounding = 1;
  kernel.files["/proc/sys/kernel/cap_last_cap"] = "0\n";
  plan.keep = CapSet{};
  ASSERT_TRUE(apply(plan).ok());
  EXPECT_EQ(std::count(kernel.calls.begin(), kernel.calls.end(), "bounding_drop"), 1);
  EXPECT_EQ(kernel.bounding, 0u);
}

// Clearing ambient may fail with EINVAL only where nothing is to be raised
// (a kernel before 4.3 has no ambient set); any other failure is named.
TEST_F(Apply, AmbientClearFailsOnlyAsAKernelWithoutAmbient) {
  plan.inherit = Inherit::none;
  kernel.fail["ambient_clear"] = -EINVAL;
  EXPECT_TRUE(apply(plan).ok());
  SetUp();
  plan.inherit = Inherit::none;
  kernel.fail["ambient_clear"] = -EPERM;
  Result r = apply(plan);
  EXPECT_EQ(r.code, Error::ambient);
  EXPECT_EQ(r.sys_errno, EPERM);
}

TEST_F(Apply, PlansThatWouldLeakRootAreRefusedOrFixed) {
  plan.gid = -1;  // a uid switch keeping gid 0
  EXPECT_EQ(apply(plan).code, Error::bad_plan);
  SetUp();
  plan.uid = 0, plan.gid = -1;  // uid 0 alike
  EXPECT_EQ(apply(plan).code, Error::bad_plan);
  for (int64_t bad : {-2LL, 0xffffffffLL, 1LL << 40}) {
    SetUp();
    plan.uid = bad;
    EXPECT_EQ(apply(plan).code, Error::bad_plan) << bad;
    SetUp();
    plan.uid = -1, plan.gid = bad;  // without a uid switch, refused for itself
    EXPECT_EQ(apply(plan).code, Error::bad_plan) << bad;
  }
  SetUp();
  plan.uid = plan.gid = kMaxId;  // the last id there is
  EXPECT_TRUE(apply(plan).ok());
  uint32_t many[kMaxGroups + 1];
  for (int i = 0; i <= kMaxGroups; ++i) many[i] = 1000 + i;
  many[0] = kMaxId;  // the last group there is
  SetUp();
  plan.groups = many, plan.group_count = kMaxGroups;  // as many as the kernel list holds here
  EXPECT_TRUE(apply(plan).ok());
  for (int64_t count : {int64_t{-2}, int64_t{kMaxGroups + 1}}) {
    SetUp();
    plan.groups = many, plan.group_count = count;
    EXPECT_EQ(apply(plan).code, Error::bad_plan) << count;
  }
  SetUp();
  plan.groups = nullptr, plan.group_count = 1;
  EXPECT_EQ(apply(plan).code, Error::bad_plan);
  const uint32_t no_group[] = {0xffffffff, 100};  // (uid_t)-1 first
  SetUp();
  plan.groups = no_group;
  EXPECT_EQ(apply(plan).code, Error::bad_plan);
  EXPECT_TRUE(kernel.calls.empty());
  SetUp();
  plan.group_count = -1;  // "leave them", but the uid changes: cleared
  ASSERT_TRUE(apply(plan).ok());
  EXPECT_TRUE(kernel.groups.empty());
  EXPECT_TRUE(kernel.calls.empty() == false && kernel.calls.front() == "bounding_drop");
  SetUp();
  plan.group_count = -1;  // ... and an empty list is read back too
  kernel.ignore.insert("setgroups");
  EXPECT_EQ(apply(plan).code, Error::verify_groups);
}

TEST_F(Apply, GroupsAreComparedIdByIdAsTheKernelSortsThem) {
  uint32_t mine[3] = {300, 100, 200};
  plan.groups = mine;
  plan.group_count = 3;
  ASSERT_TRUE(apply(plan).ok());
  SetUp();
  plan.groups = mine;
  plan.group_count = 3;
  kernel.fail["setgroups"] = 0;
  kernel.ignore.insert("setgroups");
  kernel.groups = {100, 200, 999};  // the same count, another id
  EXPECT_EQ(apply(plan).code, Error::verify_groups);
  // Each direction alone: the kernel's list holds an id the plan lacks
  // (every planned id being there), then lacks a planned id (every id it
  // holds being planned); then one more group, and one fewer.
  uint32_t twice[3] = {100, 100, 200};
  const std::vector<uint32_t> wrong[] = {{100, 200, 999}, {100, 100, 200}, {100, 200, 300, 400}, {100, 200}};
  for (size_t i = 0; i < 4; ++i) {
    SetUp();
    plan.groups = i == 0 ? twice : mine;
    plan.group_count = 3;
    kernel.fail["setgroups"] = 0;
    kernel.ignore.insert("setgroups");
    kernel.groups = wrong[i];
    EXPECT_EQ(apply(plan).code, Error::verify_groups) << i;
  }
}

// A thread with SECBIT_NOROOT already set is no root: it needs ambient.
TEST_F(Apply, NorootSetBeforeCountsAsNotRoot) {
  plan.uid = plan.gid = -1;
  plan.group_count = -1;
  kernel.securebits = 1;  // SECBIT_NOROOT
  ASSERT_TRUE(apply(plan).ok());
  EXPECT_EQ(kernel.ambient, kKeep);
  SetUp();
  plan.uid = plan.gid = -1;
  plan.group_count = -1;
  ASSERT_TRUE(apply(plan).ok());
  EXPECT_EQ(kernel.ambient, 0u);  // plain root: exec grants the bounding set
}

TEST_F(Apply, SpawnPipeProtocol) {
  char* argv[] = {nullptr};
  long pid = -1;
  for (long e : {EFAULT, EINVAL, EMFILE, ENFILE}) {  // pipe2(2)
    kernel.fail["pipe"] = -e;
    Result r = spawn(plan, "true", argv, argv, &pid);
    EXPECT_EQ(r.code, Error::pipe);
    EXPECT_STREQ(r.what, "pipe2");
    EXPECT_EQ(r.sys_errno, e);
  }
  for (long e : {EAGAIN, ENOMEM, ENOSYS}) {  // fork(2)
    kernel.fail.clear();
    kernel.fork_result = -e;
    Result r = spawn(plan, "true", argv, argv, &pid);
    EXPECT_EQ(r.code, Error::fork);
    EXPECT_EQ(r.sys_errno, e);
  }
  kernel.fork_result = -EAGAIN;
  kernel.signal_masks = 0;
  Result r;
  kernel.fail.clear();
  r = spawn(plan, "true", argv, argv, &pid);
  EXPECT_EQ(r.code, Error::fork);
  EXPECT_EQ(r.sys_errno, EAGAIN);
  EXPECT_EQ(pid, -1);
  EXPECT_EQ(kernel.signal_masks, 2) << "the mask is blocked and restored around fork";
  // The parent's side: EOF is an exec; a Result is the child's failure.
  // Pid 1 is a child as any other.
  for (long child : {1L, 4242L}) {
    kernel.fork_result = child;
    kernel.pipe_reads = {{-EINTR, ""}};
    ASSERT_TRUE(spawn(plan, "true", argv, argv, &pid).ok());
    EXPECT_EQ(pid, child);
    EXPECT_EQ(kernel.waited, 0);
  }
  Result sent = Result::sys_failure(Error::setuid, "setresuid", -EPERM);
  std::string bytes(reinterpret_cast<const char*>(&sent), sizeof sent);
  kernel.pipe_reads = {{0, bytes.substr(0, 3)}, {-EINTR, ""}, {0, bytes.substr(3)}};
  pid = -1;
  r = spawn(plan, "true", argv, argv, &pid);
  EXPECT_EQ(r.code, Error::setuid);
  EXPECT_EQ(r.sys_errno, EPERM);
  EXPECT_EQ(pid, -1);
  EXPECT_EQ(kernel.waited, 4242);
  kernel.pipe_reads = {{0, bytes.substr(0, 3)}};  // a child that died mid-message
  r = spawn(plan, "true", argv, argv, &pid);
  EXPECT_EQ(r.code, Error::child_report);
  EXPECT_EQ(r.sys_errno, 0);
  EXPECT_STREQ(r.what, "read");
  kernel.pipe_reads = {{-EBADF, ""}};
  r = spawn(plan, "true", argv, argv, &pid);
  EXPECT_EQ(r.code, Error::child_report);
  EXPECT_EQ(r.sys_errno, EBADF);
  EXPECT_EQ(pid, 4242) << "the child's fate is unknown: the caller gets its pid";
  // pthread_sigmask(3) lists EINVAL: nothing is forked.
  kernel.fail["block_signals"] = -EINVAL;
  kernel.fork_result = 1;
  pid = -1;
  r = spawn(plan, "true", argv, argv, &pid);
  EXPECT_EQ(r.code, Error::signal_mask);
  EXPECT_STREQ(r.what, "pthread_sigmask");
  EXPECT_EQ(r.sys_errno, EINVAL);
  EXPECT_EQ(pid, -1);
}

// run_as_init()'s side of the fork (the fake runs no child): each step that
// can fail before the child runs is an error naming its call, the caller's
// signal mask comes back, and the child is released (one byte) only once
// the caller holds nothing.
TEST_F(Apply, InitFaults) {
  int status = -1;
  auto child = [](void*) { return 0; };
  kernel.pid = 42;  // not PID 1: a subreaper
  kernel.fail["subreaper"] = -EINVAL;
  Result r = run_as_init(plan, child, nullptr, &status);
  EXPECT_EQ(r.code, Error::subreaper);
  EXPECT_STREQ(r.what, "prctl(PR_SET_CHILD_SUBREAPER)");
  EXPECT_EQ(r.sys_errno, EINVAL);
  kernel.pid = 1;  // PID 1 asks for nothing: the clone fails next
  r = run_as_init(plan, child, nullptr, &status);
  EXPECT_EQ(r.code, Error::fork);
  EXPECT_STREQ(r.what, "clone");
  EXPECT_EQ(r.sys_errno, EAGAIN);
  EXPECT_EQ(kernel.signal_mask, 0x1234u);
  for (const char* fails : {"pipe", "pipe#2"}) {  // either pipe; the fixture sees the other closed
    kernel.fail = {{fails, -EMFILE}};
    r = run_as_init(plan, child, nullptr, &status);
    EXPECT_EQ(r.code, Error::pipe);
    EXPECT_STREQ(r.what, "pipe2");
    EXPECT_EQ(r.sys_errno, EMFILE);
  }
  // The caller's own drop: as the service's ids, nothing kept. Pid 1 is a
  // child as any other.
  for (long pid : {1L, 4242L}) {
    kernel.fail = {{"setresuid", -EAGAIN}};
    kernel.clone_result = pid;
    r = run_as_init(plan, child, nullptr, &status);
    EXPECT_EQ(r.code, Error::setuid);
    EXPECT_EQ(kernel.go_bytes, 0u);
    EXPECT_EQ(kernel.waited, pid);
    EXPECT_EQ(kernel.signal_mask, 0x1234u);
    EXPECT_EQ(status, -1);
  }
}

TEST_F(Apply, InitForwardsAndReaps) {
  int status = -1;
  auto child = [](void*) { return 0; };
  kernel.clone_result = 4242;
  // setpgid and tcsetpgrp fail only when the child is dead (ESRCH), which
  // the wait finds. SIGCHLD is not forwarded, SIGHUP (1) and SIGUSR1 are;
  // an orphan (77) is reaped; the child's exit code is the status.
  kernel.fail = {{"setpgid", -ESRCH}, {"tcsetpgrp", -ESRCH}};
  kernel.pipe_reads = {{-EINTR, ""}};  // the wait for the child's exec
  kernel.signals = {SIGCHLD, SIGHUP, SIGUSR1};
  kernel.reaps = {{0, 0}, {77, 0}, {0, 0}, {0, 0}, {4242, 7 << 8}};
  Result r = run_as_init(plan, child, nullptr, &status);
  ASSERT_TRUE(r.ok()) << error_message(r.code) << " " << (r.what ? r.what : "");
  EXPECT_EQ(status, 7);
  EXPECT_EQ(kernel.go_bytes, 1u);
  EXPECT_EQ(kernel.process_group, 4242);
  EXPECT_EQ(kernel.foreground, (std::pair<int, long>{0, 4242}));
  EXPECT_TRUE(kernel.pipe_reads.empty()) << "signals wait until the child has exec'd";
  EXPECT_EQ(kernel.kills, (std::vector<std::pair<long, int>>{{4242, SIGHUP}, {4242, SIGUSR1}}));
  EXPECT_TRUE(kernel.reaps.empty()) << "every child that has ended is reaped";
  EXPECT_EQ(kernel.signal_mask, ~uint64_t{0}) << "returns to exit, every signal blocked";
  // Forwarded: every signal, SIGHUP (bit 0) to the last (64), but the
  // faults, SIGTTIN and SIGTTOU.
  uint64_t own = 0;
  for (int sig : {SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS, SIGTTIN, SIGTTOU})
    own |= uint64_t{1} << (sig - 1);
  EXPECT_EQ(kernel.waited_for, ~own);
  EXPECT_EQ(kernel.bounding, 0u);
  EXPECT_EQ(kernel.no_new_privs, 1);
  EXPECT_EQ(kernel.uids[0], 1000u);
  // Killed by signal N: 128+N (N = 1, 9 and the last, 64); exit codes 0 and
  // 255 as they are. Each run starts from the fixture's kernel again.
  for (auto [wait_status, want] : {std::pair{1, 129}, {9, 137}, {64, 192}, {0, 0}, {255 << 8, 255}}) {
    SetUp();
    kernel.clone_result = 4242;
    kernel.reaps = {{4242, wait_status}};
    r = run_as_init(plan, child, nullptr, &status);
    ASSERT_TRUE(r.ok()) << error_message(r.code) << " " << (r.what ? r.what : "");
    EXPECT_EQ(status, want);
  }
  // Pid 1 is a child as any other. A caller that is not PID 1 becomes a
  // subreaper.
  SetUp();
  kernel.pid = 42;
  kernel.clone_result = 1;
  kernel.pipe_reads = {{-EINTR, ""}};
  kernel.reaps = {{1, 3 << 8}};
  r = run_as_init(plan, child, nullptr, &status);
  ASSERT_TRUE(r.ok()) << error_message(r.code) << " " << (r.what ? r.what : "");
  EXPECT_EQ(status, 3);
  EXPECT_TRUE(kernel.pipe_reads.empty());
  EXPECT_TRUE(kernel.subreaper);
  // No child left to wait for, and the child's end not seen.
  SetUp();
  kernel.clone_result = 4242;
  kernel.reaps = {{77, 0}};
  r = run_as_init(plan, child, nullptr, &status);
  EXPECT_EQ(r.code, Error::wait);
  EXPECT_STREQ(r.what, "wait4");
  EXPECT_EQ(r.sys_errno, ECHILD);
}

// An effective set that lags the permitted one (a setcap +p program,
// setpriv --euid) is raised first; without that, the bounding drop would
// lack CAP_SETPCAP.
TEST_F(Apply, EffectiveIsRaisedToPermittedFirst) {
  kernel.cap_data[0].effective = kernel.cap_data[1].effective = 0;
  ASSERT_TRUE(apply(plan).ok());
  EXPECT_EQ(kernel.calls[0], "capset");
  EXPECT_EQ(kernel.calls[1], "bounding_drop");
  SetUp();  // as it was: no extra capset
  ASSERT_TRUE(apply(plan).ok());
  EXPECT_EQ(kernel.calls[0], "bounding_drop");
  SetUp();
  kernel.cap_data[0].effective = 0;
  kernel.fail["capset"] = -EPERM;
  Result r = apply(plan);
  EXPECT_EQ(r.code, Error::raise_effective);
  EXPECT_EQ(kernel.calls, std::vector<std::string>{"capset"});
}

// A securebit the caller set is never cleared; what it forbids is refused
// before anything changes, naming it.
TEST_F(Apply, SecurebitsTheCallerSet) {
  struct Case {
    long bits;
    bool lock;
    int64_t uid;
    const char* what;
  } cases[] = {
      {0x40, false, 1000, "SECBIT_NO_CAP_AMBIENT_RAISE"},  // ambient to raise
      {0xc0, true, 0, "SECBIT_NO_CAP_AMBIENT_RAISE"},      // root under lock gets ambient too
      {0x20, false, 1000, "SECBIT_KEEP_CAPS_LOCKED"},      // keep_caps locked off
      {0x02, true, -1, "SECBIT_NOROOT_LOCKED"},            // noroot locked off
      {0x08, true, -1, "SECBIT_NO_SETUID_FIXUP_LOCKED"},   // no_setuid_fixup locked off
  };
  for (const Case& c : cases) {
    SetUp();
    kernel.securebits = c.bits;
    plan.lock = c.lock;
    plan.uid = plan.gid = c.uid;
    Result r = apply(plan);
    EXPECT_EQ(r.code, Error::securebit_set) << c.what;
    EXPECT_STREQ(r.what, c.what);
    EXPECT_TRUE(kernel.calls.empty()) << c.what;
    EXPECT_EQ(kernel.securebits, c.bits);
  }
  // --lock adds its bits to the caller's.
  SetUp();
  kernel.securebits = 0x40;
  plan.lock = true;
  plan.uid = plan.gid = -1;
  plan.inherit = Inherit::none;
  ASSERT_TRUE(apply(plan).ok());
  EXPECT_EQ(kernel.securebits, 0x6f);
  // no_setuid_fixup already set (and locked): keep_caps is not needed.
  SetUp();
  kernel.securebits = 0x2c;
  ASSERT_TRUE(apply(plan).ok());
  EXPECT_EQ(std::count(kernel.calls.begin(), kernel.calls.end(), "keepcaps_on"), 0);
  EXPECT_EQ(kernel.uids[1], 1000u);
  // keep_caps already on: not set again, and left for execve to clear.
  SetUp();
  kernel.securebits = 0x30;
  ASSERT_TRUE(apply(plan).ok());
  EXPECT_EQ(std::count(kernel.calls.begin(), kernel.calls.end(), "keepcaps_on"), 0);
}

// Without --user the target is root when its effective uid is 0, whatever
// the real one: execve's root rules then grant the kept capabilities, and
// ambient is left empty; an effective uid other than 0 gets them through
// ambient.
TEST_F(Apply, RootIsTheEffectiveUid) {
  for (uint32_t ruid : {1000u, 0u}) {
    SetUp();
    plan.uid = plan.gid = -1;
    plan.group_count = -1;
    kernel.uids[0] = ruid;
    kernel.uids[1] = ruid == 0 ? 1000 : 0;
    ASSERT_TRUE(apply(plan).ok()) << ruid;
    EXPECT_EQ(kernel.ambient, ruid == 0 ? kKeep : 0) << "real uid " << ruid;
    EXPECT_EQ(std::count(kernel.calls.begin(), kernel.calls.end(), "keepcaps_on"), 0) << "no uid switch";
  }
}

// read_creds(): each id from its place, the kernel's last capability, the
// groups, the securebits and no_new_privs, and a failed read named.
TEST_F(Fault, ReadCredsTakesEachFromItsCall) {
  kernel.uids[0] = 4, kernel.uids[1] = 5, kernel.uids[2] = 6;
  kernel.gids[0] = 1, kernel.gids[1] = 2, kernel.gids[2] = 3;
  kernel.groups = {7, 8};
  kernel.securebits = 0x1;
  kernel.no_new_privs = 1;
  Creds c;
  ASSERT_TRUE(read_creds(&c).ok());
  EXPECT_EQ(c.uid, 4u);
  EXPECT_EQ(c.euid, 5u);
  EXPECT_EQ(c.gid, 1u);
  EXPECT_EQ(c.egid, 2u);
  EXPECT_EQ(c.last_cap, 40);
  EXPECT_EQ(c.group_count, 2);
  EXPECT_EQ(c.groups[0], 7u);
  EXPECT_EQ(c.groups[1], 8u);
  EXPECT_EQ(c.securebits, 0x1u);
  EXPECT_TRUE(c.no_new_privs);
  kernel.groups.clear();
  for (uint32_t i = 0; i < kMaxGroups; ++i) kernel.groups.push_back(1000 + i);
  ASSERT_TRUE(read_creds(&c).ok());
  EXPECT_EQ(c.group_count, kMaxGroups);
  EXPECT_EQ(c.groups[kMaxGroups - 1], 1000u + kMaxGroups - 1) << "as many as Creds holds: all held";
  kernel.fail["get_securebits"] = -EINVAL;
  Result r = read_creds(&c);
  EXPECT_EQ(r.code, Error::read_securebits);
  kernel.fail["getgroups"] = -EFAULT;
  r = read_creds(&c);
  EXPECT_EQ(r.code, Error::read_groups);
  EXPECT_STREQ(r.what, "getgroups");
  kernel.fail["getresgid"] = -EFAULT;
  r = read_creds(&c);
  EXPECT_EQ(r.code, Error::read_ids);
  EXPECT_STREQ(r.what, "getresgid");
}

// check_plan() without its pipe forks nothing and says so.
TEST_F(Fault, CheckPlanWithoutAPipe) {
  kernel.fail["pipe"] = -EMFILE;
  kernel.clone_result = 1234;
  Result r = check_plan(Plan());
  EXPECT_EQ(r.code, Error::pipe);
  EXPECT_EQ(r.sys_errno, EMFILE);
}

// check_plan()'s side of the fork (the fake runs no child): the child's
// report, read across EINTR and short reads, is the answer; a report cut
// short, or none, is an error; a failed clone is named. Both pipe ends are
// closed each time (the fixture checks).
TEST_F(Fault, CheckPlanReadsTheChildsReport) {
  kernel.clone_result = -EAGAIN;
  Result r = check_plan(Plan());
  EXPECT_EQ(r.code, Error::fork);
  EXPECT_STREQ(r.what, "clone");
  EXPECT_EQ(r.sys_errno, EAGAIN);
  EXPECT_EQ(kernel.waited, 0);
  kernel.clone_result = 4242;
  Result sent = Result::sys_failure(Error::setuid, "setresuid", -EPERM);
  std::string bytes(reinterpret_cast<const char*>(&sent), sizeof sent);
  kernel.pipe_reads = {{0, bytes.substr(0, 1)}, {-EINTR, ""}, {0, bytes.substr(1)}};
  r = check_plan(Plan());
  EXPECT_EQ(r.code, Error::setuid);
  EXPECT_EQ(r.sys_errno, EPERM);
  EXPECT_EQ(kernel.waited, 4242);
  // Pid 1 is a child as any other; the read stops at the report's end.
  kernel.clone_result = 1;
  Result fine = Result::success();
  kernel.pipe_reads = {{0, std::string(reinterpret_cast<const char*>(&fine), sizeof fine)}, {0, "?"}};
  EXPECT_TRUE(check_plan(Plan()).ok());
  EXPECT_EQ(kernel.pipe_reads.size(), 1u);
  EXPECT_EQ(kernel.waited, 1);
  kernel.clone_result = 4242;
  for (auto reads : {decltype(kernel.pipe_reads){{0, bytes.substr(0, sizeof sent - 1)}}, {{-EIO, ""}}, {}}) {
    kernel.pipe_reads = reads;
    kernel.waited = 0;
    r = check_plan(Plan());
    EXPECT_EQ(r.code, Error::child_report);
    EXPECT_STREQ(r.what, "read");
    EXPECT_EQ(kernel.waited, 4242);
  }
}

// A set-uid or set-gid program run by another user runs nothing: the real
// and effective uid, or gid, differ (either pair), or cannot be read.
TEST_F(Fault, CheckCaller) {
  struct Case {
    uint32_t uid, euid, gid, egid;
    const char* fails;  // the read that fails, or null
    long mode;
    Error code;
  } cases[] = {
      {0, 0, 0, 0, nullptr, 04755, Error::ok},
      {1000, 1000, 1000, 1000, nullptr, 06755, Error::ok},
      {1000, 0, 0, 0, nullptr, 0100755, Error::ok},
      {1000, 0, 0, 0, nullptr, 0104755, Error::setid_caller},
      {0, 1000, 0, 0, nullptr, 0104755, Error::setid_caller},
      {0, 0, 1000, 0, nullptr, 0102755, Error::setid_caller},
      {0, 0, 0, 1000, nullptr, 0102755, Error::setid_caller},
      {0, 0, 0, 0, "getresuid", 0104755, Error::setid_caller},
      {0, 0, 0, 0, "getresgid", 0102755, Error::setid_caller},
      {0, 0, 0, 0, nullptr, -ENOENT, Error::ok},
      {1000, 0, 0, 0, nullptr, -ENOENT, Error::stat},
  };
  for (const Case& c : cases) {
    kernel.uids[0] = c.uid, kernel.uids[1] = c.euid, kernel.gids[0] = c.gid, kernel.gids[1] = c.egid;
    kernel.fail.clear();
    if (c.fails != nullptr) kernel.fail[c.fails] = -EPERM;
    kernel.exe_mode = c.mode;
    Result r = check_caller();
    EXPECT_EQ(r.code, c.code) << c.uid << " " << c.euid << " " << c.gid << " " << c.egid << " "
                              << (c.fails != nullptr ? c.fails : "") << " " << c.mode;
    if (!r.ok()) {
      EXPECT_STREQ(r.what, "/proc/self/exe");
    }
  }
  kernel.fail.clear();
  kernel.uids[0] = 1000;
  kernel.exe_mode = -EACCES;
  EXPECT_EQ(check_caller().sys_errno, EACCES);
}

}  // namespace
}  // namespace capguard
