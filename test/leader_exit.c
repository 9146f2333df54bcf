/* A process whose main thread ends alone (exit, not exit_group) while a
 * second thread lives on; it prints its pid first. With FILE, the main
 * thread first takes a file table of its own holding FILE open, so that its
 * exit closes FILE after it has let go of the address space.
 * usage: leader_exit [FILE]. oldkernel_test.sh builds and runs it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static void* live(void* unused) {
  (void)unused;
  for (;;) pause();
  return NULL;
}

int main(int argc, char** argv) {
  pthread_t t;
  if (pthread_create(&t, NULL, live, NULL) != 0) return 1;
  if (argc > 1 && (unshare(CLONE_FILES) < 0 || open(argv[1], O_RDONLY) < 0)) return perror(argv[1]), 1;
  printf("%d\n", getpid());
  fflush(stdout);
  syscall(SYS_exit, 0);
}
