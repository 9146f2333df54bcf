// capguard: reading capability sets from the running kernel.
//
// Capabilities belong to threads, not processes: each function says which
// thread it reads. All are async-signal-safe: raw system calls on stack
// buffers, no allocation, no locks. On systems other than Linux every
// function returns Error::unsupported.
#ifndef CAPGUARD_CAPS_H_
#define CAPGUARD_CAPS_H_

#include "capguard/capset.h"
#include "capguard/error.h"

namespace capguard {

// The calling thread's five sets, from /proc/thread-self/status. When /proc
// is not mounted (early init, a fresh mount namespace) it falls back to
// read_thread_syscalls(), and so it does when the kernel predates the ambient
// set (4.3) and writes no CapAmb line. Errors: open, read and status_*, with
// `what` the file, or those of read_thread_syscalls().
CAPGUARD_EXPORT Result read_thread(State* out);

// The calling thread's sets without /proc: capget(2) for inheritable,
// permitted and effective, prctl(PR_CAPBSET_READ) for each capability the
// kernel knows, and prctl(PR_CAP_AMBIENT_IS_SET) for each capability that is
// both permitted and inheritable (no other can be ambient). Bounding and
// ambient are read only when in `sets`, and come back empty otherwise; the
// other three always come back (one capget(2) gives them all). So a check of
// effective, permitted and ambient costs one capget(2) when nothing is
// inheritable.
// Errors: read_caps (capget), read_bounding (prctl(PR_CAPBSET_READ)),
// read_ambient (prctl(PR_CAP_AMBIENT_IS_SET)), the last two with the
// capability asked about.
CAPGUARD_EXPORT Result read_thread_syscalls(State* out, SetMask sets = kAllSets);

// The sets of process `pid`'s main thread, from /proc/<pid>/status; pid 0 is
// the calling process, through /proc/self, which is right in any pid
// namespace (getpid() is not, when /proc is another namespace's). A thread id
// also works, for that thread. Reading stops after the last Cap line.
// Errors: open (ENOENT: no such process, /proc not mounted, or the caller is
// not visible in it; EINVAL: pid < 0), read, status_*; `what` is
// "/proc/self/status" or "/proc/PID/status".
CAPGUARD_EXPORT Result read_pid(long pid, State* out);

// How many threads the calling process has, from /proc/self/status.
// Errors: open, read, status_no_threads (no readable Threads line).
CAPGUARD_EXPORT Result count_threads(long* out);

// The running kernel's last capability, asked of the kernel itself:
// prctl(PR_CAPBSET_READ) answers EINVAL past it, found in seven calls. Not
// from /proc/sys/kernel/cap_last_cap, which a mount namespace can fake.
// Compare kTableLastCap, the last one this build has a name for.
// Errors: read_bounding, with the capability asked about.
CAPGUARD_EXPORT Result kernel_last_cap(int* out);

}  // namespace capguard

#endif  // CAPGUARD_CAPS_H_
