#include "capguard/error.h"

#include <stddef.h>

namespace capguard {
namespace {

// One row per Error, in declaration order.
constexpr char kMessages[][40] = {
    "ok",
    "unexpected capability",
    "not supported on this system",
    "unknown capability",
    "unknown capability set",
    "not a 64-bit hex value",
    "status text: line missing",
    "status text: value is not hex",
    "status text: value has over 16 digits",
    "status text: value is empty",
    "status text: line appears twice",
    "status text: truncated",
    "cap_last_cap is not a number 0..63",
    "cannot open /proc file",
    "cannot read /proc file",
    "capget failed",
    "prctl failed",
    "command not found",
    "command not executable",
    "cannot execute command",
};
static_assert(sizeof kMessages / sizeof kMessages[0] == static_cast<size_t>(Error::exec_failed) + 1);

}  // namespace

const char* error_message(Error e) {
  auto i = static_cast<size_t>(e);
  return i < sizeof kMessages / sizeof kMessages[0] ? kMessages[i] : "unknown error";
}

}  // namespace capguard
