// Small text helpers shared inside the library: the C++ standard library is
// not available to the static musl build, and <string.h> has no bounded,
// case-insensitive compare.
#ifndef CAPGUARD_SRC_TEXT_H_
#define CAPGUARD_SRC_TEXT_H_

#include <stddef.h>
#include <stdint.h>

#include "capguard/execve.h"
#include "capguard/filecaps.h"
#include "capguard/names.h"

namespace capguard {
namespace text {

constexpr char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

constexpr size_t length(const char* s) {
  size_t n = 0;
  while (s[n] != '\0') ++n;
  return n;
}

constexpr bool equal(const char* a, size_t an, const char* b, size_t bn) {
  if (an != bn) return false;
  for (size_t i = 0; i < an; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// `s[0..n)` equals the NUL-terminated `lit`, ignoring ASCII case.
constexpr bool equal_nocase(const char* s, size_t n, const char* lit) {
  for (size_t i = 0; i < n; ++i)
    if (lit[i] == '\0' || lower(s[i]) != lower(lit[i])) return false;
  return lit[n] == '\0';
}

constexpr bool starts_with(const char* s, const char* prefix) {
  while (*prefix != '\0')
    if (*s++ != *prefix++) return false;
  return true;
}

// The value of hex digit `c`, or -1.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (lower(c) >= 'a' && lower(c) <= 'f') return lower(c) - 'a' + 10;
  return -1;
}

// Decimal digits only, no sign, at most `max`. Returns false otherwise.
constexpr bool parse_decimal(const char* s, size_t n, uint64_t max, uint64_t* out) {
  if (n == 0) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<uint64_t>(s[i] - '0');
    if (v > max) return false;
  }
  *out = v;
  return true;
}

// Narrows [*b, *e) of `s` past blanks (spaces and tabs) at either end.
constexpr void trim(const char* s, size_t* b, size_t* e) {
  while (*b < *e && (s[*b] == ' ' || s[*b] == '\t')) ++*b;
  while (*e > *b && (s[*e - 1] == ' ' || s[*e - 1] == '\t')) --*e;
}

// Splits `s[0..n)` at commas, trims blanks and calls `parse(word, len)` for
// each word; returns false with the first word it rejects in `*bad`.
template <class Parse>
bool for_each_word(const char* s, size_t n, Word* bad, Parse parse) {
  for (size_t i = 0;;) {
    size_t end = i;
    while (end < n && s[end] != ',') ++end;
    size_t b = i, e = end;
    trim(s, &b, &e);
    if (!parse(s + b, e - b)) {
      *bad = {b, e - b};
      return false;
    }
    if (end == n) return true;
    i = end + 1;
  }
}

// A number for Writer::append(): in decimal, or as 16 hex digits.
struct Decimal {
  uint64_t v;
};
struct Hex16 {
  uint64_t v;
};

// How much of a line a streaming Writer holds: one write for any line but
// one that quotes a long path or word, which goes out in several.
inline constexpr size_t kLineChunk = 1024;

// Appends to a fixed buffer with snprintf(3) semantics: what does not fit is
// counted but not written, so finish() tells the caller the size it needed.
// A Writer given a sink streams instead: it hands the buffer to the sink
// whenever it fills, and flush() hands over the rest, so a text of any
// length goes out through a small buffer.
class Writer {
 public:
  // Writes `n` bytes of `buf` to `fd`; returns 0 or -errno: sys::write_all().
  using Sink = long (*)(int fd, const char* buf, size_t n);

  Writer(char* buf, size_t size) : buf_(buf), size_(size) {}
  Writer(char* buf, size_t size, Sink sink, int fd) : buf_(buf), size_(size), sink_(sink), fd_(fd) {}

  void put(char c) {
    if (len_ + 1 >= size_ && sink_ != nullptr) flush();
    if (len_ + 1 < size_) buf_[len_] = c;
    ++len_;
  }
  void put(const char* s, size_t n) {
    for (size_t i = 0; i < n; ++i) put(s[i]);
  }
  void put(const char* s) { put(s, length(s)); }
  void put(Decimal d) { decimal(d.v); }
  void put(Hex16 h) { hex(h.v, 16); }
  // Each of `parts` in turn: characters, NUL-terminated strings and numbers.
  template <class... Parts>
  void append(Parts... parts) {
    (put(parts), ...);
  }
  void decimal(uint64_t v) {
    char digits[20];  // 2^64 - 1 has 20 decimal digits
    size_t n = 0;
    do digits[n++] = static_cast<char>('0' + v % 10);
    while ((v /= 10) != 0);
    while (n > 0) put(digits[--n]);
  }
  // The low `digits` hex digits of `v`, lower case.
  void hex(uint64_t v, int digits) {
    for (int shift = 4 * digits - 4; shift >= 0; shift -= 4) put("0123456789abcdef"[(v >> shift) & 0xf]);
  }
  size_t written() const { return len_; }  // since the last flush()
  // NUL-terminates and returns the length the whole text needs.
  size_t finish() {
    if (size_ > 0) buf_[len_ < size_ ? len_ : size_ - 1] = '\0';
    return len_;
  }
  // Streaming: hands what the buffer holds to the sink and empties it.
  // Returns 0, or the sink's first error, after which it hands over nothing
  // (format.cc).
  long flush();

 private:
  char* buf_;
  size_t size_;
  size_t len_ = 0;
  Sink sink_ = nullptr;
  int fd_ = -1;
  long error_ = 0;
};

// The names of the bits of `caps`, comma-separated, each wrapped in `quote`;
// bits without a name as decimal numbers (format.cc).
void put_cap_names(Writer& w, CapSet caps, const char* quote);
// The texts of format_show(), format_json(), format_getcap() and
// format_file_json() (capguard/format.h).
void put_show(Writer& w, const State& state);
void put_json(Writer& w, long pid, const State& state);
// The object put_json() writes, left open for more fields.
void put_json_sets(Writer& w, long pid, const State& state);
void put_getcap(Writer& w, const FileCaps& caps, int last_cap);
void put_file_json(Writer& w, const char* path, const FileCaps& caps);
void put_exec(Writer& w, const Exec& exec);
void put_violation(Writer& w, const State& violations, CapSet allow, const Exec* exec, const char* path);  // guard.cc
void put_exec_json(Writer& w, long pid, const Exec& exec);

// `s` as the inside of a JSON string, always valid UTF-8: a backslash before
// each quote and backslash; as \uXXXX the controls (U+0000..U+001F, DEL,
// U+0080..U+009F), U+2028 and U+2029, and each byte that is not part of
// valid UTF-8, as U+DC80..U+DCFF (PEP 383: Python's json.loads() and
// os.fsencode() give the bytes back); the rest as it is (format.cc).
void put_escaped(Writer& w, const char* s);
// The same between quotes: a JSON string.
void put_json_string(Writer& w, const char* s);
// Whether `s` must be quoted as a logfmt value: it holds a space, a quote, an
// equals sign, a backslash, or anything put_escaped() escapes.
bool needs_quotes(const char* s);

}  // namespace text
}  // namespace capguard

#endif  // CAPGUARD_SRC_TEXT_H_
