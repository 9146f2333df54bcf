// capguard: capability and set names, and the text forms operators type.
//
// Pure functions over (const char*, size_t): no I/O, no allocation.
#ifndef CAPGUARD_NAMES_H_
#define CAPGUARD_NAMES_H_

#include <stddef.h>
#include <stdint.h>

#include "capguard/capset.h"
#include "capguard/error.h"

namespace capguard {

// The last capability this build has a name for: CAP_CHECKPOINT_RESTORE
// (Linux 5.9). The running kernel may know fewer or more; see
// kernel_last_cap() in capguard/caps.h.
inline constexpr int kTableLastCap = 40;

// libcap's name of `cap` ("cap_chown"), or null when the table has none.
CAPGUARD_EXPORT const char* cap_name(int cap);

// One capability word: "cap_chown", "CAP_CHOWN" or "chown" in any case, or a
// decimal number 0..63. Returns the bit, or -1.
CAPGUARD_EXPORT int parse_cap(const char* s, size_t n);

// "inheritable", "permitted", "effective", "bounding", "ambient".
CAPGUARD_EXPORT const char* set_name(Set s);

// A word within a parsed string, for naming what was wrong.
struct Word {
  size_t begin = 0;
  size_t len = 0;
};

// A comma-separated list of capability words; blanks around a word are
// ignored. An empty string or "none" is the empty set; "all" (any case) is
// all 64 bits, as setpriv and Docker take it. On Error::unknown_capability
// `*bad` is the offending word (possibly empty, as in "a,,b") and `*out` is
// untouched.
CAPGUARD_EXPORT Result parse_cap_list(const char* s, size_t n, CapSet* out, Word* bad);

// A comma-separated list of set names, or "all". Error::unknown_set as above.
CAPGUARD_EXPORT Result parse_set_list(const char* s, size_t n, SetMask* out, Word* bad);

// Hex digits in either case, with an optional "0x" or "0X", whose value fits
// in 64 bits (leading zeros are fine). Anything else, including an empty
// string or a wider value, is Error::bad_hex: nothing is saturated.
CAPGUARD_EXPORT Result parse_hex(const char* s, size_t n, uint64_t* out);

}  // namespace capguard

#endif  // CAPGUARD_NAMES_H_
