#include "capguard/error.h"

#include <stddef.h>
#include <stdint.h>

namespace capguard {
namespace {

// What an EPERM from a step asks for (capabilities(7)); rows name them by index.
constexpr char kNeeds[][56] = {
    "",
    "cap_setpcap",
    "cap_setgid (in a user namespace, also setgroups allow)",
    "cap_setuid",
};
enum Need : uint8_t { kNone, kSetpcap, kSetgid, kSetuid };

// One row per Error, in declaration order.
struct Row {
  char message[57];  // the longest message and its NUL
  Need needs;
};
constexpr Row kRows[] = {
    {"ok", kNone},
    {"unexpected capability", kNone},
    {"not supported on this system", kNone},
    {"unknown capability", kNone},
    {"unknown capability set", kNone},
    {"not a 64-bit hex value", kNone},
    {"status text: line missing", kNone},
    {"status text: value is not hex", kNone},
    {"status text: value has over 16 digits", kNone},
    {"status text: value is empty", kNone},
    {"status text: line appears twice", kNone},
    {"status text: truncated", kNone},
    {"cap_last_cap is not a number 0..63", kNone},
    {"cannot open /proc file", kNone},
    {"cannot read /proc file", kNone},
    {"capget failed", kNone},
    {"prctl failed", kNone},
    {"command not found", kNone},
    {"command not executable", kNone},
    {"cannot execute command", kNone},
    {"no such user", kNone},
    {"no such group", kNone},
    {"plan: ids out of range, or a uid switch without a gid", kNone},
    {"refusing to change one thread of several", kNone},
    {"cannot keep a capability that is not permitted", kNone},
    {"cannot keep a capability outside the bounding set", kNone},
    {"bounding set: prctl(PR_CAPBSET_DROP) failed", kSetpcap},
    {"securebits: prctl(PR_SET_SECUREBITS) failed", kSetpcap},
    {"keep caps: prctl(PR_SET_KEEPCAPS) failed", kNone},
    {"groups: setgroups failed", kSetgid},
    {"gid: setresgid failed", kSetgid},
    {"uid: setresuid failed", kSetuid},
    {"capability sets: capset failed", kNone},
    {"ambient set: prctl(PR_CAP_AMBIENT) failed", kNone},
    {"no_new_privs: prctl(PR_SET_NO_NEW_PRIVS) failed", kNone},
    {"verify: capability set differs from the plan", kNone},
    {"verify: uid or gid differs from the plan", kNone},
    {"verify: supplementary groups differ from the plan", kNone},
    {"verify: no_new_privs or securebits differ from the plan", kNone},
    {"pipe2 failed", kNone},
    {"fork failed", kNone},
};
static_assert(sizeof kRows / sizeof kRows[0] == static_cast<size_t>(Error::fork) + 1);

const Row* row(Error e) {
  auto i = static_cast<size_t>(e);
  return i < sizeof kRows / sizeof kRows[0] ? &kRows[i] : nullptr;
}

}  // namespace

const char* error_message(Error e) { return row(e) != nullptr ? row(e)->message : "unknown error"; }

const char* error_needs(Error e) {
  return row(e) != nullptr && row(e)->needs != kNone ? kNeeds[row(e)->needs] : nullptr;
}

}  // namespace capguard
