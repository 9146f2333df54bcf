#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys.h"

namespace capguard::sys {

long open_read(const char* path) { return result(::open(path, O_RDONLY | O_CLOEXEC)); }
long read(int fd, void* buf, size_t n) { return result(::read(fd, buf, n)); }
long write(int fd, const void* buf, size_t n) { return result(::write(fd, buf, n)); }
long close(int fd) { return result(::close(fd)); }
long getpid() { return ::getpid(); }
long execve(const char* path, char* const argv[], char* const envp[]) {
  return result(::execve(path, argv, envp));
}
long fork() { return result(::fork()); }
long wait_pid(long pid) {
  int status;
  return result(::waitpid(static_cast<pid_t>(pid), &status, 0));
}
void exit_now(int status) { ::_exit(status); }

}  // namespace capguard::sys
