/* The floor for a whole capability tool: a static program that asks the
 * kernel once (capget) and writes once. test/perf.sh builds it with musl-gcc,
 * whose headers have no <linux/capability.h>: the v3 ABI is spelt out. */
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  struct { uint32_t version; int pid; } header = {0x20080522, 0};
  struct { uint32_t effective, permitted, inheritable; } data[2];
  char line[] = "effective: 00000000\n";
  if (syscall(SYS_capget, &header, data) != 0) return 1;
  for (int i = 0; i < 8; ++i) line[11 + i] = "0123456789abcdef"[(data[0].effective >> (28 - 4 * i)) & 0xf];
  return write(1, line, sizeof line - 1) == (ssize_t)(sizeof line - 1) ? 0 : 1;
}
