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

#include "capguard/caps.h"
#include "capguard/drop.h"
#include "capguard/exec.h"
#include "sys.h"

namespace capguard {
namespace {

constexpr unsigned long kLockBits = abi::kSecbitNoroot | abi::kSecbitNorootLocked |
                                    abi::kSecbitNoSetuidFixup | abi::kSecbitNoSetuidFixupLocked |
                                    abi::kSecbitKeepCapsLocked;

Result fail(Error e, long rc, int cap = -1) { return {e, static_cast<int>(-rc), -1, cap}; }

// The sets the plan ends in, for a target uid of `uid`.
State intended(const Plan& plan, int64_t uid) {
  Inherit mode = plan.inherit;
  if (mode == Inherit::automatic) mode = uid == 0 && !plan.lock ? Inherit::none : Inherit::ambient;
  State s;
  s[Set::bounding] = s[Set::permitted] = s[Set::effective] = plan.keep;
  if (mode != Inherit::none) s[Set::inheritable] = plan.keep;
  if (mode == Inherit::ambient) s[Set::ambient] = plan.keep;
  return s;
}

Result verify(const Plan& plan, const State& want) {
  State got;
  Result r = read_thread_syscalls(&got);
  if (!r.ok()) return r;
  for (int i = 0; i < kSetCount; ++i)
    if (got.sets[i] != want.sets[i])
      return {Error::verify_caps, 0, i, CapSet{got.sets[i].bits ^ want.sets[i].bits}.lowest()};
  uint32_t uids[3], gids[3];
  if (sys::getresuid(uids) < 0 || sys::getresgid(gids) < 0) return {Error::verify_ids};
  for (int i = 0; i < 3; ++i)
    if ((plan.uid >= 0 && uids[i] != plan.uid) || (plan.gid >= 0 && gids[i] != plan.gid))
      return {Error::verify_ids};
  if (plan.group_count >= 0 && sys::getgroups_count() != plan.group_count) return {Error::verify_groups};
  if (plan.no_new_privs && sys::prctl(abi::kPrGetNoNewPrivs, 0) != 1) return {Error::verify_flags};
  long bits = plan.lock ? sys::prctl(abi::kPrGetSecurebits, 0) : 0;
  if (bits < 0 || (static_cast<unsigned long>(bits) & kLockBits) != (plan.lock ? kLockBits : 0))
    return {Error::verify_flags};
  return {};
}

}  // namespace

Result apply_on_calling_thread(const Plan& plan, bool single_threaded) {
  if (!single_threaded) {
    long threads = 0;
    Result r = count_threads(&threads);
    if (!r.ok()) return {Error::threads, r.sys_errno};
    if (threads != 1) return {Error::threads};
  }
  State now;
  Result r = read_thread_syscalls(&now);
  if (!r.ok()) return r;
  int last = 0;
  r = kernel_last_cap(&last);
  if (!r.ok()) return r;
  uint32_t uids[3];
  long rc = sys::getresuid(uids);
  if (rc < 0) return fail(Error::verify_ids, rc);
  // Refuse what cannot be kept before changing anything.
  if (int cap = plan.keep.minus(now[Set::permitted]).lowest(); cap >= 0)
    return {Error::not_permitted, 0, static_cast<int>(Set::permitted), cap};
  if (int cap = plan.keep.minus(now[Set::bounding]).lowest(); cap >= 0)
    return {Error::not_in_bounding, 0, static_cast<int>(Set::bounding), cap};
  State want = intended(plan, plan.uid >= 0 ? plan.uid : uids[1]);

  // Up to the running kernel's last capability, not the table's: a kernel
  // newer than this build has capabilities it has no name for.
  for (int cap = 0; cap <= last; ++cap) {
    if (!now[Set::bounding].has(cap) || plan.keep.has(cap)) continue;
    rc = sys::prctl(abi::kPrCapbsetDrop, static_cast<unsigned long>(cap));
    if (rc < 0) return fail(Error::bounding_drop, rc, cap);
  }
  if (plan.lock && (rc = sys::prctl(abi::kPrSetSecurebits, kLockBits)) < 0) return fail(Error::securebits, rc);
  // With lock, no_setuid_fixup already keeps every set across the switch.
  bool keepcaps = plan.uid >= 0 && !plan.lock;
  if (keepcaps && (rc = sys::prctl(abi::kPrSetKeepcaps, 1)) < 0) return fail(Error::keepcaps, rc);
  if (plan.group_count >= 0 && (rc = sys::setgroups(static_cast<size_t>(plan.group_count), plan.groups)) < 0)
    return fail(Error::setgroups, rc);
  if (plan.gid >= 0 && (rc = sys::setresgid(static_cast<uint32_t>(plan.gid))) < 0) return fail(Error::setgid, rc);
  if (plan.uid >= 0 && (rc = sys::setresuid(static_cast<uint32_t>(plan.uid))) < 0) return fail(Error::setuid, rc);
  if (keepcaps && (rc = sys::prctl(abi::kPrSetKeepcaps, 0)) < 0) return fail(Error::keepcaps, rc);

  abi::CapHeader header = {abi::kCapVersion3, 0};
  abi::CapData data[abi::kCapWords];
  for (int w = 0; w < abi::kCapWords; ++w) {
    auto word = [w](CapSet s) { return static_cast<uint32_t>(s.bits >> (32 * w)); };
    data[w] = {word(want[Set::effective]), word(want[Set::permitted]), word(want[Set::inheritable])};
  }
  if ((rc = sys::capset(&header, data)) < 0) return fail(Error::capset, rc);

  rc = sys::prctl(abi::kPrCapAmbient, abi::kPrCapAmbientClearAll);
  // EINVAL: a kernel before 4.3 has no ambient set; it is empty already.
  if (rc < 0 && !(rc == -EINVAL && want[Set::ambient].empty())) return fail(Error::ambient, rc);
  for (int cap = 0; cap < 64; ++cap) {
    if (!want[Set::ambient].has(cap)) continue;
    rc = sys::prctl(abi::kPrCapAmbient, abi::kPrCapAmbientRaise, static_cast<unsigned long>(cap));
    if (rc < 0) return fail(Error::ambient, rc, cap);
  }
  if (plan.no_new_privs && (rc = sys::prctl(abi::kPrSetNoNewPrivs, 1)) < 0) return fail(Error::no_new_privs, rc);
  return verify(plan, want);
}

Result spawn(const Plan& plan, const char* file, char* const argv[], char* const envp[], long* pid) {
  int fds[2];
  long rc = sys::pipe_cloexec(fds);
  if (rc < 0) return fail(Error::pipe, rc);
  long child = sys::fork();
  if (child == 0) {
    (void)sys::close(fds[0]);
    Result r = apply_on_calling_thread(plan, true);
    if (r.ok()) r = exec_path(file, argv, envp);
    // The write end closes on a successful exec; reaching here, report.
    (void)sys::write_all(fds[1], reinterpret_cast<const char*>(&r), sizeof r);
    sys::exit_now(r.code == Error::exec_not_found ? 127 : 126);
  }
  (void)sys::close(fds[1]);
  if (child < 0) {
    (void)sys::close(fds[0]);
    return fail(Error::fork, child);
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
      return fail(Error::pipe, n);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  (void)sys::close(fds[0]);
  if (got == 0) {
    *pid = child;
    return {};
  }
  while (sys::wait_pid(child) == -EINTR) {
  }
  return got == sizeof r ? r : Result{Error::fork, EIO};
}

}  // namespace capguard
