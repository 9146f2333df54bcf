// The Linux backend's reading (src/caps_linux.cc: read_thread,
// read_thread_syscalls, read_pid, kernel_last_cap) over the fake kernel of
// fake_kernel.h: each call can fail, be interrupted or come back short.
#include <errno.h>
#include <gtest/gtest.h>

#include <string>

#include "capguard/caps.h"
#include "capguard/execve.h"
#include "fake_kernel.h"
#include "release.h"
#include "status_text.h"

namespace capguard {
namespace {

using test::FakeKernel;
using test::Fault;

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
  EXPECT_EQ(r.code, Error::read);
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
    EXPECT_EQ(r.code, Error::open);
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
    EXPECT_EQ(r.code, Error::open) << e;
    EXPECT_EQ(r.sys_errno, e);
  }
  for (long e : {EAGAIN, EBADF, EFAULT, EINVAL, EIO, EISDIR}) {
    kernel = FakeKernel();
    kernel.read_results = {-e};
    State s;
    Result r = read_pid(7, &s);
    EXPECT_EQ(r.code, Error::read) << e;
    EXPECT_EQ(r.sys_errno, e);
    EXPECT_EQ(kernel.opens, kernel.closes);
  }
  for (long e : {EFAULT, EINVAL, EPERM, ESRCH}) {
    kernel = FakeKernel();
    kernel.capget_result = -e;
    State s;
    Result r = read_thread_syscalls(&s);
    EXPECT_EQ(r.code, Error::read_caps) << e;
    EXPECT_EQ(r.sys_errno, e);
  }
  for (long e : {EFAULT, EPERM}) {  // EINVAL is the end of the probe
    kernel = FakeKernel();
    kernel.bounding_error = -e;
    State s;
    Result r = read_thread_syscalls(&s);
    EXPECT_EQ(r.code, Error::read_bounding) << e;
    EXPECT_EQ(r.sys_errno, e);
  }
}

TEST_F(Fault, SyscallErrors) {
  State s = {{{1}, {1}, {1}, {1}, {1}}};
  kernel.capget_result = -EPERM;
  Result r = read_thread_syscalls(&s);
  EXPECT_EQ(r.code, Error::read_caps);
  EXPECT_EQ(r.sys_errno, EPERM);
  kernel.capget_result = 0;
  kernel.bounding_error = -EPERM;
  r = read_thread_syscalls(&s);
  EXPECT_EQ(r.code, Error::read_bounding);
  EXPECT_EQ(r.sys_errno, EPERM);
  kernel.bounding_error = 0;
  kernel.ambient_error = -EFAULT;
  r = read_thread_syscalls(&s);
  EXPECT_EQ(r.code, Error::read_ambient);
  EXPECT_EQ(r.sys_errno, EFAULT);
  EXPECT_EQ(s, (State{{{1}, {1}, {1}, {1}, {1}}}));
}

TEST_F(Fault, KernelWithoutAmbientSet) {
  kernel.ambient_error = -EINVAL;  // Linux before 4.3: no PR_CAP_AMBIENT
  State s;
  Result r = read_thread_syscalls(&s);  // ... but this kernel says it is 6.1: a filter?
  EXPECT_EQ(r.code, Error::read_ambient);
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

// Bounding and ambient are asked only when wanted, each on its own; the
// capget(2) sets always come back.
TEST_F(Fault, OnlyTheSetsAskedForAreProbed) {
  State s;
  ASSERT_TRUE(read_thread_syscalls(&s, set_bit(Set::effective) | set_bit(Set::permitted)).ok());
  EXPECT_EQ(s, (State{{{0x400}, {0x1fffeffffff}, {0x200400}, {0}, {0}}}));
  EXPECT_EQ(kernel.prctls, 0);
  ASSERT_TRUE(read_thread_syscalls(&s, set_bit(Set::ambient)).ok());
  EXPECT_EQ(s, (State{{{0x400}, {0x1fffeffffff}, {0x200400}, {0}, {0x400}}}));
  EXPECT_EQ(kernel.prctls, 1);  // the one capability both permitted and inheritable
  ASSERT_TRUE(read_thread_syscalls(&s, set_bit(Set::bounding)).ok());
  EXPECT_EQ(s, (State{{{0x400}, {0x1fffeffffff}, {0x200400}, {0x1ffffffffff}, {0}}}));
}

// Only a missing CapAmb line is a kernel before 4.3: any other line missing,
// or a CapAmb line that is there but bad, is an error, not the fallback.
TEST_F(Fault, OnlyAMissingAmbientLineFallsBack) {
  std::string text = test::kStatusText;
  kernel.file = std::string(text).erase(text.find("CapPrm:"), 25);
  State s;
  Result r = read_thread(&s);
  EXPECT_EQ(r.code, Error::status_missing_line);
  EXPECT_EQ(r.set, static_cast<int>(Set::permitted));
  kernel.file = text.replace(text.find("CapAmb:") + 22, 1, "x");
  r = read_thread(&s);
  EXPECT_EQ(r.code, Error::status_bad_digit);
  EXPECT_EQ(r.set, static_cast<int>(Set::ambient));
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
    EXPECT_EQ(read_thread_syscalls(&s).code, Error::read_ambient) << release;
  }
  kernel.release = "2.6.78-fc";  // a 6.18 under UNAME26 (setarch --uname-2.6)
  kernel.personality = 0x0020000;
  State s;
  EXPECT_EQ(read_thread_syscalls(&s).code, Error::read_ambient);
}

