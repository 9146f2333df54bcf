// capguard: checking a thread's sets against an allowlist. Pure, constexpr.
#ifndef CAPGUARD_POLICY_H_
#define CAPGUARD_POLICY_H_

#include "capguard/capset.h"

namespace capguard {

// Per set, the capabilities of `state` outside `allow`, for the sets chosen
// by `sets`; sets not chosen come back empty. Every offender is reported.
constexpr State violations(const State& state, CapSet allow, SetMask sets) {
  State v;
  for (int i = 0; i < kSetCount; ++i)
    if ((sets >> i) & 1) v.sets[i] = state.sets[i].minus(allow);
  return v;
}

constexpr bool any(const State& v) { return !(v == State{}); }

// The offending set a report names first: the first in the kernel's order
// that has an offender (its lowest bit is the capability named), or -1.
constexpr int first_set(const State& v) {
  for (int i = 0; i < kSetCount; ++i)
    if (!v.sets[i].empty()) return i;
  return -1;
}

}  // namespace capguard

#endif  // CAPGUARD_POLICY_H_
