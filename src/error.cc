#include "capguard/error.h"

#include <stddef.h>

namespace capguard {
namespace {

// One row per Error, in declaration order: the message, and the capability
// an EPERM from that step asks for (capabilities(7)).
struct Row {
  char message[56];
  char needs[64];
};
constexpr Row kRows[] = {
    {"ok", ""},
    {"unexpected capability", ""},
    {"not supported on this system", ""},
    {"unknown capability", ""},
    {"unknown capability set", ""},
    {"not a 64-bit hex value", ""},
    {"status text: line missing", ""},
    {"status text: value is not hex", ""},
    {"status text: value has over 16 digits", ""},
    {"status text: value is empty", ""},
    {"status text: line appears twice", ""},
    {"status text: truncated", ""},
    {"cap_last_cap is not a number 0..63", ""},
    {"cannot open /proc file", ""},
    {"cannot read /proc file", ""},
    {"capget failed", ""},
    {"prctl failed", ""},
    {"command not found", ""},
    {"command not executable", ""},
    {"cannot execute command", ""},
    {"no such user", ""},
    {"no such group", ""},
    {"plan: ids out of range, or a uid switch without a gid", ""},
    {"refusing to change one thread of several", ""},
    {"cannot keep a capability that is not permitted", ""},
    {"cannot keep a capability outside the bounding set", ""},
    {"bounding set: prctl(PR_CAPBSET_DROP) failed", "cap_setpcap"},
    {"securebits: prctl(PR_SET_SECUREBITS) failed", "cap_setpcap"},
    {"keep caps: prctl(PR_SET_KEEPCAPS) failed", ""},
    {"groups: setgroups failed", "cap_setgid (in a user namespace, also setgroups allow)"},
    {"gid: setresgid failed", "cap_setgid"},
    {"uid: setresuid failed", "cap_setuid"},
    {"capability sets: capset failed", ""},
    {"ambient set: prctl(PR_CAP_AMBIENT) failed", ""},
    {"no_new_privs: prctl(PR_SET_NO_NEW_PRIVS) failed", ""},
    {"verify: capability set differs from the plan", ""},
    {"verify: uid or gid differs from the plan", ""},
    {"verify: supplementary groups differ from the plan", ""},
    {"verify: no_new_privs or securebits differ from the plan", ""},
    {"pipe2 failed", ""},
    {"fork failed", ""},
};
static_assert(sizeof kRows / sizeof kRows[0] == static_cast<size_t>(Error::fork) + 1);

const Row* row(Error e) {
  auto i = static_cast<size_t>(e);
  return i < sizeof kRows / sizeof kRows[0] ? &kRows[i] : nullptr;
}

}  // namespace

const char* error_message(Error e) { return row(e) != nullptr ? row(e)->message : "unknown error"; }

const char* error_needs(Error e) {
  return row(e) != nullptr && row(e)->needs[0] != '\0' ? row(e)->needs : nullptr;
}

}  // namespace capguard
