// capguard: the parser of /proc/<pid>/status text.
//
// Pure: no I/O, no allocation, never reads past the length it is given.
#ifndef CAPGUARD_STATUS_H_
#define CAPGUARD_STATUS_H_

#include <stddef.h>

#include "capguard/capset.h"
#include "capguard/error.h"

namespace capguard {

// The CapInh, CapPrm, CapEff, CapBnd and CapAmb lines of a status text, in
// any order; every other line is skipped. The kernel writes each as
// "CapXxx:\t%016llx\n" (fs/proc/array.c, render_cap_t); blanks before the
// digits and upper-case digits are accepted, anything else in a Cap line is
// an error naming the set (Result::set), with `what` "status text".
// Errors: status_missing_line, status_bad_digit, status_too_many_digits,
// status_empty_value, status_duplicate_line, status_truncated (the text
// does not end with a newline). `*out` is written only on success.
CAPGUARD_EXPORT Result parse_status(const char* text, size_t n, State* out);

}  // namespace capguard

#endif  // CAPGUARD_STATUS_H_