// The release's major and minor are read digit by digit, each up to 1000;
// anything else in their place makes the release newer than any.
TEST_F(Fault, ReleasesAreReadToTheirEdges) {
  struct {
    const char* release;
    uint64_t major, minor;
    bool before;
  } cases[] = {
      {"9.0", 10, 0, true},
      {"10.0", 11, 0, true},
      {"5.0", 5, 1, true},
      {"5.9-rc1", 5, 10, true},
      {"4_19", 5, 0, false},
      {"1000.1000", 1001, 0, true},
      {"1000.1000", 1000, 1001, true},
      {"1001.0", 2000, 0, false},
      {"5.1001", 6, 0, false},
  };
  for (const auto& c : cases) {
    kernel.release = c.release;
    EXPECT_EQ(kernel_before(c.major, c.minor), c.before) << c.release;
  }
}

// Linux 6.17 changed which ids execve compares (commit 337490f0007f):
// read_creds() says which rule the running kernel follows.
TEST_F(Fault, ReleasesBefore617CompareWithTheRealIds) {
  for (const char* release : {"6.16.9", "6.1.0-57-amd64", "5.19", "4.2.8"}) {
    kernel.release = release;
    Creds c;
    ASSERT_TRUE(read_creds(&c).ok()) << release;
    EXPECT_TRUE(c.real_id_rule) << release;
  }
  for (const char* release : {"6.17.0", "6.18.44-fc", "7.0", "", "6", "6.x"}) {
    kernel.release = release;
    Creds c;
    ASSERT_TRUE(read_creds(&c).ok()) << release;
    EXPECT_FALSE(c.real_id_rule) << release;
  }
  // Under UNAME26 the release is made up (6.18 says 2.6.78): not believed,
  // nor when the persona cannot be read.
  kernel.release = "2.6.78-fc";
  for (long persona : {0x0020000L, long{-EFAULT}}) {
    kernel.personality = persona;
    Creds c;
    ASSERT_TRUE(read_creds(&c).ok()) << persona;
    EXPECT_FALSE(c.real_id_rule) << persona;
  }
}

TEST_F(Fault, EinvalIsOnlyToleratedWhereItMeansAbsent) {
  State s = {{{1}, {1}, {1}, {1}, {1}}};
  kernel.last_cap = -1;  // PR_CAPBSET_READ(0) answers EINVAL: no kernel does that
  Result r = read_thread_syscalls(&s);
  EXPECT_EQ(r.code, Error::read_bounding);
  EXPECT_EQ(r.sys_errno, EINVAL);
  EXPECT_EQ(r.cap, 0);
  int last = 0;
  kernel.open_results = {-ENOENT};
  EXPECT_EQ(kernel_last_cap(&last).code, Error::read_bounding);
  kernel.last_cap = 0;  // EINVAL from capability 1 on: a kernel with one capability
  kernel.bounding = 1;
  State one;
  ASSERT_TRUE(read_thread_syscalls(&one, set_bit(Set::bounding)).ok());
  EXPECT_EQ(one[Set::bounding], CapSet{1});
  kernel.last_cap = 40;
  kernel.ambient = 0;
  kernel.cap_data[0].inheritable = 0x3;
  kernel.cap_data[0].permitted |= 0x3;
  kernel.ambient_error_from = 1;  // the first question works, the second fails
  kernel.ambient_error = -EINVAL;
  r = read_thread_syscalls(&s);
  EXPECT_EQ(r.code, Error::read_ambient);
  EXPECT_EQ(r.cap, 1);
  EXPECT_EQ(s, (State{{{1}, {1}, {1}, {1}, {1}}}));
}

TEST_F(Fault, BadPidsAreRefusedWithoutOpening) {
  State s;
  for (long pid : {-1L, -2147483648L, 2147483648L}) {
    Result r = read_pid(pid, &s);
    EXPECT_EQ(r.code, Error::open) << pid;
    EXPECT_EQ(r.sys_errno, EINVAL) << pid;
  }
  EXPECT_EQ(kernel.opens, 0);
  EXPECT_TRUE(read_pid(2147483647, &s).ok());
  EXPECT_EQ(kernel.last_path, "/proc/2147483647/status");
  EXPECT_TRUE(read_pid(0, &s).ok());
  EXPECT_EQ(kernel.last_path, "/proc/self/status");
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
  ASSERT_TRUE(kernel_last_cap(&last).ok());
  EXPECT_EQ(last, 42);
}

// The kernel's last capability comes from the kernel, in a binary search,
// never from /proc/sys/kernel/cap_last_cap, which a mount namespace can fake.
TEST_F(Fault, KernelLastCapIsProbed) {
  for (int want : {0, 1, 31, 32, 40, 62, 63}) {
    kernel.last_cap = want;
    kernel.prctls = 0;
    int last = -1;
    ASSERT_TRUE(kernel_last_cap(&last).ok()) << want;
    EXPECT_EQ(last, want);
    EXPECT_EQ(kernel.prctls, 7) << want;  // six halvings of 0..63, and capability 0
  }
  EXPECT_EQ(kernel.opens, 0);
  int last = 99;
  kernel.last_cap = -1;  // EINVAL even for capability 0: no kernel answers so
  Result r = kernel_last_cap(&last);
  EXPECT_EQ(r.code, Error::read_bounding);
  EXPECT_EQ(r.sys_errno, EINVAL);
  EXPECT_EQ(r.cap, 0);
  kernel.last_cap = 40;
  kernel.bounding_error = -EPERM;
  r = kernel_last_cap(&last);
  EXPECT_EQ(r.code, Error::read_bounding);
  EXPECT_EQ(r.sys_errno, EPERM);
  EXPECT_EQ(last, 99);
}

}  // namespace
}  // namespace capguard
