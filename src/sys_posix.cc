#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys.h"

namespace capguard::sys {

long read(int fd, void* buf, size_t n) { return result(::read(fd, buf, n)); }
long write(int fd, const void* buf, size_t n) { return result(::write(fd, buf, n)); }
long close(int fd) { return result(::close(fd)); }
long getpid() { return ::getpid(); }
bool ids_differ() { return ::getuid() != ::geteuid() || ::getgid() != ::getegid(); }
long seek(int fd, int64_t offset) { return result(::lseek(fd, offset, SEEK_SET)); }
long uname(struct utsname* out) { return result(::uname(out)); }
long execve(const char* path, char* const argv[], char* const envp[]) { return result(::execve(path, argv, envp)); }
long fork() { return result(::fork()); }
long wait_pid(long pid) { return result(::waitpid(static_cast<pid_t>(pid), nullptr, 0)); }
void exit_now(int status) { ::_exit(status); }

long block_signals(sigset_t* old) {
  sigset_t all;
  sigfillset(&all);
  return -pthread_sigmask(SIG_SETMASK, &all, old);  // returns the error number itself
}

long set_signal_mask(const sigset_t* mask) { return -pthread_sigmask(SIG_SETMASK, mask, nullptr); }

void default_signal_handlers() {
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction sa;
    // Fails for SIGKILL, SIGSTOP and libc's own signals: nothing to reset there.
    if (sigaction(sig, nullptr, &sa) != 0 || sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN) continue;
    sa.sa_handler = SIG_DFL;  // its flags do nothing by default, and execve(2) clears them
    (void)sigaction(sig, &sa, nullptr);
  }
}

}  // namespace capguard::sys
