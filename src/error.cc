#include "capguard/error.h"

#include "text.h"

namespace capguard {
namespace {

// Every message in the enum's order, each ending in a NUL: one string, so
// the table needs no pointers. No message is empty: the empty string after
// the last ends the table.
#define CAPGUARD_ERROR_MESSAGE(name, message) message "\0"
constexpr char kMessages[] = CAPGUARD_ERRORS(CAPGUARD_ERROR_MESSAGE);
#undef CAPGUARD_ERROR_MESSAGE

}  // namespace

const char* error_message(Error e) {
  const char* m = kMessages;
  for (int i = 0; i < static_cast<int>(e) && *m != '\0'; ++i) m += text::length(m) + 1;
  return *m != '\0' ? m : "unknown error";
}

const char* error_needs(Error e) {
  switch (e) {
    case Error::bounding_drop:
    case Error::securebits:
      return "cap_setpcap";
    case Error::setgroups:
      return "cap_setgid (in a user namespace, also setgroups allow)";
    case Error::setgid:
      return "cap_setgid";
    case Error::setuid:
      return "cap_setuid";
    default:
      return nullptr;
  }
}

}  // namespace capguard
