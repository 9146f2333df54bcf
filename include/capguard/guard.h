// capguard: the boot guard, and the policy it applies. Call it in main()
// after parsing flags and before opening any listener:
//
//   if (!capguard::guard(capguard::CapSet{}.with(10)).ok()) return 1;
//
// It runs in every environment; there is no switch to turn it off.
#ifndef CAPGUARD_GUARD_H_
#define CAPGUARD_GUARD_H_

#include <stddef.h>

#include "capguard/capset.h"
#include "capguard/error.h"
#include "capguard/execve.h"

namespace capguard {

// Reads the calling thread's sets from the kernel (read_thread_syscalls() in
// capguard/caps.h: no /proc needed) and checks `sets` of them against
// `allow`.
// - Within the allowlist: ok, nothing written.
// - A capability outside it: writes format_violation()'s line to fd 2 and
//   returns Error::unexpected_capability, with the set and capability that
//   line names first.
// - The sets cannot be read: writes one line naming the failure and returns
//   that error; it never passes what it could not check.
// On systems without capabilities it writes
// "capguard: skipping linux-only capability check on <system>" once per
// process and returns ok.
// It sees the calling thread only: a thread that dropped its own capabilities
// changes nothing that guard() sees on another. Call it from the thread that
// will serve, or before starting any other.
// Async-signal-safe apart from the once-only flag of that last case.
CAPGUARD_EXPORT Result guard(CapSet allow, SetMask sets = kDefaultCheckSets);

// Per set, the capabilities of `state` outside `allow`, for the sets chosen
// by `sets`; sets not chosen come back empty. Every offender is reported.
constexpr State violations(const State& state, CapSet allow, SetMask sets) {
  State v;
  for (int i = 0; i < kSetCount; ++i)
    if ((sets >> i) & 1) v.sets[i] = state.sets[i].minus(allow);
  return v;
}

// The offending set a report names first: the first in the kernel's order
// that has an offender (its lowest bit is the capability named), or -1 when
// there is none.
constexpr int first_set(const State& v) {
  for (int i = 0; i < kSetCount; ++i)
    if (!v.sets[i].empty()) return i;
  return -1;
}

// The line guard() writes for `violations`, with its newline: one logfmt
// line naming the first offender's set, capability and bit, the offenders of
// each set (`unexpected_<set>=`), the allowlist, and the fix. The runtimes'
// fix drops each offender by name, or, when that would name more
// capabilities than the allowlist holds or one newer than the table, drops
// ALL and adds the allowlist back. Under systemd (INVOCATION_ID set and not
// empty, as systemd starts a unit's processes and their children inherit)
// it is the unit's lines instead, a shell word each, for a drop-in or
// systemd-run -p: "CapabilityBoundingSet=", which resets what a unit's lines
// before it would add, then, unless the allowlist is empty,
// "CapabilityBoundingSet=CAP_X" (quoted when it names more than one); the
// same AmbientCapabilities= lines when execve(2) grants the calling process
// no root capabilities (neither its real nor its effective uid is 0, or
// SECBIT_NOROOT is set). Returns the length it needs, as in format.h. With
// `exec`, the violations are those of the program at `path` after execve
// (capguard/execve.h), and "source=" names where the first offender comes
// from: "file:PATH" or "setuid-root:PATH", whose fix removes the program's
// privilege (setcap -r, chmod u-s) or runs it with no_new_privs (under
// systemd, "NoNewPrivileges=yes"), or "root" or "ambient", the caller's.
[[nodiscard]] CAPGUARD_EXPORT size_t format_violation(const State& violations, CapSet allow, char* buf, size_t size,
                                                      const Exec* exec = nullptr, const char* path = nullptr);

// Room for any line format_violation() writes without `exec`: a name is at
// most 22 bytes and a list holds at most 64; there is one list per set, the
// allowlist, and two in the fix: 5,533 bytes at most. With a program's path,
// escaped, twice: room for one of 1 KiB that needs no escapes beside every
// capability in every set, or of 2.7 KiB beside one (test/guard_test.cc).
inline constexpr size_t kViolationLineMax = 6144;

}  // namespace capguard

#endif  // CAPGUARD_GUARD_H_
