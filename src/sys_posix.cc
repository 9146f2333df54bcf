#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "sys.h"

namespace capguard::sys {
namespace {

long result(long rc) { return rc < 0 ? -errno : rc; }

}  // namespace

long open_read(const char* path) { return result(::open(path, O_RDONLY | O_CLOEXEC)); }
long read(int fd, void* buf, size_t n) { return result(::read(fd, buf, n)); }
long write(int fd, const void* buf, size_t n) { return result(::write(fd, buf, n)); }
long close(int fd) { return result(::close(fd)); }
long getpid() { return ::getpid(); }
long execve(const char* path, char* const argv[], char* const envp[]) {
  return result(::execve(path, argv, envp));
}

}  // namespace capguard::sys
