// apply_on_calling_thread() and spawn() against the real kernel, as root.
// Every scenario runs in a forked child; the resulting sets are read from
// outside capguard: the exec'd program's /proc/self/status, or the spawned
// child's /proc/<pid>/status, parsed by proc_status.h without capguard's
// parser.
#include "capguard/drop.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "capguard/caps.h"
#include "child.h"
#include "proc_status.h"
#include "sys.h"

namespace capguard {
namespace {

constexpr uint64_t kBind = 1ull << CAP_NET_BIND_SERVICE;

// A cross build's tests run under qemu-user; test/meson.build says so.
bool under_qemu() {
  const char* qemu = getenv("CAPGUARD_QEMU");
  return qemu != nullptr && *qemu != '\0';
}

// Forks; the child applies `plan` and execs `program /proc/self/status`,
// whose output comes back. A failed apply comes back as "apply failed: N".
std::string run(const Plan& plan, const std::string& program) {
  test::ChildResult r = test::run_in_child([&] {
    dup2(2, 1);  // onto run_in_child's pipe: the program's output comes back
    Result applied = apply_on_calling_thread(plan);
    if (!applied.ok()) {
      std::string msg = "apply failed: " + std::to_string(static_cast<int>(applied.code)) + " errno " +
                        std::to_string(applied.sys_errno);
      (void)!write(1, msg.data(), msg.size());
      return 1;
    }
    execl(program.c_str(), program.c_str(), "/proc/self/status", nullptr);
    (void)!write(1, "exec failed", 11);
    return 127;
  });
  return r.err;
}

class Drop : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to change credentials";
    State s;
    ASSERT_TRUE(read_thread(&s).ok());
    if ((s[Set::permitted].bits & kNeeded) != kNeeded)
      GTEST_SKIP() << "needs CAP_SETUID, CAP_SETGID, CAP_SETPCAP, CAP_SETFCAP, CAP_CHOWN, CAP_FOWNER";
  }
  static constexpr uint64_t kNeeded = (1ull << CAP_SETUID) | (1ull << CAP_SETGID) | (1ull << CAP_SETPCAP) |
                                      (1ull << CAP_SETFCAP) | (1ull << CAP_CHOWN) | (1ull << CAP_FOWNER);
};

// The scenarios of the kernel's tools/testing/selftests/capabilities/
// test_execve.c for CAP_NET_BIND_SERVICE, each set up by capguard, with and
// without no_new_privs. Programs are copies of cat: plain, set-uid and
// set-gid to root and to another id, and one with file capabilities.
class Execve : public Drop {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/capguard-execve-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    ASSERT_EQ(chmod(tmpl, 0755), 0);
    std::string cat = "cp /bin/cat " + dir_ + "/";
    struct Copy {
      const char* name;
      const char* owner;
      mode_t mode;
    } copies[] = {{"plain", "0:0", 0755},     {"suidroot", "0:0", 04755},    {"suidnonroot", "1:0", 04755},
                  {"sgidroot", "0:0", 02755}, {"sgidnonroot", "0:2", 02755}, {"fcaps", "0:0", 0755}};
    for (const Copy& c : copies) {
      std::string path = dir_ + "/" + c.name;
      ASSERT_EQ(system((cat + c.name + " && chown " + c.owner + " " + path).c_str()), 0);
      ASSERT_EQ(chmod(path.c_str(), c.mode), 0);
    }
    // Permitted net_bind_service and net_raw from the file. Not effective: a
    // "capability-dumb" +ep file that cannot get all of them (net_raw is out
    // of the bounding set) fails to exec with EPERM (commoncap.c).
    ASSERT_EQ(system(("setcap cap_net_bind_service,cap_net_raw+p " + dir_ + "/fcaps").c_str()), 0)
        << "setcap is in Debian's libcap2-bin";
  }
  static void TearDownTestSuite() { (void)system(("rm -rf " + dir_).c_str()); }

  // Applies {keep = net_bind_service, inherit, uid/gid}, execs `program`,
  // and expects exactly `want` ("eipa" letters) for net_bind_service and
  // nothing else, with bounding net_bind_service alone.
  void expect(const char* program, Inherit inherit, int64_t id, bool nnp, const char* want) {
    Plan plan;
    plan.keep = CapSet{kBind};
    plan.inherit = inherit;
    plan.uid = plan.gid = id;
    plan.group_count = id >= 0 ? 0 : -1;
    plan.no_new_privs = nnp;
    std::string out = run(plan, dir_ + "/" + program);
    test::ProcStatus s = test::parse_proc_status(out);
    std::string got;
    if (s.caps[Set::effective].bits == kBind) got += 'e';
    if (s.caps[Set::inheritable].bits == kBind) got += 'i';
    if (s.caps[Set::permitted].bits == kBind) got += 'p';
    if (s.caps[Set::ambient].bits == kBind) got += 'a';
    SCOPED_TRACE(std::string(program) + (nnp ? " with no_new_privs" : "") + "\n" + out);
    EXPECT_EQ(got, want);
    for (int i = 0; i < kSetCount; ++i) EXPECT_EQ(s.caps.sets[i].bits & ~kBind, 0u) << i;
    EXPECT_EQ(s.caps[Set::bounding].bits, kBind);
    EXPECT_EQ(s.no_new_privs, nnp ? 1 : 0);
  }
  static std::string dir_;
};
std::string Execve::dir_;

