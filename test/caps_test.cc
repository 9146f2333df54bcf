// The Linux backend against the real kernel. Credential changes happen in
// forked children or on a thread of their own; results are compared with
// /proc read independently.
#include "capguard/caps.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <thread>

#include "capguard/guard.h"
#include "child.h"
#include "proc_status.h"

namespace capguard {
namespace {

// The Cap lines of a status file, read without capguard's parser.
State from_proc(const std::string& path) {
  test::ProcStatus s = test::parse_proc_status(test::slurp(path));
  EXPECT_EQ(s.cap_lines, kSetCount) << path;
  return s.caps;
}

// capset(2) on the calling thread, bypassing the library under test.
bool set_thread_caps(uint64_t eff, uint64_t prm, uint64_t inh) {
  __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct d[2] = {
      {static_cast<uint32_t>(eff), static_cast<uint32_t>(prm), static_cast<uint32_t>(inh)},
      {static_cast<uint32_t>(eff >> 32), static_cast<uint32_t>(prm >> 32), static_cast<uint32_t>(inh >> 32)}};
  return syscall(SYS_capset, &h, d) == 0;
}

bool can_set_caps() { return from_proc("/proc/self/status")[Set::effective].has(CAP_SETPCAP); }

constexpr uint64_t kBind = 1ull << CAP_NET_BIND_SERVICE;
constexpr uint64_t kRaw = 1ull << CAP_NET_RAW;

TEST(Caps, ReadThreadMatchesProc) {
  State s;
  ASSERT_TRUE(read_thread(&s).ok());
  EXPECT_EQ(s, from_proc("/proc/thread-self/status"));
}

TEST(Caps, SyscallPathMatchesProc) {
  State s;
  ASSERT_TRUE(read_thread_syscalls(&s).ok());
  EXPECT_EQ(s, from_proc("/proc/thread-self/status"));
}

TEST(Caps, ReadPid) {
  State s;
  ASSERT_TRUE(read_pid(getpid(), &s).ok());
  EXPECT_EQ(s, from_proc("/proc/self/status"));
  Result r = read_pid(0x7ffffffe, &s);
  EXPECT_EQ(r.code, Error::open);
  EXPECT_EQ(r.sys_errno, ENOENT);
}

TEST(Caps, KernelLastCap) {
  int last = -1;
  ASSERT_TRUE(kernel_last_cap(&last).ok());
  EXPECT_EQ(last, std::stoi(test::slurp("/proc/sys/kernel/cap_last_cap")));
}

// Capabilities are per thread: a thread that drops its own sees its drop;
// the main thread and /proc/self (the main thread) do not.
TEST(Caps, EachThreadReadsItself) {
  if (!can_set_caps()) GTEST_SKIP() << "needs CAP_SETPCAP in the effective set (run as root)";
  State before;
  ASSERT_TRUE(read_thread(&before).ok());
  State on_thread, on_thread_sys, thread_proc;
  bool dropped = false;
  std::thread t([&] {
    dropped = set_thread_caps(kBind, kBind | kRaw, 0);
    (void)read_thread(&on_thread);
    (void)read_thread_syscalls(&on_thread_sys);
    thread_proc = from_proc("/proc/thread-self/status");
  });
  t.join();
  ASSERT_TRUE(dropped);
  EXPECT_EQ(on_thread[Set::effective].bits, kBind);
  EXPECT_EQ(on_thread[Set::permitted].bits, kBind | kRaw);
  EXPECT_EQ(on_thread, thread_proc);
  EXPECT_EQ(on_thread_sys, thread_proc);
  State after;
  ASSERT_TRUE(read_thread(&after).ok());
  EXPECT_EQ(after, before);
}

// The guard reads its calling thread: a drop on another thread changes
// nothing it sees, and a drop on its own thread is all it sees.
TEST(Caps, GuardSeesItsOwnThreadOnly) {
  if (!can_set_caps()) GTEST_SKIP() << "needs CAP_SETPCAP in the effective set (run as root)";
  auto r = test::run_in_child([] {
    bool dropped = false, passed_there = false;
    std::thread t([&] {
      dropped = set_thread_caps(kBind, kBind, 0);
      passed_there = guard(CapSet{kBind}).ok();
    });
    t.join();
    if (!dropped || !passed_there) return 10;
    return guard(CapSet{kBind}).code == Error::unexpected_capability ? 0 : 11;
  });
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(Caps, AmbientIsReadByBothPaths) {
  if (!can_set_caps()) GTEST_SKIP() << "needs CAP_SETPCAP in the effective set (run as root)";
  auto r = test::run_in_child([] {
    if (!set_thread_caps(kBind | kRaw, kBind | kRaw, kBind | kRaw)) return 10;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0) != 0) return 11;
    State a, b;
    if (!read_thread(&a).ok() || !read_thread_syscalls(&b).ok()) return 12;
    if (a[Set::ambient].bits != kRaw || !(a == b)) return 13;
    return a == from_proc("/proc/self/status") ? 0 : 14;
  });
  EXPECT_EQ(r.status, 0) << r.err;
}

// Early init: no /proc at all. The calling thread's sets still come from the
// kernel, and the last capability from probing.
TEST(Caps, WithoutProc) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to unmount /proc in a private mount namespace";
  State expect;
  ASSERT_TRUE(read_thread(&expect).ok());
  int expect_last = -1;
  ASSERT_TRUE(kernel_last_cap(&expect_last).ok());
  auto r = test::run_in_child([&] {
    if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return 10;
    if (umount2("/proc", MNT_DETACH) != 0) return 11;
    if (access("/proc/self/status", F_OK) == 0) return 12;
    State s, p;
    int last = -1;
    if (!read_thread(&s).ok() || !(s == expect)) return 13;
    if (read_pid(getpid(), &p).code != Error::open) return 14;
    if (!kernel_last_cap(&last).ok() || last != expect_last) return 15;
    if (!guard(CapSet{~0ull}, kAllSets).ok()) return 16;
    Result v = guard(CapSet{}, set_bit(Set::bounding));
    return v.code == Error::unexpected_capability && v.set == 3 && v.cap == expect[Set::bounding].lowest() ? 0 : 17;
  });
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err.rfind("capguard: level=error event=unexpected_capability set=bounding cap=", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(Caps, GuardPassesWithinAndRefusesOutside) {
  if (!can_set_caps()) GTEST_SKIP() << "needs CAP_SETPCAP in the effective set (run as root)";
  auto within = test::run_in_child([] {
    if (!set_thread_caps(kBind, kBind | kRaw, 0)) return 10;
    return guard(CapSet{kBind | kRaw}).ok() ? 0 : 1;
  });
  EXPECT_EQ(within.status, 0);
  EXPECT_EQ(within.err, "");
  auto outside = test::run_in_child([] {
    if (!set_thread_caps(kBind, kBind | kRaw, 0)) return 10;
    Result r = guard(CapSet{kBind});
    return r.code == Error::unexpected_capability && r.set == 1 ? 0 : 1;
  });
  EXPECT_EQ(outside.status, 0);
  EXPECT_EQ(outside.err,
            "capguard: level=error event=unexpected_capability set=permitted cap=cap_net_raw bit=13"
            " unexpected_permitted=cap_net_raw allow=cap_net_bind_service"
            " fix=\"docker/podman: --cap-drop=NET_RAW; kubernetes: securityContext.capabilities.drop:"
            " [NET_RAW]\"\n");
  auto bounding = test::run_in_child([] {
    if (!set_thread_caps(0, 0, 0)) return 10;
    return guard(CapSet{}, set_bit(Set::bounding)).code == Error::unexpected_capability ? 0 : 1;
  });
  EXPECT_EQ(bounding.status, 0);
  EXPECT_NE(bounding.err.find(" set=bounding "), std::string::npos) << bounding.err;
}

}  // namespace
}  // namespace capguard
