// What a Plan (capguard/drop.h) ends in: shared by apply() and by
// planned_creds(), which predicts it; and the group-list lookup that apply()'s
// check and the group(5) reader share.
#ifndef CAPGUARD_SRC_PLAN_H_
#define CAPGUARD_SRC_PLAN_H_

#include "capguard/drop.h"
#include "kernel_abi.h"

namespace capguard {

// The lock bits: each locks the bit below it.
inline constexpr unsigned long kLocks = 0xaa;
inline constexpr unsigned long kLockBits = abi::kSecbitNoroot | abi::kSecbitNorootLocked | abi::kSecbitNoSetuidFixup |
                                           abi::kSecbitNoSetuidFixupLocked | abi::kSecbitKeepCapsLocked;

// Whether `id` is among `ids[0..n)`: a group list, as the kernel keeps it.
inline bool contains(const uint32_t* ids, int64_t n, uint32_t id) {
  for (int64_t i = 0; i < n; ++i)
    if (ids[i] == id) return true;
  return false;
}

// How many supplementary groups the plan sets, -1 for none: a switch of
// uid without groups clears them, so that root's never follow it.
inline int64_t groups_to_set(const Plan& plan) { return plan.group_count < 0 && plan.uid >= 0 ? 0 : plan.group_count; }

// The sets the plan ends in. `root`: the target is uid 0 without
// SECBIT_NOROOT, so execve grants it the bounding set by itself.
inline State intended(const Plan& plan, bool root) {
  Inherit mode = plan.inherit;
  if (mode == Inherit::automatic) mode = root ? Inherit::none : Inherit::ambient;
  State s;
  s[Set::bounding] = s[Set::permitted] = s[Set::effective] = plan.keep;
  if (mode != Inherit::none) s[Set::inheritable] = plan.keep;
  if (mode == Inherit::ambient) s[Set::ambient] = plan.keep;
  return s;
}

}  // namespace capguard

#endif  // CAPGUARD_SRC_PLAN_H_
