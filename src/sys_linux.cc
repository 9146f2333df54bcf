// Linux-only system calls, made raw: libc has no capget wrapper in musl's
// headers, and a raw prctl(2) keeps the exact argument count the kernel sees.
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys.h"

namespace capguard::sys {
namespace {

long result(long rc) { return rc < 0 ? -errno : rc; }

}  // namespace

long capget(abi::CapHeader* header, abi::CapData data[abi::kCapWords]) {
  return result(::syscall(SYS_capget, header, data));
}

long prctl(int option, unsigned long arg2, unsigned long arg3) {
  return result(::syscall(SYS_prctl, option, arg2, arg3, 0UL, 0UL));
}

}  // namespace capguard::sys
