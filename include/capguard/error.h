// capguard: errors. Every fallible call returns a Result; errno never leaks
// out of the library, it travels inside the Result that names the failure.
#ifndef CAPGUARD_ERROR_H_
#define CAPGUARD_ERROR_H_

#include <stdint.h>

namespace capguard {

enum class Error : uint8_t {
  ok,
  unexpected_capability,  // the boot guard found a capability outside the allowlist
  unsupported,            // not on this system: capabilities are a Linux feature
  unknown_capability,     // a name or number that is no capability
  unknown_set,            // a word that is no capability set
  bad_hex,                // not 1..16 hex digits, with an optional 0x
  status_missing_line,    // a Cap line is absent from the status text
  status_bad_digit,       // a Cap value holds a character that is not hex
  status_too_many_digits, // a Cap value has more than 16 digits
  status_empty_value,     // a Cap line has no value
  status_duplicate_line,  // a Cap line appears twice
  status_truncated,       // the text ends inside a line
  bad_last_cap,           // /proc/sys/kernel/cap_last_cap is not a number 0..63
  proc_open,              // open(2) of a /proc file failed
  proc_read,              // read(2) of a /proc file failed
  capget,                 // capget(2) failed
  prctl,                  // prctl(2) failed
  exec_not_found,         // no such command (exit status 127 by convention)
  exec_denied,            // the command is not executable (126)
  exec_failed,            // execve(2) failed otherwise (126)
};

// A short lower-case phrase for `e`, e.g. "capget failed"; never null.
const char* error_message(Error e);

struct [[nodiscard]] Result {
  Error code = Error::ok;
  int sys_errno = 0;  // errno of the failed system call, 0 when none failed
  int set = -1;       // the Set a status or policy error is about, -1 when none

  constexpr bool ok() const { return code == Error::ok; }
};

}  // namespace capguard

#endif  // CAPGUARD_ERROR_H_
