// capguard: capability set values, and the five sets of one thread.
//
// Pure value types: no I/O, usable in constant expressions.
#ifndef CAPGUARD_CAPSET_H_
#define CAPGUARD_CAPSET_H_

#include <stdint.h>

namespace capguard {

// Bit N is capability N, the layout of the kernel's 64-bit masks
// (include/uapi/linux/capability.h). Bits the running kernel does not know
// are kept as they are, never masked off.
struct CapSet {
  uint64_t bits = 0;

  constexpr bool has(int cap) const { return cap >= 0 && cap < 64 && ((bits >> cap) & 1) != 0; }
  constexpr bool empty() const { return bits == 0; }
  constexpr int lowest() const { return bits == 0 ? -1 : __builtin_ctzll(bits); }
  constexpr CapSet with(int cap) const { return {bits | (cap >= 0 && cap < 64 ? uint64_t{1} << cap : 0)}; }
  constexpr CapSet minus(CapSet o) const { return {bits & ~o.bits}; }
  constexpr bool operator==(CapSet o) const { return bits == o.bits; }
  constexpr bool operator!=(CapSet o) const { return bits != o.bits; }
};

// The sets in the order the kernel prints them in /proc/<pid>/status
// (fs/proc/array.c, task_cap()).
enum class Set : uint8_t { inheritable, permitted, effective, bounding, ambient };
inline constexpr int kSetCount = 5;

// A choice of sets: bit (1 << Set).
using SetMask = uint8_t;
constexpr SetMask set_bit(Set s) { return static_cast<SetMask>(1u << static_cast<unsigned>(s)); }
inline constexpr SetMask kAllSets = 0x1f;
// The three one capget(2) gives; read_thread_syscalls() of these asks nothing more.
inline constexpr SetMask kCapgetSets = set_bit(Set::inheritable) | set_bit(Set::permitted) | set_bit(Set::effective);
// What the boot guard checks unless told otherwise: a permitted capability can
// be raised into effective at will, and ambient survives execve.
inline constexpr SetMask kDefaultCheckSets = set_bit(Set::effective) | set_bit(Set::permitted) | set_bit(Set::ambient);

// The five sets of one thread.
struct State {
  CapSet sets[kSetCount] = {};

  constexpr CapSet& operator[](Set s) { return sets[static_cast<int>(s)]; }
  constexpr const CapSet& operator[](Set s) const { return sets[static_cast<int>(s)]; }
  constexpr bool operator==(const State& o) const {
    for (int i = 0; i < kSetCount; ++i)
      if (sets[i] != o.sets[i]) return false;
    return true;
  }
};

}  // namespace capguard

#endif  // CAPGUARD_CAPSET_H_