TEST_F(Execve, RootScenarios) {
  for (bool nnp : {false, true}) {
    expect("plain", Inherit::none, -1, nnp, "ep");
    expect("plain", Inherit::inheritable, -1, nnp, "eip");
    expect("plain", Inherit::ambient, -1, nnp, "eipa");
    expect("suidroot", Inherit::ambient, -1, nnp, "eipa");
    // A set-id exec drops ambient; no_new_privs makes it no set-id exec.
    expect("suidnonroot", Inherit::ambient, -1, nnp, nnp ? "eipa" : "ip");
    expect("sgidroot", Inherit::ambient, -1, nnp, "eipa");
    expect("sgidnonroot", Inherit::ambient, -1, nnp, nnp ? "eipa" : "eip");
    // Root's exec gets all of bounding anyway, but a file with capabilities
    // clears ambient, no_new_privs or not (commoncap.c: has_fcap).
    expect("fcaps", Inherit::ambient, -1, nnp, "eip");
  }
}

TEST_F(Execve, RootWithGid1Scenarios) {
  for (bool nnp : {false, true}) {
    Plan plan;
    plan.keep = CapSet{kBind};
    plan.inherit = Inherit::ambient;
    plan.gid = 1;
    plan.no_new_privs = nnp;
    test::ProcStatus s = test::parse_proc_status(run(plan, dir_ + "/sgidroot"));
    EXPECT_EQ(s.caps[Set::effective].bits, kBind);
    EXPECT_EQ(s.caps[Set::ambient].bits, nnp ? kBind : 0) << "Root, gid != 0, +ia, sgidroot => eip";
    EXPECT_EQ(s.gid, nnp ? "1\t1\t1\t1" : "1\t0\t0\t0");
  }
}

TEST_F(Execve, NonRootScenarios) {
  for (bool nnp : {false, true}) {
    expect("plain", Inherit::none, 1, nnp, "");
    expect("plain", Inherit::inheritable, 1, nnp, "i");
    expect("plain", Inherit::ambient, 1, nnp, "eipa");
    expect("plain", Inherit::automatic, 1, nnp, "eipa");
    expect("sgidnonroot", Inherit::ambient, 1, nnp, nnp ? "eipa" : "i");
    expect("sgidroot", Inherit::ambient, 1, nnp, nnp ? "eipa" : "i");
    // File capabilities are limited by the dropped bounding set (net_raw
    // stays out) and clear ambient; no_new_privs also limits them to the
    // old permitted set, which changes nothing here.
    expect("fcaps", Inherit::ambient, 1, nnp, "ip");
  }
}

// Go's os/exec TestAmbientCaps: nobody keeps two capabilities through ambient.
TEST_F(Drop, GoAmbientCaps) {
  Plan plan;
  uint64_t keep = (1ull << CAP_SYS_TIME) | (1ull << CAP_SYSLOG);
  plan.keep = CapSet{keep};
  plan.uid = plan.gid = 65534;
  plan.group_count = 0;
  test::ProcStatus s = test::parse_proc_status(run(plan, "/bin/cat"));
  EXPECT_EQ(s.caps, (State{{{keep}, {keep}, {keep}, {keep}, {keep}}}));
  EXPECT_EQ(s.uid, "65534\t65534\t65534\t65534");
  EXPECT_EQ(s.gid, "65534\t65534\t65534\t65534");
  EXPECT_EQ(s.groups, " ");  // fs/proc/array.c prints a blank for no groups
}

TEST_F(Drop, LockKeepsRootUnprivileged) {
  Plan plan;
  plan.keep = CapSet{kBind};
  plan.lock = true;
  // Root, locked: exec grants nothing for uid 0, so the kept set must come
  // through ambient, which automatic chooses.
  test::ProcStatus s = test::parse_proc_status(run(plan, "/bin/cat"));
  EXPECT_EQ(s.caps, (State{{{kBind}, {kBind}, {kBind}, {kBind}, {kBind}}}));
  plan.inherit = Inherit::none;
  s = test::parse_proc_status(run(plan, "/bin/cat"));
  EXPECT_EQ(s.caps, (State{{{0}, {0}, {0}, {kBind}, {0}}}));
}

