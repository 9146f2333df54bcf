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
  unknown_user,           // no such user in /etc/passwd
  unknown_group,          // no such group in /etc/group
  // Steps of apply_on_calling_thread() (capguard/drop.h), in their order.
  bad_plan,               // ids out of range, or a uid switch without a gid
  threads,                // the process has other threads, or they cannot be counted
  not_permitted,          // a capability to keep is not in the permitted set
  not_in_bounding,        // a capability to keep is not in the bounding set
  bounding_drop,          // prctl(PR_CAPBSET_DROP) failed
  securebits,             // prctl(PR_SET_SECUREBITS) failed
  keepcaps,               // prctl(PR_SET_KEEPCAPS) failed
  setgroups,              // setgroups(2) failed
  setgid,                 // setresgid(2) failed
  setuid,                 // setresuid(2) failed
  capset,                 // capset(2) failed
  ambient,                // prctl(PR_CAP_AMBIENT) failed
  no_new_privs,           // prctl(PR_SET_NO_NEW_PRIVS) failed
  verify_caps,            // a set read back differs from the plan (Result::set, ::cap)
  verify_ids,             // the uid or gid read back differs from the plan
  verify_groups,          // the number of supplementary groups differs
  verify_flags,           // no_new_privs or the securebits read back differ
  // spawn()
  pipe,                   // pipe2(2) failed
  fork,                   // fork(2) failed
};

// A short lower-case phrase for `e`, e.g. "capget failed"; never null.
const char* error_message(Error e);

// The capability whose absence makes the step `e` fail with EPERM, e.g.
// "cap_setpcap" for bounding_drop; null when no single one does.
const char* error_needs(Error e);

struct [[nodiscard]] Result {
  Error code = Error::ok;
  int sys_errno = 0;  // errno of the failed system call, 0 when none failed
  int set = -1;       // the Set an error is about, -1 when none
  int cap = -1;       // the capability an error is about, -1 when none

  constexpr bool ok() const { return code == Error::ok; }
};

}  // namespace capguard

#endif  // CAPGUARD_ERROR_H_
