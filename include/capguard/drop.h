// capguard: dropping to exactly an allowlist of capabilities, optionally
// switching user, and running a command.
//
// Capabilities and, through the raw system calls used here, user and group
// ids belong to a thread: everything below acts on the calling thread only.
// apply() and apply_on_calling_thread() are async-signal-safe (raw system
// calls, stack buffers, no allocation, no locks, no lazy initialisation);
// the second may run between fork and exec in a multithreaded parent, and
// spawn() runs nothing else there.
#ifndef CAPGUARD_DROP_H_
#define CAPGUARD_DROP_H_

#include <stdint.h>

#include "capguard/capset.h"
#include "capguard/error.h"

namespace capguard {

// What the inheritable and ambient sets become.
enum class Inherit : uint8_t {
  automatic,    // `ambient` when the target is not root (uid != 0, or lock), else `none`
  none,         // both empty
  inheritable,  // inheritable = keep, ambient empty
  ambient,      // inheritable = ambient = keep: survives execve of a plain program
};

// The largest uid or gid: (uint32_t)-1 means "unchanged" to the kernel.
inline constexpr int64_t kMaxId = 0xfffffffe;

// The most supplementary groups a plan sets: the read-back compares them id
// by id in a 1 KiB stack buffer (spawn()'s child may run on a small stack).
inline constexpr int64_t kMaxGroups = 256;

// Built before any fork; plain data, no pointers but `groups`.
struct Plan {
  CapSet keep;  // bounding = permitted = effective = keep
  Inherit inherit = Inherit::automatic;
  int64_t uid = -1;  // real, effective and saved uid; -1 leaves them
  int64_t gid = -1;  // the same for the gid; required with a uid
  // With group_count >= 0 (at most kMaxGroups), the supplementary groups
  // become groups[0..count): 0 clears them. -1 leaves them, unless the uid changes: then they are
  // cleared, so that root's groups never follow a switch away from root.
  const uint32_t* groups = nullptr;
  int64_t group_count = -1;
  bool no_new_privs = false;
  // Securebits so that uid 0 is no longer special (capabilities(7)):
  // noroot and no_setuid_fixup set and locked, keep_caps locked; added to
  // the caller's bits, never clearing one.
  bool lock = false;
};

// Applies `plan` to the calling thread of a process that has no other: other
// threads would keep their privileges, so a process with more is refused
// (Error::threads), as is one whose thread count cannot be read from
// /proc/self/status (open, read, status_no_threads). The steps run in the
// one order the kernel allows: raise effective to permitted when it lags
// (capset allows it, the steps need it); drop every bounding capability not kept, up
// to the running kernel's last; lock securebits; keep capabilities across
// the id switch; set groups, gid, uid; set inheritable, permitted and
// effective; clear ambient and raise what is inherited; set no_new_privs;
// then read everything back. Any difference from the plan is an error
// naming the set and capability: there is no partial success. On error the
// thread may be left partly changed: the caller must not go on to run the
// command (spawn() and the CLI exit).
// The target counts as root (inheritable and ambient stay empty under
// Inherit::automatic) when its uid is 0 and SECBIT_NOROOT is neither set
// already nor asked for with `lock`.
// Errors, each with `what` the call that failed, its errno and, where it
// helps, the capability: bad_plan, read_caps, read_bounding, read_ambient,
// read_ids, read_securebits, not_permitted, not_in_bounding, securebit_set
// (a bit the caller set forbids a step; all before anything changes), then
// raise_effective, bounding_drop ... no_new_privs, and from the
// read-back read_groups, read_no_new_privs, verify_*.
CAPGUARD_EXPORT Result apply(const Plan& plan);

// apply() without counting threads, for a caller that knows its process has
// only the calling thread: a freshly forked child, whose parent's other
// threads did not come along. In a process with other threads it changes the
// calling thread alone.
CAPGUARD_EXPORT Result apply_on_calling_thread(const Plan& plan);

// What apply_on_calling_thread() would return, for a dry run that refuses
// what the real one would: the plan is applied in a forked child, which
// reports its result over a pipe and exits; the caller changes nothing.
// Errors: those of apply_on_calling_thread(), pipe, fork, child_report.
// Forks: not async-signal-safe.
CAPGUARD_EXPORT Result check_plan(const Plan& plan);

// Refuses (Error::setid_caller) to act for a caller the privileges are not
// meant for: this program's file, /proc/self/exe, is set-uid or set-gid and
// the real uid or gid is not the effective one, as when a user runs a
// set-uid-root copy. A caller that changed only its own effective uid
// (setpriv --euid) runs an ordinary file, and passes. Ids that cannot be
// read count as differing; when they differ and the file cannot be looked at
// (no /proc), it fails closed: Error::stat. On systems other than Linux any
// caller whose ids differ is refused.
CAPGUARD_EXPORT Result check_caller();

// Forks; the child applies `plan` (apply_on_calling_thread()) and execs
// `file` (exec_path() in capguard/exec.h). On success `*pid` is the child's
// pid, running the command. On failure the child has exited, been reaped and
// run nothing, and the error is the child's (sent over a close-on-exec pipe)
// or the parent's: pipe (pipe2), signal_mask, fork, child_report (a cut
// report: `what` "read").
// All signals are blocked across fork(2); the child resets caught signals to
// their default and restores the mask just before execve, as posix_spawn
// does. spawn() itself calls fork(2), so it is not async-signal-safe. If
// another thread forks without exec while spawn() waits, its child holds the
// pipe open and spawn() waits for it too.
// One exception that a working kernel never produces: when reading that pipe
// fails (Error::child_report with an errno, and *pid set), the child's fate
// is unknown; kill and reap it.
CAPGUARD_EXPORT Result spawn(const Plan& plan, const char* file, char* const argv[], char* const envp[], long* pid);

// What an init beside a service run with `service` holds: the service's
// uid, gid and groups, no capability in any set (bounding included), and
// no_new_privs. It may still signal the service, which has its ids.
CAPGUARD_EXPORT Plan init_plan(const Plan& service);

// Makes the calling process the init of `child(ctx)`, which runs in a
// forked child, as tini is the init of its command. The caller must run no
// other thread (it changes only its own, as apply_on_calling_thread()).
// The child is forked with a raw clone(2), without libc's fork handlers:
// `child` may make only async-signal-safe calls, as between fork and exec,
// and not raise(3) or abort(3), which musl would aim at the caller.
// Before the fork, the caller, unless it is PID 1, becomes a child
// subreaper, so that the orphans of the child's processes come to it;
// SIGCHLD goes back to its default, so that children become zombies to
// reap; and every signal is blocked. After it, the caller applies
// init_plan(service) to itself; only then does the child lead a process
// group of its own, the foreground of the terminal on stdin if there is
// one, restore the signal mask and exit with what `child(ctx)` returns;
// `child` should exec. Once the child has exec'd or exited (signals wait
// until then), the caller forwards every signal it gets to the child, as
// tini does, but for the faults (SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
// SIGSEGV, SIGSYS), SIGTTIN and SIGTTOU, which stay blocked, and SIGCHLD,
// on which it reaps every child that has ended. When the child has ended, `*status` is the
// status to exit with: its exit code, or 128+N when signal N killed it; the
// caller returns with every signal still blocked, to exit.
// Errors, the child having run nothing: subreaper (prctl), pipe, fork
// (clone), those of apply_on_calling_thread() for the caller. Then, when the
// child's end cannot be learnt (no child to wait for): wait (wait4).
// Forks: not async-signal-safe.
CAPGUARD_EXPORT Result run_as_init(const Plan& service, int (*child)(void* ctx), void* ctx, int* status);

}  // namespace capguard

#endif  // CAPGUARD_DROP_H_