TEST_F(Drop, SupplementaryGroups) {
  uint32_t groups[] = {100, 200, 4000000000u};
  Plan plan;
  plan.groups = groups;
  plan.group_count = 3;
  EXPECT_EQ(test::parse_proc_status(run(plan, "/bin/cat")).groups, "100 200 4000000000 ");
  plan.group_count = 0;
  EXPECT_EQ(test::parse_proc_status(run(plan, "/bin/cat")).groups, " ");
}

TEST_F(Drop, RefusedBeforeAnythingChanges) {
  Plan plan;
  plan.keep = CapSet{1ull << 63};  // no kernel has it: not permitted
  EXPECT_EQ(run(plan, "/bin/cat"),
            "apply failed: " + std::to_string(static_cast<int>(Error::not_permitted)) + " errno 0");
}

// The thread that applies is the one that changes; with other threads in the
// process, apply refuses unless told it is a fresh child. In a forked child,
// so that a regression cannot change the test process.
TEST_F(Drop, ThreadedProcessIsRefusedAndUnchanged) {
  auto r = test::run_in_child([] {
    State before, after;
    if (!read_thread(&before).ok()) return 10;
    bool stop = false;
    std::thread other([&] {
      while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) usleep(1000);
    });
    Plan plan;
    plan.keep = CapSet{kBind};
    plan.uid = plan.gid = 1;
    Result refused = apply(plan);
    __atomic_store_n(&stop, true, __ATOMIC_RELAXED);
    other.join();
    if (refused.code != Error::threads) return 11;
    if (!read_thread(&after).ok() || !(after == before) || getuid() != 0) return 12;
    // One thread again: now it applies. Not under qemu-user, which keeps a
    // thread of its own (its RCU thread) in every process.
    if (under_qemu()) return 14;
    return apply(plan).ok() && getuid() == 1 ? 0 : 13;
  });
  if (r.status == 14)
    GTEST_SKIP() << "the refusal is checked, not that apply() works once the process has one thread again: "
                    "qemu-user keeps a thread of its own in every process";
  EXPECT_EQ(r.status, 0) << r.err;
}

// The parent's signal handlers never run in spawn()'s child: with signals
// hitting the process group in bursts, a spawned /bin/true either runs
// (exit 0) or dies of the signal's default action, never of the handler.
TEST_F(Drop, ParentSignalHandlersNeverRunInTheChild) {
  auto r = test::run_in_child([] {
    if (setpgid(0, 0) != 0) return 10;
    static pid_t parent = getpid();
    struct sigaction sa = {};
    sa.sa_handler = [](int) {
      if (getpid() != parent) _exit(42);
    };
    sigaction(SIGUSR1, &sa, nullptr);
    bool stop = false;
    // Bursts of a few milliseconds hit children between fork and exec; the
    // quiet gaps after them, longer than a /bin/true lives even on a loaded
    // machine, let children run to the end, so that spawn is seen to work.
    // Signals without gaps once killed every child of 2000.
    std::thread noise([&] {
      while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
        for (int i = 0; i < 30; ++i) {
          kill(0, SIGUSR1);
          free(malloc(64));  // the allocator busy in another thread
          usleep(static_cast<unsigned>(rand() % 200));
        }
        usleep(static_cast<unsigned>(10000 + rand() % 20000));
      }
    });
    Plan plan;
    plan.keep = CapSet{kBind};
    char true_arg[] = "true";
    char* argv[] = {true_arg, nullptr};
    char* envp[] = {nullptr};
    int bad = 0, ran = 0, refused = 0;
    int tries = 0;
    for (; tries < 2000 && (tries < 300 || ran < 10); ++tries) {
      long pid = -1;
      Result sr = spawn(plan, "/bin/true", argv, envp, &pid);
      if (!sr.ok()) {
        ++refused;  // an honest failure, never a false success
        continue;
      }
      int ws = 0;
      while (waitpid(static_cast<pid_t>(pid), &ws, 0) < 0 && errno == EINTR) {
      }
      if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0)
        ++ran;
      else if (!(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGUSR1))
        ++bad;
    }
    __atomic_store_n(&stop, true, __ATOMIC_RELAXED);
    noise.join();
    fprintf(stderr, "ran %d, killed by the signal %d, refused %d, bad %d\n", ran, tries - ran - bad - refused, refused,
            bad);
    return bad == 0 && ran > 0 ? 0 : 11;
  });
  EXPECT_EQ(r.status, 0) << r.err;
}

