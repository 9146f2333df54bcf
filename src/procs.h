// Every process's sets, from /proc: what `capguard ps` audits. Internal:
// not installed.
#ifndef CAPGUARD_SRC_PROCS_H_
#define CAPGUARD_SRC_PROCS_H_

#include <stdint.h>

#include "capguard/capset.h"
#include "capguard/error.h"

namespace capguard {

// The inode of the initial user namespace's /proc/PID/ns/user:
// PROC_USER_INIT_INO (include/linux/proc_ns.h), the same on every boot.
inline constexpr uint64_t kInitialUserns = 0xeffffffd;

// A process, or one of its threads, as /proc shows it: a thread has its own
// uid and sets, and its process's name, parent and namespace.
struct Proc {
  long pid, tid;  // tid is pid for the process itself (its main thread)
  long ppid;
  uint32_t uid;     // effective
  uint64_t userns;  // its user namespace's inode; 0 when the kernel does not let us look
  char name[16];    // comm: at most 15 bytes (TASK_COMM_LEN), as the kernel keeps them
  State state;
};

// Calls found() for each process in /proc, in /proc's order, but kernel
// threads (StatusParser::kernel_task(), from the status file alone) and the
// caller (as /proc/self numbers it: none when the caller
// has no pid in that /proc's pid namespace), and for each thread whose sets
// differ from its process's main thread; failed() for each that exists but
// cannot be read. One that ends during the walk is skipped. Memory is
// fixed: one process at a time. Errors, of /proc itself: fs_type,
// not_procfs (another file system mounted there, or a /proc/self that is
// no pid), open, read. Linux only; elsewhere unsupported.
Result walk_procs(void (*found)(const Proc& p, void* ctx), void (*failed)(long pid, const Result& r, void* ctx),
                  void* ctx);

}  // namespace capguard

#endif  // CAPGUARD_SRC_PROCS_H_
