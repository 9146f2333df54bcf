// The backend for systems without Linux capabilities: nothing to read, and
// the boot guard says once that it did not check.
#include "capguard/caps.h"
#include "capguard/drop.h"
#include "capguard/guard.h"
#include "config.h"
#include "sys.h"

namespace capguard {

Result read_thread(State*) { return {Error::unsupported}; }
Result read_thread_syscalls(State*, SetMask) { return {Error::unsupported}; }
Result read_pid(long, State*) { return {Error::unsupported}; }
Result count_threads(long*) { return {Error::unsupported}; }
Result kernel_last_cap(int*) { return {Error::unsupported}; }

Result apply_on_calling_thread(const Plan&, bool) { return {Error::unsupported}; }
Result spawn(const Plan&, const char*, char* const*, char* const*, long*) { return {Error::unsupported}; }

Result guard(CapSet, SetMask) {
  static int logged = 0;  // once per process, whichever thread calls first
  if (__atomic_exchange_n(&logged, 1, __ATOMIC_RELAXED) == 0) {
    static constexpr char kLine[] =
        "capguard: skipping linux-only capability check on " CAPGUARD_SYSTEM "\n";
    (void)sys::write_all(2, kLine, sizeof kLine - 1);
  }
  return {};
}

}  // namespace capguard
