// A harmless sys layer for fuzzing the CLI in-process: a fixed root thread,
// a fixed status file, output thrown away, and nothing changed or executed.
// `fuzz_failures` (set by fuzz_cli.cc from the input) makes calls fail; after
// a credential call has failed, reaching execve is a bug and traps.
#include <errno.h>
#include <string.h>

#include "sys.h"

namespace capguard::sys {

unsigned fuzz_failures = 0;
bool fuzz_failed = false;  // a call failed in this run

namespace {

// Whether the call with this bit of fuzz_failures fails, as `rc`.
long maybe(unsigned bit, long rc) {
  if ((fuzz_failures & bit) == 0) return 0;
  fuzz_failed = true;
  return rc;
}

constexpr char kStatus[] =
    "Name:\tfuzz\nThreads:\t1\nCapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
    "CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n";
constexpr char kPasswd[] = "root:x:0:0::/:/bin/sh\nnobody:x:65534:65534::/:/bin/sh\n";
constexpr char kGroup[] = "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n";
const char* file = nullptr;
size_t pos = 0;

}  // namespace

long open_read(const char* path) {
  if (long rc = maybe(1, -EACCES)) return rc;
  file = strcmp(path, "/etc/passwd") == 0                     ? kPasswd
         : strcmp(path, "/etc/group") == 0                    ? kGroup
         : strcmp(path, "/proc/sys/kernel/cap_last_cap") == 0 ? "40\n"
                                                              : kStatus;
  pos = 0;
  return 3;
}
long read(int, void* buf, size_t n) {
  if ((fuzz_failures & 2) != 0 && pos > 0) return -EIO;
  size_t left = strlen(file) - pos;
  n = left < n ? left : n;
  if (n > 1) n = 1;  // one byte at a time: every read is short
  memcpy(buf, file + pos, n);
  pos += n;
  return static_cast<long>(n);
}
long write(int, const void*, size_t n) { return static_cast<long>(n); }
long close(int) { return 0; }
long getpid() { return 4242; }
long file_stat(const char*, FileStat* out) {
  *out = {0100755, 0, 0, 0, 0, false};
  return 0;
}
long open_path(const char*) { return -ENOENT; }
long read_link(const char*, char*, size_t) { return -ENOENT; }
long fd_stat(int, FileStat*) { return -EBADF; }
long may_exec_fd(int) { return -EBADF; }
long may_exec_real(const char*) { return -ENOENT; }
long nosuid(int) { return 0; }
long fgetxattr(int, void*, size_t) { return -ENODATA; }
long execve_fd(int, char* const*, char* const*) { return -EBADF; }
long fork_bare() { return -EAGAIN; }
long unshare_user() { return -EPERM; }
long fs_type(const char*) { return -ENOENT; }
long link_stat(int, const char*, FileStat*) { return -ENOENT; }
long open_dir(int, const char*) { return -ENOENT; }
long seek(int, int64_t) { return -EBADF; }
long read_dir(int, abi::Dirent*, size_t) { return -EBADF; }
long getxattr(const char*, void*, size_t) { return -ENODATA; }
long lgetxattr(const char*, void*, size_t) { return -ENODATA; }
long getxattr_at(int, const char*, void*, size_t) { return -ENODATA; }
long personality() { return 0; }
long uname(struct utsname* out) {
  strcpy(out->release, "6.1.0");
  return 0;
}
long execve(const char*, char* const*, char* const*) {
  if (fuzz_failed) __builtin_trap();  // a command reached after a failed step
  return -ENOENT;
}
long fork() { return -EAGAIN; }
long wait_pid(long) { return -ECHILD; }
void exit_now(int) { __builtin_trap(); }
long block_signals(sigset_t*) { return 0; }
long set_signal_mask(const sigset_t*) { return 0; }
void default_signal_handlers() {}
long mask_signals(uint64_t, uint64_t*) { return 0; }
long default_signal(int) { return 0; }
long reap_any(int*) { return -ECHILD; }
long wait_signal(uint64_t) { return -EINTR; }
long kill(long, int) { return 0; }
long set_process_group(long) { return 0; }
long set_foreground(int, long) { return -ENOTTY; }
long capget(abi::CapHeader*, abi::CapData data[abi::kCapWords]) {
  if (long rc = maybe(4, -EPERM)) return rc;
  data[0] = {0xffffffff, 0xffffffff, 0};
  data[1] = {0x1ff, 0x1ff, 0};
  return 0;
}
long capset(abi::CapHeader*, const abi::CapData*) { return maybe(8, -EPERM); }
long prctl(int option, unsigned long arg2, unsigned long) {
  if (option == abi::kPrCapbsetRead) return maybe(16, -EPERM) ? -EPERM : arg2 <= 40 ? 1 : -EINVAL;
  if (option == abi::kPrGetSecurebits || option == abi::kPrGetNoNewPrivs) return 0;
  return maybe(32, -EPERM);
}
long pipe_cloexec(int*) { return -EMFILE; }
long setgroups(size_t, const uint32_t*) { return maybe(64, -EPERM); }
long getgroups(size_t, uint32_t*) { return 0; }
long setresgid(uint32_t) { return maybe(128, -EPERM); }
long setresuid(uint32_t) { return maybe(128, -EAGAIN); }
long getresgid(uint32_t ids[3]) { return ids[0] = ids[1] = ids[2] = 0; }
long getresuid(uint32_t ids[3]) { return ids[0] = ids[1] = ids[2] = 0; }

}  // namespace capguard::sys
