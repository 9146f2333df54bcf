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
#include "capguard/execve.h"

namespace capguard {

// Room for any text format_list(), format_decode(), format_show(),
// format_json(), format_exec(), format_exec_json() or format_cap_table()
// writes. The longest is format_exec_json() with every bit in every set and
// reason, the largest pid and ids: 7,446 bytes (nine lists of 64 quoted
// names, 781 bytes each; test/format_test.cc).
inline constexpr size_t kFormatMax = 7680;

// Room for any text format_error() writes: the longest message, set,
// capability name and errno (test/format_test.cc checks every error), and
// `what` shortened to fit.
inline constexpr size_t kErrorTextMax = 256;

// "cap_chown,cap_kill,41"; the empty set is "".
[[nodiscard]] CAPGUARD_EXPORT size_t format_list(CapSet caps, char* buf, size_t size);

// What `capsh --decode=HEX` prints, without the newline:
// "0x0000000000000003=cap_chown,cap_dac_override".
[[nodiscard]] CAPGUARD_EXPORT size_t format_decode(CapSet caps, char* buf, size_t size);

// Five lines in the kernel's order, "effective: cap_chown,cap_kill\n"; an
// empty set prints nothing after the colon.
[[nodiscard]] CAPGUARD_EXPORT size_t format_show(const State& state, char* buf, size_t size);

// One JSON object and a newline: "schema" (1; a change that breaks a field
// raises it), "pid", the five sets as arrays of names, and "hex" with each
// set as 16 lower-case hex digits.
[[nodiscard]] CAPGUARD_EXPORT size_t format_json(long pid, const State& state, char* buf, size_t size);

// What `getcap PATH` prints after the path and a space: libcap's text form,
// e.g. "cap_net_raw=ep", "=ep cap_chown-ep", "=" for empty sets, the bits
// past `last_cap` (the running kernel's) as numbers.
[[nodiscard]] CAPGUARD_EXPORT size_t format_getcap(const FileCaps& caps, int last_cap, char* buf, size_t size);

// One JSON object and a newline: "schema", "path", "permitted",
// "inheritable", "effective" (the sets as getcap shows them: effective is
// permitted and inheritable when the effective flag is set), "revision",
// and for revision 3 "rootid". The path is escaped so that the line is valid
// UTF-8: each byte that is not part of valid UTF-8 as \udc80..\udcff (PEP
// 383), controls, U+2028 and U+2029 as \uXXXX.
[[nodiscard]] CAPGUARD_EXPORT size_t format_file_json(const char* path, const FileCaps& caps, char* buf, size_t size);

// format_show()'s lines for the program's five sets, then "uid: N",
// "gid: N", a line "from <reason>: <caps>" for each reason that has some
// (file, setuid-root, root, ambient), and "ignored: <why>" when the file's
// bits or capabilities do not count.
[[nodiscard]] CAPGUARD_EXPORT size_t format_exec(const Exec& exec, char* buf, size_t size);

// format_json()'s object with the program's sets, plus "uid", "gid",
// "reasons" (an object with the four reasons as keys, each an array of
// names), and "ignored" (a string or null).
[[nodiscard]] CAPGUARD_EXPORT size_t format_exec_json(long pid, const Exec& exec, char* buf, size_t size);

// "[what: ]message[ (set: cap)][: ERRNO (errno N)][; needs CAP]", e.g.
// "setresuid: cannot set the uid: EPERM (errno 1); needs cap_setuid",
// "/etc/passwd: cannot read: EISDIR (errno 21)",
// "status text: line missing (ambient)". Never longer than kErrorTextMax - 1:
// a `what` that would make it longer keeps its start and its end around
// "...", and the rest stays whole.
[[nodiscard]] CAPGUARD_EXPORT size_t format_error(Result r, char* buf, size_t size);

// What `capguard list` prints: a line for each bit up to the larger of
// `kernel_last` and kTableLastCap, "10  cap_net_bind_service    yes", the
// last column saying whether the running kernel has it.
[[nodiscard]] CAPGUARD_EXPORT size_t format_cap_table(int kernel_last, char* buf, size_t size);

}  // namespace capguard

#endif  // CAPGUARD_FORMAT_H_
