// Dropping capabilities on Linux. The order is the kernel's, not ours:
// - PR_CAPBSET_DROP and PR_SET_SECUREBITS need CAP_SETPCAP in the effective
//   set, which the switch away from uid 0 takes: both come first.
// - setresuid from uid 0 to another clears permitted and effective unless
//   keep_caps or no_setuid_fixup is set, and clears ambient regardless
//   (security/commoncap.c, cap_emulate_setxuid()): keep caps before it,
//   raise ambient after it.
// - setgroups and setresgid need CAP_SETGID, setresuid CAP_SETUID, which the
//   uid switch may end: groups and gid before uid.
// - capset may not raise permitted, nor inheritable beyond the bounding set
//   (cap_capset()): after the bounding drop.
// - PR_CAP_AMBIENT_RAISE needs the capability permitted and inheritable
//   (cap_task_prctl()): after capset.
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "capguard/caps.h"
#include "capguard/drop.h"
#include "capguard/exec.h"
#include "capguard/execve.h"
#include "plan.h"
#include "release.h"
#include "sys.h"

namespace capguard {
namespace {

// The signals an init forwards, as tini: all but those it takes as its own,
// the faults a program raises against itself and those a background
// process gets for touching its terminal (bit N-1 is signal N).
constexpr uint64_t kForwarded = ~(
    uint64_t{1} << (SIGILL - 1) | uint64_t{1} << (SIGTRAP - 1) | uint64_t{1} << (SIGABRT - 1) |
    uint64_t{1} << (SIGBUS - 1) | uint64_t{1} << (SIGFPE - 1) | uint64_t{1} << (SIGSEGV - 1) |
    uint64_t{1} << (SIGSYS - 1) | uint64_t{1} << (SIGTTIN - 1) | uint64_t{1} << (SIGTTOU - 1));

// capset(2) of `s`'s inheritable, permitted and effective sets, as step `e`.
Result set_caps(const State& s, Error e) {
  abi::CapHeader header = {abi::kCapVersion3, 0};
  abi::CapData data[abi::kCapWords];
  for (int w = 0; w < abi::kCapWords; ++w) {
    auto word = [w](CapSet c) { return static_cast<uint32_t>(c.bits >> (32 * w)); };
    data[w] = {word(s[Set::effective]), word(s[Set::permitted]), word(s[Set::inheritable])};
  }
  long rc = sys::capset(&header, data);
  return rc < 0 ? Result::sys_failure(e, "capset", rc) : Result::success();
}

Result read_ids(uint32_t (&uids)[3], uint32_t (&gids)[3]) {  // sized: a shorter array does not compile
  long rc = sys::getresuid(uids);
  if (rc < 0) return Result::sys_failure(Error::read_ids, "getresuid", rc);
  if ((rc = sys::getresgid(gids)) < 0) return Result::sys_failure(Error::read_ids, "getresgid", rc);
  return Result::success();
}

Result verify(const Plan& plan, int64_t group_count, const State& want) {
  State got;
  Result r = read_thread_syscalls(&got);
  if (!r.ok()) return r;
  for (int i = 0; i < kSetCount; ++i)
    if (got.sets[i] != want.sets[i])
      return Result::failure(Error::verify_caps, i, CapSet{got.sets[i].bits ^ want.sets[i].bits}.lowest());
  uint32_t uids[3], gids[3];
  if (!(r = read_ids(uids, gids)).ok()) return r;
  for (int i = 0; i < 3; ++i)
    if ((plan.uid >= 0 && uids[i] != plan.uid) || (plan.gid >= 0 && gids[i] != plan.gid))
      return Result::failure(Error::verify_ids);
  if (group_count >= 0) {
    uint32_t ids[kMaxGroups];
    long n = sys::getgroups(kMaxGroups, ids);
    // EINVAL: more groups than kMaxGroups, so more than the plan's.
    if (n < 0 && n != -EINVAL) return Result::sys_failure(Error::read_groups, "getgroups", n);
    if (n != group_count) return Result::failure(Error::verify_groups);
    // The kernel sorts the list (kernel/groups.c): compare as sets, both ways.
    for (long i = 0; i < n; ++i)
      if (!contains(plan.groups, n, ids[i]) || !contains(ids, n, plan.groups[i]))
        return Result::failure(Error::verify_groups);
  }
  long rc;
  if (plan.no_new_privs) {
    if ((rc = sys::prctl(abi::kPrGetNoNewPrivs, 0)) < 0)
      return Result::sys_failure(Error::read_no_new_privs, "prctl(PR_GET_NO_NEW_PRIVS)", rc);
    if (rc != 1) return Result::failure(Error::verify_flags);
  }
  if (plan.lock) {
    if ((rc = sys::prctl(abi::kPrGetSecurebits, 0)) < 0)
      return Result::sys_failure(Error::read_securebits, "prctl(PR_GET_SECUREBITS)", rc);
    if ((static_cast<unsigned long>(rc) & kLockBits) != kLockBits) return Result::failure(Error::verify_flags);
  }
  return Result::success();
}

}  // namespace

Result apply(const Plan& plan) {
  long threads = 0;
  Result r = count_threads(&threads);
  if (r.ok() && threads != 1) r = Result::failure(Error::threads);
  return r.ok() ? apply_on_calling_thread(plan) : r;
}

Result apply_on_calling_thread(const Plan& plan) {
  // A uid switch without a gid would keep gid 0; one that kept the caller's
  // groups would keep root's group 0: refuse the first, clear the second.
  if (plan.uid < -1 || plan.uid > kMaxId || plan.gid < -1 || plan.gid > kMaxId || (plan.uid >= 0 && plan.gid < 0) ||
      plan.group_count < -1 || plan.group_count > kMaxGroups || (plan.group_count > 0 && plan.groups == nullptr))
    return Result::failure(Error::bad_plan);
  // (uint32_t)-1 is no group to the kernel: setgroups would refuse it only
  // after the bounding set is gone.
  for (int64_t i = 0; i < plan.group_count; ++i)
    if (plan.groups[i] > kMaxId) return Result::failure(Error::bad_plan);
  int64_t group_count = groups_to_set(plan);
  // The bounding set only to refuse keeping what it lacks: the drop below
  // needs no answer.
  State now;
  Result r = read_thread_syscalls(&now, kCapgetSets | (plan.keep.empty() ? 0 : set_bit(Set::bounding)));
  if (!r.ok()) return r;
  uint32_t uids[3], gids[3];
  if (!(r = read_ids(uids, gids)).ok()) return r;
  long bits = sys::prctl(abi::kPrGetSecurebits, 0);
  if (bits < 0) return Result::sys_failure(Error::read_securebits, "prctl(PR_GET_SECUREBITS)", bits);
  // Refuse what cannot be kept before changing anything.
  if (int cap = plan.keep.minus(now[Set::permitted]).lowest(); cap >= 0)
    return Result::failure(Error::not_permitted, static_cast<int>(Set::permitted), cap);
  if (int cap = plan.keep.minus(now[Set::bounding]).lowest(); cap >= 0)
    return Result::failure(Error::not_in_bounding, static_cast<int>(Set::bounding), cap);
  // --lock adds its bits to what the caller set, and never clears one.
  auto old = static_cast<unsigned long>(bits);
  unsigned long secure = plan.lock ? old | kLockBits : old;
  State want = intended(plan, (plan.uid >= 0 ? plan.uid : uids[1]) == 0 && (secure & abi::kSecbitNoroot) == 0);
  // Securebits the caller set that forbid a step (security/commoncap.c,
  // cap_task_prctl()): a locked bit cannot change, an ambient capability
  // cannot be raised under no_cap_ambient_raise, keep_caps cannot be set
  // once locked (no_setuid_fixup makes it unneeded).
  bool from_root = uids[0] == 0 || uids[1] == 0 || uids[2] == 0;
  bool keepcaps = plan.uid > 0 && from_root && (secure & (abi::kSecbitNoSetuidFixup | abi::kSecbitKeepCaps)) == 0;
  if (unsigned long stuck = ((old & kLocks) >> 1) & (old ^ secure); stuck != 0)
    return Result::failure(Error::securebit_set)
        .with_what(stuck & abi::kSecbitNoroot ? "SECBIT_NOROOT_LOCKED" : "SECBIT_NO_SETUID_FIXUP_LOCKED");
  if ((secure & abi::kSecbitNoCapAmbientRaise) != 0 && !want[Set::ambient].empty())
    return Result::failure(Error::securebit_set)
        .with_what("SECBIT_NO_CAP_AMBIENT_RAISE")
        .with_cap(want[Set::ambient].lowest());
  if (keepcaps && (old & abi::kSecbitKeepCapsLocked) != 0)
    return Result::failure(Error::securebit_set).with_what("SECBIT_KEEP_CAPS_LOCKED");
  // An effective set that lags the permitted one (a setcap +p program,
  // setpriv --euid) is raised first: capset allows it, and the steps below
  // need CAP_SETPCAP, CAP_SETGID and CAP_SETUID effective.
  State raised = now;
  raised[Set::effective] = now[Set::permitted];
  if (raised[Set::effective] != now[Set::effective] && !(r = set_caps(raised, Error::raise_effective)).ok()) return r;

  // Every capability not kept, up to the running kernel's last (EINVAL past
  // it; every kernel has capability 0), not the table's: a kernel newer than
  // this build has capabilities it has no name for. Without CAP_SETPCAP the
  // kernel refuses to drop even what the set lacks, before it looks
  // (cap_prctl_drop()): only a capability held makes that refusal an error.
  long rc;
  for (int cap = 0; cap < 64; ++cap) {
    if (plan.keep.has(cap)) continue;
    rc = sys::prctl(abi::kPrCapbsetDrop, static_cast<unsigned long>(cap));
    long held = rc == -EPERM ? sys::prctl(abi::kPrCapbsetRead, static_cast<unsigned long>(cap)) : rc;
    if (held == 0) continue;  // dropped, or never held
    if (held == -EINVAL && cap > 0) break;
    return Result::sys_failure(Error::bounding_drop, "prctl(PR_CAPBSET_DROP)", rc).with_cap(cap);
  }
  if (plan.lock && (rc = sys::prctl(abi::kPrSetSecurebits, secure)) < 0)
    return Result::sys_failure(Error::securebits, "prctl(PR_SET_SECUREBITS)", rc);
  if (keepcaps && (rc = sys::prctl(abi::kPrSetKeepcaps, 1)) < 0)
    return Result::sys_failure(Error::keepcaps, "prctl(PR_SET_KEEPCAPS, 1)", rc);
  if (group_count >= 0 && (rc = sys::setgroups(static_cast<size_t>(group_count), plan.groups)) < 0)
    return Result::sys_failure(Error::setgroups, "setgroups", rc);
  if (plan.gid >= 0 && (rc = sys::setresgid(static_cast<uint32_t>(plan.gid))) < 0)
    return Result::sys_failure(Error::setgid, "setresgid", rc);
  if (plan.uid >= 0 && (rc = sys::setresuid(static_cast<uint32_t>(plan.uid))) < 0)
    return Result::sys_failure(Error::setuid, "setresuid", rc);
  if (keepcaps && (rc = sys::prctl(abi::kPrSetKeepcaps, 0)) < 0)
    return Result::sys_failure(Error::keepcaps, "prctl(PR_SET_KEEPCAPS, 0)", rc);

  if (!(r = set_caps(want, Error::capset)).ok()) return r;

  rc = sys::prctl(abi::kPrCapAmbient, abi::kPrCapAmbientClearAll);
  // EINVAL: a kernel before 4.3 has no ambient set; it is empty already.
  if (rc < 0 && !(rc == -EINVAL && want[Set::ambient].empty()))
    return Result::sys_failure(Error::ambient, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)", rc);
  for (int cap = 0; cap < 64; ++cap) {
    if (!want[Set::ambient].has(cap)) continue;
    rc = sys::prctl(abi::kPrCapAmbient, abi::kPrCapAmbientRaise, static_cast<unsigned long>(cap));
    if (rc < 0) return Result::sys_failure(Error::ambient, "prctl(PR_CAP_AMBIENT_RAISE)", rc).with_cap(cap);
  }
  if (plan.no_new_privs && (rc = sys::prctl(abi::kPrSetNoNewPrivs, 1)) < 0)
    return Result::sys_failure(Error::no_new_privs, "prctl(PR_SET_NO_NEW_PRIVS)", rc);
  return verify(plan, group_count, want);
}

Result read_creds(Creds* out, SetMask sets) {
  Creds c;
  uint32_t uids[3], gids[3];
  Result r = read_thread_syscalls(&c.caps, sets);
  if (r.ok()) r = read_ids(uids, gids);
  if (r.ok()) r = kernel_last_cap(&c.last_cap);
  if (!r.ok()) return r;
  c.uid = uids[0], c.euid = uids[1], c.gid = gids[0], c.egid = gids[1];
  long rc = sys::getgroups(0, nullptr);
  if (rc >= 0 && rc <= kMaxGroups) rc = sys::getgroups(static_cast<size_t>(rc), c.groups);
  if (rc < 0) return Result::sys_failure(Error::read_groups, "getgroups", rc);
  c.group_count = static_cast<int>(rc);
  rc = sys::prctl(abi::kPrGetSecurebits, 0);
  if (rc < 0) return Result::sys_failure(Error::read_securebits, "prctl(PR_GET_SECUREBITS)", rc);
  c.securebits = static_cast<unsigned long>(rc);
  if ((rc = sys::prctl(abi::kPrGetNoNewPrivs, 0)) < 0)
    return Result::sys_failure(Error::read_no_new_privs, "prctl(PR_GET_NO_NEW_PRIVS)", rc);
  c.no_new_privs = rc == 1;
  c.real_id_rule = kernel_before(6, 17);
  *out = c;
  return Result::success();
}

Result check_plan(const Plan& plan) {
  // The plan applied for real, in a child that reports and exits: every
  // step the kernel would refuse is refused as in the real run, and the
  // caller changes nothing.
  int fds[2];
  long rc = sys::pipe_cloexec(fds);
  if (rc < 0) return Result::sys_failure(Error::pipe, "pipe2", rc);
  long child = sys::fork_bare();
  if (child == 0) {
    Result r = apply_on_calling_thread(plan);
    (void)sys::write_all(fds[1], reinterpret_cast<const char*>(&r), sizeof r);
    sys::exit_now(0);
  }
  (void)sys::close(fds[1]);
  Result r = Result::failure(Error::child_report).with_what("read");
  size_t got = 0;
  while (child > 0 && got < sizeof r) {
    long n = sys::read(fds[0], reinterpret_cast<char*>(&r) + got, sizeof r - got);
    if (n == -EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  (void)sys::close(fds[0]);
  if (child < 0) return Result::sys_failure(Error::fork, "clone", child);
  // ECHILD: SIGCHLD ignored, the child reaped already; its report is in.
  while (sys::wait_pid(child) == -EINTR) {
  }
  return got == sizeof r ? r : Result::failure(Error::child_report).with_what("read");
}

Result check_caller() {
  uint32_t uids[3], gids[3];
  if (read_ids(uids, gids).ok() && uids[0] == uids[1] && gids[0] == gids[1]) return Result::success();
  sys::FileStat st;
  long rc = sys::file_stat("/proc/self/exe", &st);
  if (rc < 0) return Result::sys_failure(Error::stat, "/proc/self/exe", rc);
  bool setid = (st.mode & (S_ISUID | S_ISGID)) != 0;
  return setid ? Result::failure(Error::setid_caller).with_what("/proc/self/exe") : Result::success();
}

Result spawn(const Plan& plan, const char* file, char* const argv[], char* const envp[], long* pid) {
  int fds[2];
  long rc = sys::pipe_cloexec(fds);
  if (rc < 0) return Result::sys_failure(Error::pipe, "pipe2", rc);
  // With every signal blocked across fork, none can reach the child before
  // it has put each caught signal back to its default: the parent's
  // handlers must never run in the child (they may exit it, which the parent
  // would take for a successful exec).
  sigset_t mask;
  if ((rc = sys::block_signals(&mask)) < 0) {
    (void)sys::close(fds[0]);
    (void)sys::close(fds[1]);
    return Result::sys_failure(Error::signal_mask, "pthread_sigmask", rc);
  }
  long child = sys::fork();
  if (child == 0) {
    sys::default_signal_handlers();
    Result r = apply_on_calling_thread(plan);
    (void)sys::set_signal_mask(&mask);  // cannot fail, as below
    if (r.ok()) r = exec_path(file, argv, envp);
    // The write end closes on a successful exec; reaching here, report.
    // The parent reads the report and reaps this child, status unread.
    (void)sys::write_all(fds[1], reinterpret_cast<const char*>(&r), sizeof r);
    sys::exit_now(127);
  }
  (void)sys::set_signal_mask(&mask);  // restores what block_signals() saved: cannot fail
  (void)sys::close(fds[1]);
  if (child < 0) {
    (void)sys::close(fds[0]);
    return Result::sys_failure(Error::fork, "fork", child);
  }
  Result r;
  size_t got = 0;
  while (got < sizeof r) {
    long n = sys::read(fds[0], reinterpret_cast<char*>(&r) + got, sizeof r - got);
    if (n == -EINTR) continue;
    if (n < 0) {
      // Cannot happen on a pipe we own; if it does, the child's fate is unknown.
      (void)sys::close(fds[0]);
      *pid = child;
      return Result::sys_failure(Error::child_report, "read", n);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  (void)sys::close(fds[0]);
  if (got == 0) {
    *pid = child;
    return Result::success();
  }
  while (sys::wait_pid(child) == -EINTR) {
  }
  return got == sizeof r ? r : Result::failure(Error::child_report).with_what("read");
}

Result run_as_init(const Plan& service, int (*child)(void* ctx), void* ctx, int* status) {
  // PID 1 inherits every orphan already.
  long rc;
  if (sys::getpid() != 1 && (rc = sys::prctl(abi::kPrSetChildSubreaper, 1)) < 0)
    return Result::sys_failure(Error::subreaper, "prctl(PR_SET_CHILD_SUBREAPER)", rc);
  (void)sys::default_signal(SIGCHLD);  // cannot fail for SIGCHLD
  // `go` carries a byte to the child once the caller holds nothing; `done`
  // closes when the child has exec'd or exited.
  int go[2] = {-1, -1}, done[2];
  if ((rc = sys::pipe_cloexec(go)) < 0 || (rc = sys::pipe_cloexec(done)) < 0) {
    (void)sys::close(go[0]);  // -1, EBADF, when go failed
    (void)sys::close(go[1]);
    return Result::sys_failure(Error::pipe, "pipe2", rc);
  }
  uint64_t mask;
  (void)sys::mask_signals(~uint64_t{0}, &mask);  // cannot fail
  long pid = sys::fork_bare();
  if (pid == 0) {
    (void)sys::close(go[1]);
    char byte;
    if (sys::read(go[0], &byte, 1) != 1) sys::exit_now(1);  // the caller failed, and says why
    (void)sys::mask_signals(mask, nullptr);
    sys::exit_now(child(ctx));
  }
  (void)sys::close(go[0]);
  (void)sys::close(done[1]);
  Result r = pid < 0 ? Result::sys_failure(Error::fork, "clone", pid) : apply_on_calling_thread(init_plan(service));
  if (r.ok()) {
    // As tini, the child leads a process group of its own, which takes the
    // terminal's foreground (SIGTTOU, blocked, does not stop the caller).
    // The child shares the session and waits for `go`, not exec'd: each
    // call fails only with ESRCH, the child dead, which the wait below
    // finds; tcsetpgrp also with ENOTTY, stdin no terminal of the session.
    (void)sys::set_process_group(pid);
    (void)sys::set_foreground(0, pid);
    (void)sys::write(go[1], "", 1);  // fails only when the child is dead, too
  }
  (void)sys::close(go[1]);  // without the byte, the child exits
  // Signals wait, blocked, until the child has exec'd: before, it may still
  // have ids that the caller, dropped, cannot signal.
  char byte;
  while (pid > 0 && sys::read(done[0], &byte, 1) == -EINTR) {
  }
  (void)sys::close(done[0]);
  if (!r.ok()) {
    if (pid > 0) (void)sys::wait_pid(pid);
    (void)sys::mask_signals(mask, nullptr);
    return r;
  }
  // Reaps every child that has ended, then waits for a signal, until the
  // child is among those reaped.
  for (int code = -1;;) {
    int st;
    long ended;
    while ((ended = sys::reap_any(&st)) > 0)
      if (ended == pid) code = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
    if (code >= 0) {
      *status = code;
      return Result::success();
    }
    if (ended < 0) return Result::sys_failure(Error::wait, "wait4", ended);
    long sig = sys::wait_signal(kForwarded);
    if (sig > 0 && sig != SIGCHLD) (void)sys::kill(pid, static_cast<int>(sig));
  }
}

}  // namespace capguard
