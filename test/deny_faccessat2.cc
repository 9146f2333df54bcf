// deny_faccessat2 [--no-execveat | --no-getxattrat | --deny-getxattrat |
// --deny-faccessat | --kill-unshare] COMMAND [ARG...]: runs COMMAND under a
// seccomp filter on which faccessat2(2) fails with EPERM, as it does under a
// container runtime's filter older than the call (Docker before 20.10.6);
// with --no-execveat execveat(2) fails with ENOSYS, as under qemu-user before
// 8.0; with --no-getxattrat getxattrat(2) fails with ENOSYS, as before Linux
// 6.13, and with --deny-getxattrat with EPERM, as under a filter older than
// it; with --deny-faccessat faccessat(2) fails with EPERM too. With
// --kill-unshare only unshare(2) fails: it kills the process that calls it.
// Every other call is allowed. `deny_faccessat2 --probe` asks faccessat2 and faccessat
// about "/" under the filter and prints each answer, so a test can see that
// the filter works. For test/check_escape_test.sh; raw BPF, no libseccomp.
// Installing a filter without no_new_privs needs CAP_SYS_ADMIN: run it as
// root, so that no_new_privs, which changes what execve grants, stays unset.
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

// include/uapi/linux/filter.h and seccomp.h, spelt out: musl's headers
// (the static build's) have no <linux/...>.
struct SockFilter {
  uint16_t code;
  uint8_t jt, jf;
  uint32_t k;
};
struct SockFprog {
  unsigned short len;
  const SockFilter* filter;
};
// BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_RET|BPF_K.
constexpr uint16_t kLdAbsW = 0x20, kJeqK = 0x15, kRetK = 0x06;
constexpr uint32_t kSeccompModeFilter = 2;
constexpr uint32_t kRetAllow = 0x7fff0000, kRetErrno = 0x00050000, kRetKillProcess = 0x80000000;
// struct seccomp_data: int nr; __u32 arch; ...
constexpr uint32_t kNrOffset = 0, kArchOffset = 4;
// getxattrat(2)'s number on x86_64 and aarch64 (Linux 6.13), which no libc
// here names.
constexpr uint32_t kGetxattrat = 464;
// include/uapi/linux/audit.h: the machine, 64-bit, little-endian.
#if defined(__x86_64__)
constexpr uint32_t kAuditArch = 62 | 0x80000000u | 0x40000000u;  // AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
constexpr uint32_t kAuditArch = 183 | 0x80000000u | 0x40000000u;  // AUDIT_ARCH_AARCH64
#else
#error "deny_faccessat2: no AUDIT_ARCH for this machine"
#endif

int probe() {
  long two = syscall(SYS_faccessat2, AT_FDCWD, "/", X_OK, AT_EACCESS);
  int two_errno = errno;
  long one = syscall(SYS_faccessat, AT_FDCWD, "/", X_OK);
  printf("faccessat2: %s, faccessat: %s\n", two == 0 ? "0" : strerror(two_errno), one == 0 ? "0" : strerror(errno));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const char* flag = argc > 1 ? argv[1] : "";
  bool no_execveat = strcmp(flag, "--no-execveat") == 0;
  uint32_t getxattrat = strcmp(flag, "--no-getxattrat") == 0     ? kRetErrno | ENOSYS
                        : strcmp(flag, "--deny-getxattrat") == 0 ? kRetErrno | EPERM
                                                                 : kRetAllow;
  uint32_t faccessat = strcmp(flag, "--deny-faccessat") == 0 ? kRetErrno | EPERM : kRetAllow;
  uint32_t unshare = strcmp(flag, "--kill-unshare") == 0 ? kRetKillProcess : kRetAllow;
  uint32_t faccessat2 = unshare != kRetAllow ? kRetAllow : kRetErrno | EPERM;
  int flags = no_execveat || getxattrat != kRetAllow || faccessat != kRetAllow || unshare != kRetAllow;
  argv += flags, argc -= flags;
  if (argc < 2) {
    fprintf(stderr,
            "usage: deny_faccessat2 [--no-execveat | --no-getxattrat | --deny-getxattrat | --deny-faccessat | "
            "--kill-unshare] COMMAND [ARG...] | --probe\n");
    return 2;
  }
  const SockFilter code[] = {
      {kLdAbsW, 0, 0, kArchOffset},    // the calling convention
      {kJeqK, 1, 0, kAuditArch},       // this machine's: on to the number
      {kRetK, 0, 0, kRetKillProcess},  // another's (i386 on x86_64): its numbers mean other calls
      {kLdAbsW, 0, 0, kNrOffset},      // the call's number
      {kJeqK, 0, 1, SYS_faccessat2},   // faccessat2:
      {kRetK, 0, 0, faccessat2},       //   EPERM, but with --kill-unshare
      {kJeqK, 0, 1, SYS_execveat},     // execveat:
      {kRetK, 0, 0, no_execveat ? kRetErrno | ENOSYS : kRetAllow},
      {kJeqK, 0, 1, kGetxattrat},  // getxattrat:
      {kRetK, 0, 0, getxattrat},
      {kJeqK, 0, 1, SYS_faccessat},  // faccessat:
      {kRetK, 0, 0, faccessat},
      {kJeqK, 0, 1, SYS_unshare},  // unshare:
      {kRetK, 0, 0, unshare},
      {kRetK, 0, 0, kRetAllow},  // anything else: allowed
  };
  const SockFprog prog = {sizeof code / sizeof code[0], code};
  if (prctl(PR_SET_SECCOMP, kSeccompModeFilter, &prog, 0, 0) != 0) {
    perror("deny_faccessat2: prctl(PR_SET_SECCOMP)");
    return 125;
  }
  if (strcmp(argv[1], "--probe") == 0) return probe();
  execvp(argv[1], argv + 1);
  fprintf(stderr, "deny_faccessat2: %s: %s\n", argv[1], strerror(errno));
  return 127;
}
