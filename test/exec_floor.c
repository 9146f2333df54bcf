/* The floor for a launcher: a static program that only runs its arguments
 * in its own place; no lookup, no user, no privilege change. Whatever runs a
 * command so costs at least this. test/perf.sh builds it with musl-gcc. */
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc > 1) execv(argv[1], argv + 1);
  return 127;
}