// spawn() from a parent with several threads: the child runs the command in
// the planned state, read from outside through /proc/<pid>/status; the
// parent and its threads keep theirs.
// What spawn()'s child calls before its execve: every caught signal back to
// its default, the first (SIGHUP) and the last (SIGRTMAX) alike; an ignored
// one stays ignored, as execve(2) keeps it.
TEST(Sys, DefaultSignalHandlersResetsWhatIsCaught) {
  auto r = test::run_in_child([] {
    struct sigaction sa = {};
    sa.sa_handler = [](int) {};
    for (int sig : {SIGHUP, SIGUSR1, SIGRTMAX})
      if (sigaction(sig, &sa, nullptr) != 0) return 100;
    if (signal(SIGUSR2, SIG_IGN) == SIG_ERR) return 101;
    sys::default_signal_handlers();
    for (int sig : {SIGHUP, SIGUSR1, SIGRTMAX})
      if (sigaction(sig, nullptr, &sa) != 0 || sa.sa_handler != SIG_DFL) return sig;
    return sigaction(SIGUSR2, nullptr, &sa) == 0 && sa.sa_handler == SIG_IGN ? 0 : 102;
  });
  EXPECT_EQ(r.status, 0) << "the signal not reset, or 100+: " << r.err;
}

TEST_F(Drop, SpawnFromAThreadedParent) {
  State before;
  ASSERT_TRUE(read_thread(&before).ok());
  bool stop = false;
  std::thread threads[3];
  for (auto& t : threads)
    t = std::thread([&] {
      while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) usleep(1000);
    });
  Plan plan;
  plan.keep = CapSet{kBind};
  plan.uid = plan.gid = 1;
  plan.group_count = 0;
  plan.no_new_privs = true;
  char sleep_arg[] = "sleep", secs[] = "5";
  char* argv[] = {sleep_arg, secs, nullptr};
  char* envp[] = {nullptr};
  long pid = -1;
  Result r = spawn(plan, "sleep", argv, envp, &pid);
  __atomic_store_n(&stop, true, __ATOMIC_RELAXED);
  for (auto& t : threads) t.join();
  ASSERT_TRUE(r.ok()) << static_cast<int>(r.code) << " errno " << r.sys_errno;
  ASSERT_GT(pid, 0) << "kill(-1) would end every process";
  std::string exe;
  for (int i = 0; i < 200 && exe.find("sleep") == std::string::npos; ++i, usleep(5000))
    exe = test::slurp("/proc/" + std::to_string(pid) + "/comm");
  test::ProcStatus s = test::parse_proc_status(test::slurp("/proc/" + std::to_string(pid) + "/status"));
  kill(static_cast<pid_t>(pid), SIGKILL);
  waitpid(static_cast<pid_t>(pid), nullptr, 0);
  EXPECT_EQ(exe, "sleep\n");
  EXPECT_EQ(s.caps, (State{{{kBind}, {kBind}, {kBind}, {kBind}, {kBind}}}));
  EXPECT_EQ(s.uid, "1\t1\t1\t1");
  EXPECT_EQ(s.no_new_privs, 1);
  State after;
  ASSERT_TRUE(read_thread(&after).ok());
  EXPECT_EQ(after, before);
}

// A failed spawn runs nothing, reaps its child, and says why.
TEST_F(Drop, FailedSpawnRunsNothing) {
  std::string marker = "/tmp/capguard-spawn-marker-" + std::to_string(getpid());
  unlink(marker.c_str());
  char touch[] = "touch";
  char* argv[] = {touch, marker.data(), nullptr};
  char path[] = "PATH=/usr/bin:/bin";
  char* envp[] = {path, nullptr};
  Plan plan;
  plan.keep = CapSet{1ull << 63};
  long pid = -1;
  Result r = spawn(plan, "touch", argv, envp, &pid);
  EXPECT_EQ(r.code, Error::not_permitted);
  EXPECT_EQ(r.cap, 63);
  EXPECT_EQ(pid, -1);
  plan.keep = CapSet{};
  r = spawn(plan, "capguard-no-such-command", argv, envp, &pid);
  EXPECT_EQ(r.code, Error::exec_not_found);
  EXPECT_EQ(pid, -1);
  EXPECT_EQ(access(marker.c_str(), F_OK), -1);
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1) << "a child was left unreaped";
  EXPECT_EQ(errno, ECHILD);
}

}  // namespace
}  // namespace capguard
