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

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/utsname.h>

#include "kernel_abi.h"

namespace capguard {
namespace sys {

// A libc return value as the door hands it on: the result, or -errno.
inline long result(long rc) { return rc < 0 ? -errno : rc; }

// O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK: a FIFO or a terminal put in
// a file's place neither blocks the open nor becomes the controlling tty.
long open_read(const char* path);
long read(int fd, void* buf, size_t n);
long write(int fd, const void* buf, size_t n);
long close(int fd);
long getpid();
bool ids_differ();  // the real uid or gid is not the effective one
struct FileStat {
  uint32_t mode, uid, gid;
  uint64_t dev, ino;  // the filesystem's device, and the file's number on it
  bool mount_root;    // the root of a mount (STATX_ATTR_MOUNT_ROOT, from Linux 5.8)
};
long file_stat(const char* path, FileStat* out);  // statx(2)
long fd_stat(int fd, FileStat* out);              // statx(2) of the file `fd` refers to
// statx(2) of `name` in directory `dir` (or AT_FDCWD), symlinks not followed
// and automounts not triggered.
long link_stat(int dir, const char* name, FileStat* out);
long open_path(const char* path);  // O_PATH | O_CLOEXEC: no read, no side effect of opening
// readlinkat(2) of `path` (AT_FDCWD): the link's text in `buf`, cut to `n`
// bytes without a word, no NUL.
long read_link(const char* path, char* buf, size_t n);
// faccessat2(2) of the file `fd` refers to: X_OK for the effective ids, as
// execve(2) judges. faccessat(2) of `path`: X_OK for the real ids.
long may_exec_fd(int fd);
long may_exec_real(const char* path);
long nosuid(int fd);             // fstatfs(2): 1 on a nosuid mount, else 0
long fs_type(const char* path);  // statfs(2): the file system's magic number (f_type)
long uname(struct utsname* out);
long execve(const char* path, char* const argv[], char* const envp[]);
long execve_fd(int fd, char* const argv[], char* const envp[]);  // execveat(2), AT_EMPTY_PATH
long fork();
// clone(2) as fork(2), without libc's fork handlers: 0 in the child, which
// may make only these calls and exit_now(), its pid in the parent.
long fork_bare();
long unshare_user();                     // unshare(CLONE_NEWUSER)
long wait_pid(long pid);                 // waitpid(pid, nullptr, 0): the pid, its status unread
[[noreturn]] void exit_now(int status);  // _exit(2): no atexit handlers, no flush
// The calling thread's signal mask: block all, saving the old one; restore.
long block_signals(sigset_t* old);
long set_signal_mask(const sigset_t* mask);
// Every caught signal back to its default action; ignored ones stay ignored.
void default_signal_handlers();
// For an init. The signal sets are the kernel's: bit N-1 is signal N.
// rt_sigprocmask(2): the calling thread's mask becomes `set`; the old one
// is saved in `*old` unless null.
long mask_signals(uint64_t set, uint64_t* old);
long default_signal(int sig);    // rt_sigaction(2): SIG_DFL, even when ignored
long wait_signal(uint64_t set);  // rt_sigtimedwait(2): a pending signal of `set`, taken
// waitpid(-1, &status, WNOHANG): a child that has ended, 0 while none has,
// -ECHILD when there is none.
long reap_any(int* status);
long kill(long pid, int sig);
long set_process_group(long pid);        // setpgid(pid, pid)
long set_foreground(int fd, long pgrp);  // tcsetpgrp(3): `pgrp` takes the terminal on `fd`

long capget(abi::CapHeader* header, abi::CapData data[abi::kCapWords]);
long capset(abi::CapHeader* header, const abi::CapData data[abi::kCapWords]);
// prctl(2) with the arguments after arg3 zero, as the options used require.
long prctl(int option, unsigned long arg2, unsigned long arg3 = 0);
long personality();             // personality(2) asked, not changed (0xffffffff): the persona
long pipe_cloexec(int fds[2]);  // pipe2(fds, O_CLOEXEC)
// openat(2) of `name` in directory `dir` (or AT_FDCWD) with O_DIRECTORY |
// O_NOFOLLOW | O_CLOEXEC.
long open_dir(int dir, const char* name);
long seek(int fd, int64_t offset);                  // lseek(2), SEEK_SET: the offset
long read_dir(int fd, abi::Dirent* buf, size_t n);  // getdents64(2)
// security.capability of `path`, of a symlink itself (lgetxattr), of the
// file `fd` refers to (fgetxattr).
long getxattr(const char* path, void* buf, size_t n);
long lgetxattr(const char* path, void* buf, size_t n);
long fgetxattr(int fd, void* buf, size_t n);
// getxattrat(2) (Linux 6.13): of `name` in directory `dir`, a symlink itself.
long getxattr_at(int dir, const char* name, void* buf, size_t n);
// The calling thread only: raw system calls, not libc's wrappers, which
// apply ids to every thread of the process (glibc's setxid broadcast).
long setgroups(size_t n, const uint32_t* groups);
long getgroups(size_t n, uint32_t* groups);  // n = 0: just the count
long setresgid(uint32_t gid);                // real, effective and saved
long setresuid(uint32_t uid);
long getresgid(uint32_t ids[3]);
long getresuid(uint32_t ids[3]);

// Writes all of `buf`, retrying short writes and EINTR. Returns 0 or -errno.
inline long write_all(int fd, const char* buf, size_t n) {
  while (n > 0) {
    long rc = write(fd, buf, n);
    if (rc == -EINTR) continue;
    if (rc <= 0) return rc < 0 ? rc : -EIO;  // EIO: no progress
    buf += rc;
    n -= static_cast<size_t>(rc);
  }
  return 0;
}

}  // namespace sys
}  // namespace capguard

#endif  // CAPGUARD_SRC_SYS_H_
