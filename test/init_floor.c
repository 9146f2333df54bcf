/* The floor for an init: a static program that forks, runs its arguments in
 * the child and exits with the child's status; no signals, no reaping of
 * others, no privilege change. test/perf.sh builds it with musl-gcc. */
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int status;
  pid_t pid = argc > 1 ? fork() : -1;
  if (pid == 0) execv(argv[1], argv + 1);
  if (pid <= 0) _exit(127);
  return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
