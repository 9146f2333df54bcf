// The Linux backend over a scripted kernel: this file defines the sys layer
// (src/sys.h) in place of sys_posix.cc and sys_linux.cc, so each call can
// fail, be interrupted or come back short.
#include <errno.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <vector>
#include <string>

#include "capguard/caps.h"
#include "capguard/drop.h"
#include "capguard/guard.h"
#include "capguard/status.h"
#include "capguard/users.h"
#include "status_text.h"
#include "sys.h"

namespace capguard {
namespace {

struct FakeKernel {
  std::string file = test::kStatusText;  // what every open file holds ...
  std::map<std::string, std::string> files = {{"/proc/sys/kernel/cap_last_cap", "40\n"}};  // ... but these
  std::string open_file;
  std::deque<long> open_results;         // scripted open results, then fd 3
  std::deque<long> read_results;         // scripted -errno before each read, 0: real read
  size_t read_max = 1 << 20;             // bytes one read returns at most
  size_t pos = 0;
  int opens = 0, closes = 0, prctls = 0;
  long capget_result = 0;
  abi::CapData cap_data[2] = {{0x200400, 0xfeffffff, 0x400}, {0, 0x1ff, 0}};
  int last_cap = 40;
  uint64_t bounding = ~0ull;    // up to last_cap
  long bounding_error = 0;      // returned by PR_CAPBSET_READ when not 0
  long ambient_error = 0;       // returned by PR_CAP_AMBIENT_IS_SET when not 0 ...
  unsigned long ambient_error_from = 0;  // ... for capabilities from this one on
  uint64_t ambient = 0x400;
  std::string last_path;
  std::string release = "6.1.0-13-amd64";  // uname(2)
  // The calling thread's credentials. The calls that change them follow the
  // kernel's rules (security/commoncap.c), so a wrong order fails here too.
  uint32_t uids[3] = {}, gids[3] = {};
  std::vector<uint32_t> groups = {0, 1, 2, 3, 4};
  long no_new_privs = 0, securebits = 0, keepcaps = 0;
  std::map<std::string, long> fail;  // call -> -errno it returns instead
  std::set<std::string> ignore;      // calls that succeed but change nothing
  std::vector<std::string> calls;    // calls that change credentials, in order
  // spawn(): what fork returns, and what the parent reads from the pipe
  // (strings, or a negative errno).
  long fork_result = -EAGAIN;
  std::deque<std::pair<long, std::string>> pipe_reads;
  long waited = 0;
  int signal_masks = 0;  // block_signals and set_signal_mask calls
};
FakeKernel* k = nullptr;
// What the fake kernel was given for fd 2.
std::string stderr_text;

class Fault : public ::testing::Test {
 protected:
  void SetUp() override { k = &kernel; }
  void TearDown() override { k = nullptr; }
  FakeKernel kernel;
};

TEST_F(Fault, ShortReadsAndEintrEverywhere) {
  kernel.read_max = 1;
  kernel.open_results = {-EINTR, -EINTR};
  for (int i = 0; i < 50; ++i) kernel.read_results.push_back(i % 2 ? -EINTR : 0);
  State s;
  ASSERT_TRUE(read_thread(&s).ok());
  EXPECT_EQ(s, test::kStatusState);
  EXPECT_EQ(kernel.last_path, "/proc/thread-self/status");
  EXPECT_EQ(kernel.opens, kernel.closes);
}

TEST_F(Fault, FileLongerThanTheBufferIsReadThrough) {
  std::string groups = "Groups:\t";
  for (int g = 0; g < 3000; ++g) groups += std::to_string(100000 + g) + " ";
  kernel.file = groups + "\n" + test::kStatusText;
  ASSERT_GT(kernel.file.size(), 3 * 4096u);
  State s;
  ASSERT_TRUE(read_pid(7, &s).ok());
  EXPECT_EQ(s, test::kStatusState);
  EXPECT_EQ(kernel.last_path, "/proc/7/status");
}

TEST_F(Fault, ReadErrorIsReportedAndTheFileClosed) {
  kernel.read_max = 100;
  kernel.read_results = {0, 0, -EIO};
  State s = {{{1}, {1}, {1}, {1}, {1}}};
  Result r = read_pid(7, &s);
  EXPECT_EQ(r.code, Error::proc_read);
  EXPECT_EQ(r.sys_errno, EIO);
  EXPECT_EQ(s, (State{{{1}, {1}, {1}, {1}, {1}}}));
  EXPECT_EQ(kernel.opens, 1);
  EXPECT_EQ(kernel.closes, 1);
}

TEST_F(Fault, TruncatedFileIsAnErrorNotAPartialState) {
  kernel.file = std::string(test::kStatusText).substr(0, kernel.file.find("CapEff:") + 10);
  State s;
  EXPECT_EQ(read_pid(7, &s).code, Error::status_truncated);
}

TEST_F(Fault, OpenEnoentFallsBackToSyscalls) {
  kernel.open_results = {-ENOENT};
  State s;
  ASSERT_TRUE(read_thread(&s).ok());
  EXPECT_EQ(s, test::kStatusState);  // the fake's capget data and ambient match the text
  // bounding: 41 reads and the EINVAL past the last; ambient: one candidate bit
  EXPECT_EQ(kernel.prctls, 42 + 1);
}

TEST_F(Fault, OtherOpenErrorsFailClosed) {
  for (long e : {-EACCES, -EMFILE, -ENOMEM}) {
    kernel.open_results = {e};
    State s;
    Result r = read_thread(&s);
    EXPECT_EQ(r.code, Error::proc_open);
    EXPECT_EQ(r.sys_errno, -e);
    EXPECT_EQ(kernel.prctls, 0);
  }
}

// Every errno the man pages list for each call maps to its error, with the
// errno kept: open(2), read(2), capget(2), prctl(2).
TEST_F(Fault, EveryListedErrnoMapsToItsError) {
  for (long e : {EACCES, EFAULT, ELOOP, EMFILE, ENAMETOOLONG, ENFILE, ENOMEM, ENOTDIR, EPERM}) {
    kernel = FakeKernel();
    kernel.open_results = {-e};
    State s;
    Result r = read_pid(7, &s);
    EXPECT_EQ(r.code, Error::proc_open) << e;
    EXPECT_EQ(r.sys_errno, e);
  }
  for (long e : {EAGAIN, EBADF, EFAULT, EINVAL, EIO, EISDIR}) {
    kernel = FakeKernel();
    kernel.read_results = {-e};
    State s;
    Result r = read_pid(7, &s);
    EXPECT_EQ(r.code, Error::proc_read) << e;
    EXPECT_EQ(r.sys_errno, e);
    EXPECT_EQ(kernel.opens, kernel.closes);
  }
  for (long e : {EFAULT, EINVAL, EPERM, ESRCH}) {
    kernel = FakeKernel();
    kernel.capget_result = -e;
    State s;
    Result r = read_thread_syscalls(&s);
    EXPECT_EQ(r.code, Error::capget) << e;
    EXPECT_EQ(r.sys_errno, e);
  }
  for (long e : {EFAULT, EPERM}) {  // EINVAL is the end of the probe
    kernel = FakeKernel();
    kernel.bounding_error = -e;
    State s;
    Result r = read_thread_syscalls(&s);
    EXPECT_EQ(r.code, Error::prctl) << e;
    EXPECT_EQ(r.sys_errno, e);
  }
}

TEST_F(Fault, SyscallErrors) {
  State s = {{{1}, {1}, {1}, {1}, {1}}};
  kernel.capget_result = -EPERM;
  Result r = read_thread_syscalls(&s);
  EXPECT_EQ(r.code, Error::capget);
  EXPECT_EQ(r.sys_errno, EPERM);
  kernel.capget_result = 0;
  kernel.bounding_error = -EPERM;
  r = read_thread_syscalls(&s);
  EXPECT_EQ(r.code, Error::prctl);
  EXPECT_EQ(r.sys_errno, EPERM);
  kernel.bounding_error = 0;
  kernel.ambient_error = -EFAULT;
  r = read_thread_syscalls(&s);
  EXPECT_EQ(r.code, Error::prctl);
  EXPECT_EQ(r.sys_errno, EFAULT);
  EXPECT_EQ(s, (State{{{1}, {1}, {1}, {1}, {1}}}));
}

TEST_F(Fault, KernelWithoutAmbientSet) {
  kernel.ambient_error = -EINVAL;  // Linux before 4.3: no PR_CAP_AMBIENT
  State s;
  Result r = read_thread_syscalls(&s);  // ... but this kernel says it is 6.1: a filter?
  EXPECT_EQ(r.code, Error::prctl);
  EXPECT_EQ(r.sys_errno, EINVAL);
  kernel.release = "4.2.8";
  ASSERT_TRUE(read_thread_syscalls(&s).ok());
  EXPECT_EQ(s[Set::ambient].bits, 0u);
  // ... and no CapAmb line: the calling thread is read from the kernel.
  std::string text = test::kStatusText;
  kernel.file = text.erase(text.find("CapAmb:"), 25);
  ASSERT_TRUE(read_thread(&s).ok());
  EXPECT_EQ(s[Set::ambient].bits, 0u);
  EXPECT_EQ(s[Set::effective], test::kStatusState[Set::effective]);
  EXPECT_EQ(read_pid(7, &s).code, Error::status_missing_line);
}

TEST_F(Fault, OnlyReleasesBefore43LackAmbient) {
  kernel.ambient_error = -EINVAL;
  for (const char* release : {"4.2.8", "3.10.0-1160.el7.x86_64", "2.6.32"}) {
    kernel.release = release;
    State s;
    EXPECT_TRUE(read_thread_syscalls(&s).ok()) << release;
  }
  for (const char* release : {"4.3.0", "4.19.0-26-amd64", "5.0", "6.18.44-fc", "", "x.y", "4", "4."}) {
    kernel.release = release;
    State s;
    EXPECT_EQ(read_thread_syscalls(&s).code, Error::prctl) << release;
  }
}

TEST_F(Fault, EinvalIsOnlyToleratedWhereItMeansAbsent) {
  State s = {{{1}, {1}, {1}, {1}, {1}}};
  kernel.last_cap = -1;  // PR_CAPBSET_READ(0) answers EINVAL: no kernel does that
  Result r = read_thread_syscalls(&s);
  EXPECT_EQ(r.code, Error::prctl);
  EXPECT_EQ(r.sys_errno, EINVAL);
  EXPECT_EQ(r.cap, 0);
  int last = 0;
  kernel.open_results = {-ENOENT};
  EXPECT_EQ(kernel_last_cap(&last).code, Error::prctl);
  kernel.last_cap = 40;
  kernel.ambient = 0;
  kernel.cap_data[0].inheritable = 0x3;
  kernel.cap_data[0].permitted |= 0x3;
  kernel.ambient_error_from = 1;  // the first question works, the second fails
  kernel.ambient_error = -EINVAL;
  r = read_thread_syscalls(&s);
  EXPECT_EQ(r.code, Error::prctl);
  EXPECT_EQ(r.cap, 1);
  EXPECT_EQ(s, (State{{{1}, {1}, {1}, {1}, {1}}}));
}

TEST_F(Fault, BadPidsAreRefusedWithoutOpening) {
  State s;
  for (long pid : {-1L, -2147483648L, 2147483648L}) {
    Result r = read_pid(pid, &s);
    EXPECT_EQ(r.code, Error::proc_open) << pid;
    EXPECT_EQ(r.sys_errno, EINVAL) << pid;
  }
  EXPECT_EQ(kernel.opens, 0);
  EXPECT_TRUE(read_pid(2147483647, &s).ok());
  EXPECT_EQ(kernel.last_path, "/proc/2147483647/status");
  EXPECT_TRUE(read_pid(0, &s).ok());
  EXPECT_EQ(kernel.last_path, "/proc/self/status");
}

// The boot guard fails closed: what it cannot read, it does not pass.
TEST_F(Fault, GuardFailsClosed) {
  kernel.capget_result = -EPERM;
  stderr_text.clear();
  Result r = guard(CapSet{~0ull}, kAllSets);
  EXPECT_EQ(r.code, Error::capget);
  EXPECT_EQ(r.sys_errno, EPERM);
  EXPECT_EQ(stderr_text,
            "capguard: level=error event=capability_read_failed error=\"capget failed: EPERM (errno 1)\"\n");
  kernel.capget_result = 0;
  kernel.bounding_error = -EPERM;
  stderr_text.clear();
  r = guard(CapSet{~0ull}, kAllSets);
  EXPECT_EQ(r.code, Error::prctl);
  EXPECT_EQ(stderr_text,
            "capguard: level=error event=capability_read_failed"
            " error=\"prctl failed (cap_chown): EPERM (errno 1)\"\n");
}

// The common check asks the kernel once: no /proc, no prctl.
TEST_F(Fault, GuardCostsOneCapget) {
  kernel.cap_data[0].inheritable = 0;
  ASSERT_TRUE(guard(CapSet{~0ull}).ok());
  EXPECT_EQ(kernel.prctls, 0);
  EXPECT_EQ(kernel.opens, 0);
}

// /proc is read up to the last Cap line: the read that would only see the
// end of the file is saved, and what follows is not looked at.
TEST_F(Fault, ReadingStopsAfterTheCapLines) {
  kernel.file = std::string(test::kStatusText) + "CapEff:\tzz\n";
  kernel.read_max = sizeof test::kStatusText - 1;  // the first read ends after the good text
  kernel.read_results = {0, -EIO};                 // a second would fail
  State s;
  ASSERT_TRUE(read_thread(&s).ok());
  EXPECT_EQ(s, test::kStatusState);
}

TEST_F(Fault, NewerKernelBitsAreKept) {
  kernel.last_cap = 42;
  State s;
  ASSERT_TRUE(read_thread_syscalls(&s).ok());
  EXPECT_EQ(s[Set::bounding].bits, (1ull << 43) - 1);
  int last = 0;
  kernel.open_results = {-ENOENT};
  ASSERT_TRUE(kernel_last_cap(&last).ok());
  EXPECT_EQ(last, 42);
}

// Every file read survives one-byte reads and EINTR: cap_last_cap, and
// /etc/passwd and /etc/group for the CLI's names.
TEST_F(Fault, EveryFileSurvivesShortAndInterruptedReads) {
  kernel.read_max = 1;
  for (int i = 0; i < 400; ++i) kernel.read_results.push_back(i % 3 ? 0 : -EINTR);
  kernel.open_results = {-EINTR};
  int last = 0;
  ASSERT_TRUE(kernel_last_cap(&last).ok());
  EXPECT_EQ(last, 40);
  kernel.files["/etc/passwd"] = "root:x:0:0::/:/bin/sh\napp:x:1000:1001::/:/bin/sh";
  kernel.files["/etc/group"] = "root:x:0:\nusers:x:100:a,b";
  uint32_t uid = 0, gid = 0;
  ASSERT_TRUE(find_user("app", &uid, &gid).ok());
  EXPECT_EQ(uid, 1000u);
  EXPECT_EQ(gid, 1001u);
  ASSERT_TRUE(find_group("users", &gid).ok());
  EXPECT_EQ(gid, 100u);
  kernel.read_results = {0, 0, -EIO};
  EXPECT_EQ(find_user("app", &uid, &gid).code, Error::proc_read);
  kernel.open_results = {-EACCES};
  EXPECT_EQ(find_group("users", &gid).code, Error::proc_open);
  kernel.open_results = {-ENOENT};  // no /etc/group: no such group
  EXPECT_EQ(find_group("users", &gid).code, Error::unknown_group);
  EXPECT_EQ(kernel.opens, kernel.closes);
}

TEST_F(Fault, KernelLastCapText) {
  struct Case {
    const char* text;
    int last;  // -1: bad_last_cap
  } cases[] = {{"40\n", 40}, {"0\n", 0}, {"63\n", 63}, {"41", 41}, {"64\n", -1}, {"", -1},
               {"\n", -1},   {"4x\n", -1}, {"-1\n", -1}, {"40\n\n", -1}, {"0000000040\n", -1}};
  for (const Case& c : cases) {
    kernel.files["/proc/sys/kernel/cap_last_cap"] = c.text;
    int last = 99;
    Result r = kernel_last_cap(&last);
    if (c.last < 0) {
      EXPECT_EQ(r.code, Error::bad_last_cap) << c.text;
      EXPECT_EQ(last, 99) << c.text;
    } else {
      EXPECT_TRUE(r.ok()) << c.text;
      EXPECT_EQ(last, c.last) << c.text;
    }
  }
  EXPECT_EQ(kernel.last_path, "/proc/sys/kernel/cap_last_cap");
}

// apply_on_calling_thread() over the fake kernel: a root thread with every
// capability keeps net_bind_service and net_raw, and becomes uid 1000.
class Apply : public Fault {
 protected:
  void SetUp() override {
    Fault::SetUp();
    kernel = FakeKernel();
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
  ASSERT_TRUE(apply_on_calling_thread(plan, false).ok());
  std::vector<std::string> want(39, "bounding_drop");  // 41 capabilities, 2 kept
  for (const char* c : {"keepcaps_on", "setgroups", "setresgid", "setresuid", "keepcaps_off", "capset",
                        "ambient_clear", "ambient_raise", "ambient_raise", "no_new_privs"})
    want.push_back(c);
  EXPECT_EQ(kernel.calls, want);
  EXPECT_EQ(kernel.bounding, kKeep);
  EXPECT_EQ(kernel.ambient, kKeep);
  EXPECT_EQ(kernel.uids[1], 1000u);
  SetUp();
  plan.lock = true;
  ASSERT_TRUE(apply_on_calling_thread(plan, false).ok());
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
      {"bounding_drop", -EPERM, Error::bounding_drop, 0, false},
      {"securebits", -EPERM, Error::securebits, -1, true},
      {"keepcaps_on", -EINVAL, Error::keepcaps, -1, false},
      {"setgroups", -EPERM, Error::setgroups, -1, false},
      {"setresgid", -EPERM, Error::setgid, -1, false},
      {"setresuid", -EAGAIN, Error::setuid, -1, false},
      {"keepcaps_off", -EINVAL, Error::keepcaps, -1, false},
      {"capset", -EPERM, Error::capset, -1, false},
      {"ambient_clear", -EINVAL, Error::ambient, -1, false},
      {"ambient_raise", -EPERM, Error::ambient, 10, false},
      {"no_new_privs", -EINVAL, Error::no_new_privs, -1, false},
  };
  for (const Case& c : cases) {
    SetUp();
    plan.lock = c.lock;
    kernel.fail[c.call] = c.rc;
    Result r = apply_on_calling_thread(plan, false);
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
      Result r = apply_on_calling_thread(plan, false);
      EXPECT_EQ(r.code, l.code) << l.call << " " << e;
      EXPECT_EQ(r.sys_errno, e) << l.call;
    }
  for (long e : {EINVAL, EPERM}) {
    SetUp();
    plan.lock = true;
    kernel.fail["securebits"] = -e;
    Result r = apply_on_calling_thread(plan, false);
    EXPECT_EQ(r.code, Error::securebits) << e;
    EXPECT_EQ(r.sys_errno, e);
  }
  // The read-back's own calls: getresuid(2) and getresgid(2) list only
  // EFAULT, getgroups(2) EFAULT and EINVAL.
  for (const char* call : {"getresuid", "getresgid"}) {
    SetUp();
    kernel.fail[call] = -EFAULT;
    Result r = apply_on_calling_thread(plan, false);
    EXPECT_EQ(r.code, Error::verify_ids) << call;
    EXPECT_EQ(r.sys_errno, EFAULT) << call;
  }
  SetUp();
  kernel.fail["getgroups"] = -EINVAL;
  EXPECT_EQ(apply_on_calling_thread(plan, false).code, Error::verify_groups);
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
    Result r = apply_on_calling_thread(plan, false);
    EXPECT_EQ(r.code, c.code) << c.call;
    EXPECT_EQ(r.set, c.set) << c.call;
    EXPECT_EQ(r.cap, c.cap) << c.call;
  }
  SetUp();
  plan.lock = true;
  plan.uid = plan.gid = -1;  // root stays root, with its securebits ignored
  kernel.ignore.insert("securebits");
  EXPECT_EQ(apply_on_calling_thread(plan, false).code, Error::verify_flags);
  SetUp();
  plan.lock = true;  // ... and with a uid switch, setresuid takes permitted away
  kernel.ignore.insert("securebits");
  EXPECT_EQ(apply_on_calling_thread(plan, false).code, Error::capset);
}

TEST_F(Apply, RefusesBeforeChangingAnything) {
  kernel.cap_data[0].permitted &= ~(1u << 13);
  Result r = apply_on_calling_thread(plan, false);
  EXPECT_EQ(r.code, Error::not_permitted);
  EXPECT_EQ(r.cap, 13);
  SetUp();
  kernel.bounding &= ~(1ull << 10);
  r = apply_on_calling_thread(plan, false);
  EXPECT_EQ(r.code, Error::not_in_bounding);
  EXPECT_EQ(r.cap, 10);
  SetUp();
  kernel.file = std::string(test::kStatusText) + "Threads:\t3\n";  // a later line wins
  EXPECT_EQ(apply_on_calling_thread(plan, false).code, Error::threads);
  SetUp();
  kernel.open_results = {-ENOENT};  // no /proc: the threads cannot be counted
  r = apply_on_calling_thread(plan, false);
  EXPECT_EQ(r.code, Error::threads);
  EXPECT_EQ(r.sys_errno, ENOENT);
  SetUp();
  kernel.capget_result = -EPERM;
  EXPECT_EQ(apply_on_calling_thread(plan, false).code, Error::capget);
  EXPECT_TRUE(kernel.calls.empty());
}

// The modelled kernel: without keep_caps, the switch from uid 0 takes the
// permitted set away, and capset cannot put it back.
TEST_F(Apply, TheModelEnforcesTheOrder) {
  kernel.ignore.insert("keepcaps_on");
  Result r = apply_on_calling_thread(plan, false);
  EXPECT_EQ(r.code, Error::capset);
  EXPECT_EQ(r.sys_errno, EPERM);
  SetUp();
  kernel.cap_data[0].effective &= ~(1u << 8);  // no CAP_SETPCAP: no bounding drop
  r = apply_on_calling_thread(plan, false);
  EXPECT_EQ(r.code, Error::bounding_drop);
  EXPECT_EQ(r.sys_errno, EPERM);
}

TEST_F(Apply, PlansThatWouldLeakRootAreRefusedOrFixed) {
  plan.gid = -1;  // a uid switch keeping gid 0
  EXPECT_EQ(apply_on_calling_thread(plan, false).code, Error::bad_plan);
  for (int64_t bad : {-2LL, 0xffffffffLL, 1LL << 40}) {
    SetUp();
    plan.uid = bad;
    EXPECT_EQ(apply_on_calling_thread(plan, false).code, Error::bad_plan) << bad;
  }
  SetUp();
  plan.group_count = -1;  // "leave them", but the uid changes: cleared
  ASSERT_TRUE(apply_on_calling_thread(plan, false).ok());
  EXPECT_TRUE(kernel.groups.empty());
  EXPECT_TRUE(kernel.calls.empty() == false && kernel.calls.front() == "bounding_drop");
}

TEST_F(Apply, GroupsAreComparedIdByIdAsTheKernelSortsThem) {
  uint32_t mine[3] = {300, 100, 200};
  plan.groups = mine;
  plan.group_count = 3;
  ASSERT_TRUE(apply_on_calling_thread(plan, false).ok());
  SetUp();
  plan.groups = mine;
  plan.group_count = 3;
  kernel.fail["setgroups"] = 0;
  kernel.ignore.insert("setgroups");
  kernel.groups = {100, 200, 999};  // the same count, another id
  EXPECT_EQ(apply_on_calling_thread(plan, false).code, Error::verify_groups);
}

// A thread with SECBIT_NOROOT already set is no root: it needs ambient.
TEST_F(Apply, NorootSetBeforeCountsAsNotRoot) {
  plan.uid = plan.gid = -1;
  plan.group_count = -1;
  kernel.securebits = 1;  // SECBIT_NOROOT
  ASSERT_TRUE(apply_on_calling_thread(plan, false).ok());
  EXPECT_EQ(kernel.ambient, kKeep);
  SetUp();
  plan.uid = plan.gid = -1;
  plan.group_count = -1;
  ASSERT_TRUE(apply_on_calling_thread(plan, false).ok());
  EXPECT_EQ(kernel.ambient, 0u);  // plain root: exec grants the bounding set
}

TEST_F(Apply, SpawnPipeProtocol) {
  char* argv[] = {nullptr};
  long pid = -1;
  for (long e : {EFAULT, EINVAL, EMFILE, ENFILE}) {  // pipe2(2)
    kernel.fail["pipe"] = -e;
    Result r = spawn(plan, "true", argv, argv, &pid);
    EXPECT_EQ(r.code, Error::pipe);
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
  kernel.fork_result = 4242;
  kernel.pipe_reads = {{-EINTR, ""}};
  ASSERT_TRUE(spawn(plan, "true", argv, argv, &pid).ok());
  EXPECT_EQ(pid, 4242);
  EXPECT_EQ(kernel.waited, 0);
  Result sent{Error::setuid, EPERM};
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
  EXPECT_EQ(r.code, Error::fork);
  EXPECT_EQ(r.sys_errno, EIO);
  kernel.pipe_reads = {{-EBADF, ""}};
  r = spawn(plan, "true", argv, argv, &pid);
  EXPECT_EQ(r.code, Error::pipe);
  EXPECT_EQ(pid, 4242) << "the child's fate is unknown: the caller gets its pid";
}

}  // namespace

namespace sys {

long open_read(const char* path) {
  k->last_path = path;
  if (!k->open_results.empty()) {
    long rc = k->open_results.front();
    k->open_results.pop_front();
    return rc;
  }
  ++k->opens;
  k->pos = 0;
  k->open_file = k->files.count(path) ? k->files[path] : k->file;
  return 3;
}

long read(int fd, void* buf, size_t n) {
  if (fd == 5) {  // spawn()'s pipe
    if (k->pipe_reads.empty()) return 0;
    auto [rc, bytes] = k->pipe_reads.front();
    k->pipe_reads.pop_front();
    if (rc < 0) return rc;
    n = std::min(n, bytes.size());
    memcpy(buf, bytes.data(), n);
    return static_cast<long>(n);
  }
  EXPECT_EQ(fd, 3);
  if (!k->read_results.empty()) {
    long rc = k->read_results.front();
    k->read_results.pop_front();
    if (rc != 0) return rc;
  }
  n = std::min({n, k->read_max, k->open_file.size() - k->pos});
  memcpy(buf, k->open_file.data() + k->pos, n);
  k->pos += n;
  return static_cast<long>(n);
}

long close(int fd) {
  if (fd != 3) return 0;  // a pipe end
  ++k->closes;
  return 0;
}

long write(int fd, const void* buf, size_t n) {
  EXPECT_EQ(fd, 2);
  stderr_text.append(static_cast<const char*>(buf), n);
  return static_cast<long>(n);
}
long getpid() { return 1; }
long uname(struct utsname* out) {
  snprintf(out->release, sizeof out->release, "%s", k->release.c_str());
  return 0;
}
long execve(const char*, char* const*, char* const*) { return -ENOENT; }

long capget(abi::CapHeader* header, abi::CapData data[abi::kCapWords]) {
  EXPECT_EQ(header->version, abi::kCapVersion3);
  EXPECT_EQ(header->pid, 0);
  if (k->capget_result != 0) return k->capget_result;
  data[0] = k->cap_data[0];
  data[1] = k->cap_data[1];
  return 0;
}

namespace {

uint64_t get(uint32_t abi::CapData::*field) { return uint64_t{k->cap_data[1].*field} << 32 | k->cap_data[0].*field; }
void put(uint32_t abi::CapData::*field, uint64_t v) {
  k->cap_data[0].*field = static_cast<uint32_t>(v);
  k->cap_data[1].*field = static_cast<uint32_t>(v >> 32);
}
bool effective_has(int cap) { return (get(&abi::CapData::effective) >> cap) & 1; }

// A credential-changing call: records it, then fails as scripted, or as the
// kernel would without `cap` in the effective set (-1: none needed), or is
// ignored. Returns true when the change should happen.
bool change(const std::string& call, long* rc, int cap = -1) {
  k->calls.push_back(call);
  *rc = k->fail.count(call) ? k->fail[call] : cap >= 0 && !effective_has(cap) ? -EPERM : 0;
  return *rc == 0 && !k->ignore.count(call);
}

constexpr int kSetgid = 6, kSetuid = 7, kSetpcap = 8;

}  // namespace

long capset(abi::CapHeader* header, const abi::CapData data[abi::kCapWords]) {
  EXPECT_EQ(header->version, abi::kCapVersion3);
  auto word = [&](uint32_t abi::CapData::*f) { return uint64_t{data[1].*f} << 32 | data[0].*f; };
  uint64_t e = word(&abi::CapData::effective), p = word(&abi::CapData::permitted), i = word(&abi::CapData::inheritable);
  long rc;
  bool go = change("capset", &rc);
  // cap_capset(): permitted only shrinks, effective within it, inheritable
  // within the old inheritable and bounding sets.
  if (rc == 0 && ((p & ~get(&abi::CapData::permitted)) || (e & ~p) ||
                  (i & ~(get(&abi::CapData::inheritable) | k->bounding))))
    return -EPERM;
  if (go) {
    put(&abi::CapData::effective, e);
    put(&abi::CapData::permitted, p);
    put(&abi::CapData::inheritable, i);
    k->ambient &= p & i;
  }
  return rc;
}

long prctl(int option, unsigned long arg2, unsigned long arg3) {
  ++k->prctls;
  long rc = 0;
  switch (option) {
    case abi::kPrCapbsetRead:
      if (k->bounding_error != 0) return k->bounding_error;
      if (static_cast<long>(arg2) > k->last_cap) return -EINVAL;
      return (k->bounding >> arg2) & 1;
    case abi::kPrCapbsetDrop:
      if (change("bounding_drop", &rc, kSetpcap)) k->bounding &= ~(1ull << arg2);
      return rc;
    case abi::kPrSetSecurebits:
      if (change("securebits", &rc, kSetpcap)) k->securebits = static_cast<long>(arg2);
      return rc;
    case abi::kPrGetSecurebits:
      return k->securebits;
    case abi::kPrSetKeepcaps:
      if (change(arg2 ? "keepcaps_on" : "keepcaps_off", &rc)) k->keepcaps = static_cast<long>(arg2);
      return rc;
    case abi::kPrSetNoNewPrivs:
      if (change("no_new_privs", &rc)) k->no_new_privs = 1;
      return rc;
    case abi::kPrGetNoNewPrivs:
      return k->no_new_privs;
    case abi::kPrCapAmbient:
      if (arg2 == abi::kPrCapAmbientClearAll) {
        if (change("ambient_clear", &rc)) k->ambient = 0;
        return rc;
      }
      if (arg2 == abi::kPrCapAmbientRaise) {
        bool go = change("ambient_raise", &rc);
        // cap_task_prctl(): only what is permitted and inheritable.
        if (rc == 0 && !((get(&abi::CapData::permitted) & get(&abi::CapData::inheritable)) >> arg3 & 1))
          return -EPERM;
        if (go) k->ambient |= 1ull << arg3;
        return rc;
      }
      EXPECT_EQ(arg2, static_cast<unsigned long>(abi::kPrCapAmbientIsSet));
      if (k->ambient_error != 0 && arg3 >= k->ambient_error_from) return k->ambient_error;
      return (k->ambient >> arg3) & 1;
    default:
      ADD_FAILURE() << "unexpected prctl " << option;
      return -EINVAL;
  }
}

long setgroups(size_t n, const uint32_t* groups) {
  long rc;
  if (change("setgroups", &rc, kSetgid)) {
    k->groups.assign(groups, groups + n);
    std::sort(k->groups.begin(), k->groups.end());
  }
  return rc;
}
long getgroups(size_t n, uint32_t* groups) {
  if (k->fail.count("getgroups")) return k->fail["getgroups"];
  if (n == 0) return static_cast<long>(k->groups.size());
  if (n < k->groups.size()) return -EINVAL;
  std::copy(k->groups.begin(), k->groups.end(), groups);
  return static_cast<long>(k->groups.size());
}
long setresgid(uint32_t gid) {
  long rc;
  if (change("setresgid", &rc, kSetgid)) k->gids[0] = k->gids[1] = k->gids[2] = gid;
  return rc;
}
long setresuid(uint32_t uid) {
  long rc;
  if (!change("setresuid", &rc, kSetuid)) return rc;
  // cap_emulate_setxuid(): leaving uid 0 clears permitted and effective
  // unless keep_caps, and ambient always, unless no_setuid_fixup (bit 2).
  bool was_root = k->uids[0] == 0 || k->uids[1] == 0 || k->uids[2] == 0;
  if (was_root && uid != 0 && !(k->securebits & 4)) {
    if (!k->keepcaps) put(&abi::CapData::permitted, 0);
    put(&abi::CapData::effective, 0);
    k->ambient = 0;
  }
  k->uids[0] = k->uids[1] = k->uids[2] = uid;
  return rc;
}
long getresgid(uint32_t ids[3]) {
  std::copy(k->gids, k->gids + 3, ids);
  return k->fail.count("getresgid") ? k->fail["getresgid"] : 0;
}
long getresuid(uint32_t ids[3]) {
  std::copy(k->uids, k->uids + 3, ids);
  // The first call, before any change, is not the read-back: fail only that.
  return k->fail.count("getresuid") && !k->calls.empty() ? k->fail["getresuid"] : 0;
}
long pipe_cloexec(int fds[2]) {
  long rc;
  if (change("pipe", &rc)) fds[0] = 5, fds[1] = 6;
  return rc;
}
long fork() { return k->fork_result; }  // the fake runs no child: only the parent's side
long wait_pid(long pid) {
  k->waited = pid;
  return pid;
}
void exit_now(int) { abort(); }
long block_signals(sigset_t*) { return ++k->signal_masks, 0; }
long set_signal_mask(const sigset_t*) { return ++k->signal_masks, 0; }
void default_signal_handlers() { ADD_FAILURE() << "only the child resets signal handlers"; }

}  // namespace sys
}  // namespace capguard
