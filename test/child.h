// Runs a function in a forked child, the way tests that change credentials
// or process-wide state must: the test process itself stays untouched.
#ifndef CAPGUARD_TEST_CHILD_H_
#define CAPGUARD_TEST_CHILD_H_

#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace capguard::test {

struct ChildResult {
  int status = -1;  // exit status, or 128 + signal
  std::string err;  // what the child wrote to fd 2
};

// `fn` runs in the child with fd 2 on a pipe; its return value is the exit
// status. No gtest assertion may run in the child: return a code instead.
template <class Fn>
ChildResult run_in_child(Fn fn) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    _exit(fn());
  }
  close(fds[1]);
  ChildResult r;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) r.err.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int ws = 0;
  waitpid(pid, &ws, 0);
  r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
  return r;
}

}  // namespace capguard::test

#endif  // CAPGUARD_TEST_CHILD_H_
