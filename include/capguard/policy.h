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

}  // namespace capguard

#endif  // CAPGUARD_POLICY_H_
