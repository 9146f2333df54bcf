// capguard: running a command in place of the calling process.
#ifndef CAPGUARD_EXEC_H_
#define CAPGUARD_EXEC_H_

#include <stddef.h>

#include "capguard/error.h"

namespace capguard {

// execve(2)s `file` with `argv` and `envp`, searching the PATH in `envp`
// (default "/usr/local/bin:/bin:/usr/bin") when `file` has no slash. Empty
// PATH entries are skipped: the current directory is never searched by
// accident. Returns only on failure: exec_not_found (exit status 127),
// exec_denied when a match was not executable, or exec_failed with the errno
// of the first other failure, which ends the search (both 126); `what` is
// "execve". A PATH entry too long to join with `file` is skipped.
// Async-signal-safe: usable between fork and exec.
CAPGUARD_EXPORT Result exec_path(const char* file, char* const argv[], char* const envp[]);

}  // namespace capguard

#endif  // CAPGUARD_EXEC_H_
