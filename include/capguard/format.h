// capguard: text forms of capability sets, written into the caller's buffer.
//
// Every function writes at most `size` bytes, always NUL-terminated when
// `size` > 0, and returns the length the whole text needs without the NUL,
// as snprintf(3) does: the text was truncated exactly when the result is
// >= size. Capabilities the name table lacks print as decimal numbers.
// Pure: no I/O, no allocation.
#ifndef CAPGUARD_FORMAT_H_
#define CAPGUARD_FORMAT_H_

#include <stddef.h>

#include "capguard/capset.h"
#include "capguard/error.h"

namespace capguard {

// Room for any text format_show() or format_json() writes: five full sets of
// 64 names of at most 22 bytes, quoted, with keys and hex, are about 8 KiB.
inline constexpr size_t kFormatMax = 16384;

// Room for any text format_error() writes.
inline constexpr size_t kErrorTextMax = 192;

// "cap_chown,cap_kill,41"; the empty set is "".
[[nodiscard]] size_t format_list(CapSet caps, char* buf, size_t size);

// What `capsh --decode=HEX` prints, without the newline:
// "0x0000000000000003=cap_chown,cap_dac_override".
[[nodiscard]] size_t format_decode(CapSet caps, char* buf, size_t size);

// Five lines in the kernel's order, "effective: cap_chown,cap_kill\n"; an
// empty set prints nothing after the colon.
[[nodiscard]] size_t format_show(const State& state, char* buf, size_t size);

// One JSON object and a newline: "pid", the five sets as arrays of names,
// and "hex" with each set as 16 lower-case hex digits.
[[nodiscard]] size_t format_json(long pid, const State& state, char* buf, size_t size);

// "capget failed: EPERM (errno 1)", "status text: line missing (ambient)",
// "uid: setresuid failed: EPERM (errno 1); needs cap_setuid".
[[nodiscard]] size_t format_error(Result r, char* buf, size_t size);

}  // namespace capguard

#endif  // CAPGUARD_FORMAT_H_
