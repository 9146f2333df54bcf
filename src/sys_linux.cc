// Linux-only system calls, made raw: libc has no capget wrapper in musl's
// headers, a raw prctl(2) keeps the exact argument count the kernel sees, and
// raw id calls act on the calling thread only. syscall(2) reads its
// arguments as variadic longs, so each is passed as one.
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys.h"

namespace capguard::sys {
namespace {

// 32-bit x86 and ARM keep 16-bit ids in the old calls and 32-bit ones in
// the *32 calls; 64-bit systems have only the latter, under the old names.
#ifdef SYS_setresuid32
constexpr long kSetgroups = SYS_setgroups32, kGetgroups = SYS_getgroups32;
constexpr long kSetresgid = SYS_setresgid32, kSetresuid = SYS_setresuid32;
constexpr long kGetresgid = SYS_getresgid32, kGetresuid = SYS_getresuid32;
#else
constexpr long kSetgroups = SYS_setgroups, kGetgroups = SYS_getgroups;
constexpr long kSetresgid = SYS_setresgid, kSetresuid = SYS_setresuid;
constexpr long kGetresgid = SYS_getresgid, kGetresuid = SYS_getresuid;
#endif

// statx(2) rather than libc's stat(), which a static musl build would carry
// with its fallbacks.
long statx(int dir, const char* path, long flags, FileStat* out) {
  abi::Statx st;
  long rc = result(::syscall(SYS_statx, long{dir}, path, flags, long{abi::kStatxBasic}, &st));
  uint64_t root = st.attributes & st.attributes_mask & abi::kStatxAttrMountRoot;
  if (rc == 0) *out = {st.mode, st.uid, st.gid, uint64_t{st.dev_major} << 32 | st.dev_minor, st.ino, root != 0};
  return rc;
}

// openat(2) raw: musl's open() carries a variadic mode and, for kernels
// before O_CLOEXEC, an fcntl(2) after each open.
long open_flags(const char* path, long flags, int dir = AT_FDCWD) {
  return result(::syscall(SYS_openat, long{dir}, path, flags));
}

}  // namespace

long open_read(const char* path) { return open_flags(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK); }
long open_dir(int dir, const char* name) {
  return open_flags(name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, dir);
}
long capget(abi::CapHeader* header, abi::CapData data[abi::kCapWords]) {
  return result(::syscall(SYS_capget, header, data));
}

long capset(abi::CapHeader* header, const abi::CapData data[abi::kCapWords]) {
  return result(::syscall(SYS_capset, header, data));
}

long prctl(int option, unsigned long arg2, unsigned long arg3) {
  return result(::syscall(SYS_prctl, static_cast<long>(option), arg2, arg3, 0UL, 0UL));
}

long personality() { return result(::syscall(SYS_personality, 0xffffffffUL)); }

long file_stat(const char* path, FileStat* out) { return statx(AT_FDCWD, path, 0, out); }
long fd_stat(int fd, FileStat* out) { return statx(fd, "", AT_EMPTY_PATH, out); }
long link_stat(int dir, const char* name, FileStat* out) {
  return statx(dir, name, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, out);
}
long open_path(const char* path) { return open_flags(path, O_PATH | O_CLOEXEC); }
long read_link(const char* path, char* buf, size_t n) {
  return result(::syscall(SYS_readlinkat, long{AT_FDCWD}, path, buf, n));
}
long may_exec_fd(int fd) {
  return result(::syscall(SYS_faccessat2, long{fd}, "", long{X_OK}, long{AT_EACCESS | AT_EMPTY_PATH}));
}
long may_exec_real(const char* path) { return result(::syscall(SYS_faccessat, long{AT_FDCWD}, path, long{X_OK})); }
long nosuid(int fd) {
  abi::Statfs st;
  long rc = result(::syscall(SYS_fstatfs, long{fd}, &st));
  return rc < 0 ? rc : (st.flags & abi::kStNosuid) != 0;
}
long fs_type(const char* path) {
  abi::Statfs st;
  long rc = result(::syscall(SYS_statfs, path, &st));
  return rc < 0 ? rc : static_cast<long>(st.type);
}
long execve_fd(int fd, char* const argv[], char* const envp[]) {
  return result(::syscall(SYS_execveat, long{fd}, "", argv, envp, long{AT_EMPTY_PATH}));
}
// The flags first and no new stack: clone's arguments on x86_64 and aarch64
// (s390 takes the stack first).
long fork_bare() { return result(::syscall(SYS_clone, long{SIGCHLD}, 0L, 0L, 0L, 0L)); }
long unshare_user() { return result(::syscall(SYS_unshare, long{CLONE_NEWUSER})); }
long read_dir(int fd, abi::Dirent* buf, size_t n) { return result(::syscall(SYS_getdents64, fd, buf, n)); }
long getxattr(const char* path, void* buf, size_t n) {
  return result(::syscall(SYS_getxattr, path, "security.capability", buf, n));
}
long lgetxattr(const char* path, void* buf, size_t n) {
  return result(::syscall(SYS_lgetxattr, path, "security.capability", buf, n));
}
long fgetxattr(int fd, void* buf, size_t n) {
  return result(::syscall(SYS_fgetxattr, long{fd}, "security.capability", buf, n));
}
long getxattr_at(int dir, const char* name, void* buf, size_t n) {
  abi::XattrArgs args{reinterpret_cast<uintptr_t>(buf), static_cast<uint32_t>(n), 0};
  return result(::syscall(abi::kSysGetxattrat, long{dir}, name, long{AT_SYMLINK_NOFOLLOW}, "security.capability", &args,
                          sizeof args));
}

// The signal calls below hand the kernel a 64-bit mask (kSigsetSize), as
// x86, arm and aarch64 have it; MIPS has 128 signals.
static_assert(NSIG == 65, "a kernel sigset_t of 64 signals");

long mask_signals(uint64_t set, uint64_t* old) {
  return result(::syscall(SYS_rt_sigprocmask, long{SIG_SETMASK}, &set, old, abi::kSigsetSize));
}
// An all-zero kernel sigaction (handler, flags, restorer and mask, in 32
// bytes at most): SIG_DFL, no flags, an empty mask.
long default_signal(int sig) {
  unsigned long none[32 / sizeof(long)] = {};
  return result(::syscall(SYS_rt_sigaction, long{sig}, none, nullptr, abi::kSigsetSize));
}
long wait_signal(uint64_t set) {
  return result(::syscall(SYS_rt_sigtimedwait, &set, nullptr, nullptr, abi::kSigsetSize));
}
long reap_any(int* status) { return result(::syscall(SYS_wait4, -1L, status, long{WNOHANG}, nullptr)); }
long kill(long pid, int sig) { return result(::syscall(SYS_kill, pid, long{sig})); }
long set_process_group(long pid) { return result(::syscall(SYS_setpgid, pid, pid)); }
long set_foreground(int fd, long pgrp) {
  int group = static_cast<int>(pgrp);
  return result(::syscall(SYS_ioctl, long{fd}, long{TIOCSPGRP}, &group));
}

long pipe_cloexec(int fds[2]) { return result(::syscall(SYS_pipe2, fds, static_cast<long>(O_CLOEXEC))); }
long setgroups(size_t n, const uint32_t* groups) { return result(::syscall(kSetgroups, n, groups)); }
long getgroups(size_t n, uint32_t* groups) { return result(::syscall(kGetgroups, n, groups)); }
long setresgid(uint32_t gid) { return result(::syscall(kSetresgid, long{gid}, long{gid}, long{gid})); }
long setresuid(uint32_t uid) { return result(::syscall(kSetresuid, long{uid}, long{uid}, long{uid})); }
long getresgid(uint32_t ids[3]) { return result(::syscall(kGetresgid, &ids[0], &ids[1], &ids[2])); }
long getresuid(uint32_t ids[3]) { return result(::syscall(kGetresuid, &ids[0], &ids[1], &ids[2])); }

}  // namespace capguard::sys
