// The one door to the kernel: every system call capguard makes goes through
// these functions, and nothing else in the tree includes <sys/syscall.h>.
// Each returns the call's non-negative result, or -errno; errno itself is
// never left for callers to read. None retries: callers decide what EINTR
// means. All are async-signal-safe.
//
// sys_posix.cc defines the portable calls, sys_linux.cc the Linux ones.
// Tests link a fake in their place to inject failures.
#ifndef CAPGUARD_SRC_SYS_H_
#define CAPGUARD_SRC_SYS_H_

#include <stddef.h>

#include "kernel_abi.h"

namespace capguard::sys {

long open_read(const char* path);  // O_RDONLY | O_CLOEXEC
long read(int fd, void* buf, size_t n);
long write(int fd, const void* buf, size_t n);
long close(int fd);
long getpid();
long execve(const char* path, char* const argv[], char* const envp[]);

long capget(abi::CapHeader* header, abi::CapData data[abi::kCapWords]);
long prctl(int option, unsigned long arg2, unsigned long arg3 = 0);

// Writes all of `buf`, retrying short writes and EINTR. Returns 0 or -errno.
inline long write_all(int fd, const char* buf, size_t n) {
  while (n > 0) {
    long rc = write(fd, buf, n);
    if (rc == -4 /* EINTR */) continue;
    if (rc <= 0) return rc < 0 ? rc : -5 /* EIO: no progress */;
    buf += rc;
    n -= static_cast<size_t>(rc);
  }
  return 0;
}

}  // namespace capguard::sys

#endif  // CAPGUARD_SRC_SYS_H_
