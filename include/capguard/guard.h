// capguard: the boot guard. Call it in main() after parsing flags and before
// opening any listener:
//
//   if (!capguard::guard(capguard::CapSet{}.with(10)).ok()) return 1;
//
// It runs in every environment; there is no switch to turn it off.
#ifndef CAPGUARD_GUARD_H_
#define CAPGUARD_GUARD_H_

#include <stddef.h>

#include "capguard/capset.h"
#include "capguard/error.h"

namespace capguard {

// Reads the calling thread's sets from the kernel (read_thread_syscalls() in
// capguard/caps.h: no /proc needed) and checks `sets` of them against
// `allow`.
// - Within the allowlist: ok, nothing written.
// - A capability outside it: writes one logfmt line to fd 2 naming the set,
//   the capability's name and bit, every offender, the allowlist and the fix,
//   and returns Error::unexpected_capability.
// - The sets cannot be read: writes one line naming the failure and returns
//   that error; it never passes what it could not check.
// On systems without capabilities it writes
// "capguard: skipping linux-only capability check on <system>" once per
// process and returns ok.
// It sees the calling thread only: a thread that dropped its own capabilities
// changes nothing that guard() sees on another. Call it from the thread that
// will serve, or before starting any other.
// Async-signal-safe apart from the once-only flag of that last case.
Result guard(CapSet allow, SetMask sets = kDefaultCheckSets);

// The line guard() writes for `violations` (see policy.h), with its newline.
// Returns the length it needs, as in format.h.
[[nodiscard]] size_t format_violation(const State& violations, CapSet allow, char* buf,
                                      size_t size);

// Room for any line format_violation() writes: a name is at most 22 bytes
// and a list holds at most 64; there is one list per set, the allowlist, and
// two in the fix (64 x 35 bytes at most). About 13 KiB in all.
inline constexpr size_t kViolationLineMax = 16384;

}  // namespace capguard

#endif  // CAPGUARD_GUARD_H_
