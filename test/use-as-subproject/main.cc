// A service's main(): the boot guard before anything else.
#include <capguard/guard.h>
#include <unistd.h>

int main() {
  // Allow everything: the point is that it links and runs.
  if (!capguard::guard(capguard::CapSet{~0ull}).ok()) return 1;
  return write(1, "guarded\n", 8) == 8 ? 0 : 1;
}
