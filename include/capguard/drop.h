// capguard: dropping to exactly an allowlist of capabilities, optionally
// switching user, and running a command.
//
// Capabilities and, through the raw system calls used here, user and group
// ids belong to a thread: everything below acts on the calling thread only.
// apply_on_calling_thread() is async-signal-safe (raw system calls, stack
// buffers, no allocation, no locks, no lazy initialisation), so it may run
// between fork and exec in a multithreaded parent; spawn() runs nothing else
// there.
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

// Built before any fork; plain data, no pointers but `groups`.
struct Plan {
  CapSet keep;  // bounding = permitted = effective = keep
  Inherit inherit = Inherit::automatic;
  int64_t uid = -1;  // real, effective and saved uid; -1 leaves them
  int64_t gid = -1;  // the same for the gid; required with a uid
  // With group_count >= 0, the supplementary groups become groups[0..count):
  // 0 clears them. -1 leaves them, unless the uid changes: then they are
  // cleared, so that root's groups never follow a switch away from root.
  const uint32_t* groups = nullptr;
  int64_t group_count = -1;
  bool no_new_privs = false;
  // Securebits so that uid 0 is no longer special: noroot and
  // no_setuid_fixup set, keep_caps clear, all three locked (capabilities(7)).
  bool lock = false;
};

// Applies `plan` to the calling thread, in the one order the kernel allows:
// drop every bounding capability not kept, up to the running kernel's last;
// lock securebits; keep capabilities across the id switch; set groups, gid,
// uid; set inheritable, permitted and effective; clear ambient and raise
// what is inherited; set no_new_privs; then read everything back. Any
// difference from the plan is an error naming the set and capability: there
// is no partial success. On error the thread may be left partly changed: the
// caller must not go on to run the command (spawn() and the CLI exit).
// A process with more than one thread is refused (Error::threads): other
// threads would keep their privileges. `single_threaded` = true states that
// the caller knows better (a freshly forked child) and skips the count.
// The target counts as root (inheritable and ambient stay empty under
// Inherit::automatic) when its uid is 0 and SECBIT_NOROOT is neither set
// already nor asked for with `lock`. Supplementary groups are read back id
// by id up to 256 of them, and by count beyond.
// Errors: bad_plan, threads, not_permitted / not_in_bounding (all before
// anything changes), then bounding_drop ... no_new_privs, verify_*, each with
// the errno and, where it helps, the capability.
Result apply_on_calling_thread(const Plan& plan, bool single_threaded);

// Forks; the child applies `plan` and execs `file` (exec_path() in
// capguard/exec.h). On success `*pid` is the child's pid, running the
// command. On failure the child has exited, been reaped and run nothing, and
// the error is the child's (sent over a close-on-exec pipe) or pipe / fork.
// All signals are blocked across fork(2); the child resets caught signals to
// their default and restores the mask just before execve, as posix_spawn
// does. spawn() itself calls fork(2), so it is not async-signal-safe. If
// another thread forks without exec while spawn() waits, its child holds the
// pipe open and spawn() waits for it too.
// One exception that a working kernel never produces: when reading that pipe
// fails (Error::pipe with *pid set), the child's fate is unknown; kill and
// reap it.
Result spawn(const Plan& plan, const char* file, char* const argv[], char* const envp[], long* pid);

}  // namespace capguard

#endif  // CAPGUARD_DROP_H_
