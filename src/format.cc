#include "capguard/format.h"

#include <errno.h>

#include "capguard/execve.h"
#include "capguard/names.h"
#include "text.h"

namespace capguard {
namespace {

// Every errno that the man pages of the calls capguard makes list for them
// (open, read, write, execve, fork, pipe2, capget, capset, prctl, setgroups,
// setresuid, getgroups, statx, faccessat2, statfs, getdents64, lseek,
// getxattr, pthread_sigmask): one list makes the values and the names, which
// are one string, so that the table has no padding.
// clang-format off
#define CAPGUARD_ERRNOS(X)                                                                                        \
  X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC) X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) \
  X(EACCES) X(EFAULT) X(EBUSY) X(EEXIST) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) X(EMFILE) X(ETXTBSY) \
  X(EFBIG) X(ENOSPC) X(EROFS) X(EPIPE) X(ERANGE) X(ENOSYS) X(ELOOP) X(EDQUOT) X(ENODATA) X(ELIBBAD) X(EOVERFLOW) \
  X(EOPNOTSUPP) X(ENAMETOOLONG) X(EDESTADDRREQ)
// clang-format on
#define CAPGUARD_ERRNO_VALUE(e) e,
constexpr uint8_t kErrnoValues[] = {CAPGUARD_ERRNOS(CAPGUARD_ERRNO_VALUE)};
#define CAPGUARD_ERRNO_NAME(e) #e "\0"
constexpr char kErrnoNames[] = CAPGUARD_ERRNOS(CAPGUARD_ERRNO_NAME);

// Reason's words: "setuid-root" as chmod and the man pages spell it.
const char* reason_name(Reason r) {
  constexpr const char* kNames[] = {"file", "setuid-root", "root", "ambient"};
  return kNames[static_cast<int>(r)];
}

// The character at `s`: its code point, and its length in `*n`. A byte that
// begins no valid UTF-8 sequence (RFC 3629: no overlong form, no surrogate,
// nothing past U+10FFFF; a sequence cut short by the end is not one) is
// U+DC80..U+DCFF alone, as Python's surrogateescape (PEP 383) reads it: a
// surrogate, which valid UTF-8 never encodes, so no other name reads the same.
uint32_t code_point(const char* s, int* n) {
  constexpr uint32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};  // by length: below is overlong
  auto byte = [s](int i) { return static_cast<unsigned char>(s[i]); };
  uint32_t c = byte(0);
  *n = c < 0x80 ? 1 : c < 0xc0 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : 0;
  if (*n > 1) c &= 0x7fu >> *n;
  // The first byte that is no continuation (the NUL among them) ends it.
  for (int i = 1; i < *n; ++i) {
    if ((byte(i) & 0xc0) != 0x80) *n = 0;
    c = c << 6 | (byte(i) & 0x3f);
  }
  if (c < kLeast[*n] || c > 0x10ffff || c >> 11 == 0xd800 >> 11) *n = 0;  // surrogates: U+D800..U+DFFF
  if (*n == 0) *n = 1, c = 0xdc00 | byte(0);
  return c;
}

// Whether put_escaped() writes `c` as \uXXXX: controls (C0, DEL, C1), which
// a terminal acts on; U+2028 and U+2029, which JavaScript and some readers
// take for line ends; and the bytes that are not UTF-8.
bool escaped(uint32_t c) { return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029 || c >> 8 == 0xdc; }

}  // namespace

long text::Writer::flush() {
  if (error_ == 0) error_ = sink_(fd_, buf_, len_);
  len_ = 0;
  return error_;
}

void text::put_json_sets(text::Writer& w, long pid, const State& state) {
  w.append("{\"schema\":1,\"pid\":", text::Decimal{static_cast<uint64_t>(pid)});
  for (int i = 0; i < kSetCount; ++i) {
    w.append(",\"", set_name(static_cast<Set>(i)), "\":[");
    text::put_cap_names(w, state.sets[i], "\"");
    w.put(']');
  }
  w.put(",\"hex\":{");
  for (int i = 0; i < kSetCount; ++i)
    w.append(i == 0 ? "\"" : ",\"", set_name(static_cast<Set>(i)), "\":\"", text::Hex16{state.sets[i].bits}, '"');
  w.put('}');
}

void text::put_cap_names(text::Writer& w, CapSet caps, const char* quote) {
  const char* sep = "";
  for (int cap = 0; cap < 64; ++cap) {
    if (!caps.has(cap)) continue;
    w.put(sep);
    w.put(quote);
    if (const char* name = cap_name(cap))
      w.put(name);
    else
      w.decimal(static_cast<uint64_t>(cap));
    w.put(quote);
    sep = ",";
  }
}

size_t format_list(CapSet caps, char* buf, size_t size) {
  text::Writer w(buf, size);
  text::put_cap_names(w, caps, "");
  return w.finish();
}

size_t format_decode(CapSet caps, char* buf, size_t size) {
  text::Writer w(buf, size);
  w.append("0x", text::Hex16{caps.bits}, '=');
  text::put_cap_names(w, caps, "");
  return w.finish();
}

size_t format_show(const State& state, char* buf, size_t size) {
  text::Writer w(buf, size);
  text::put_show(w, state);
  return w.finish();
}

void text::put_show(text::Writer& w, const State& state) {
  for (int i = 0; i < kSetCount; ++i) {
    w.append(set_name(static_cast<Set>(i)), ':');
    if (!state.sets[i].empty()) w.put(' ');
    text::put_cap_names(w, state.sets[i], "");
    w.put('\n');
  }
}

void text::put_escaped(text::Writer& w, const char* s) {
  for (int n = 0; *s != '\0'; s += n) {
    uint32_t c = code_point(s, &n);
    if (c == '"' || c == '\\') w.put('\\');
    if (escaped(c)) w.put("\\u"), w.hex(c, 4);
    if (!escaped(c)) w.put(s, static_cast<size_t>(n));
  }
}

void text::put_json_string(text::Writer& w, const char* s) { w.append('"'), put_escaped(w, s), w.put('"'); }

bool text::needs_quotes(const char* s) {
  // Anything escaped comes out longer.
  text::Writer w(nullptr, 0);
  put_escaped(w, s);
  for (const char* p = s; *p != '\0'; ++p)
    if (*p == ' ' || *p == '=') return true;
  return w.written() != length(s);
}

size_t format_json(long pid, const State& state, char* buf, size_t size) {
  text::Writer w(buf, size);
  text::put_json(w, pid, state);
  return w.finish();
}

void text::put_json(text::Writer& w, long pid, const State& state) { put_json_sets(w, pid, state), w.put("}\n"); }

size_t format_getcap(const FileCaps& f, int last_cap, char* buf, size_t size) {
  text::Writer w(buf, size);
  text::put_getcap(w, f, last_cap);
  return w.finish();
}

void text::put_getcap(text::Writer& w, const FileCaps& f, int last_cap) {
  // libcap's cap_to_text(): a state per bit, e 1, p 2, i 4, where e is p|i
  // when the effective flag is set (_fcaps_load()). The state most bits up
  // to the kernel's last share (the lowest on a tie) is the "=" base; each
  // other state, highest first, adds its bits as "names+added-removed", and
  // when the base is empty the first of those is written "names=added".
  auto state = [&f](int n) {
    int s = (f.permitted.has(n) ? 2 : 0) | (f.inheritable.has(n) ? 4 : 0);
    return s != 0 && f.effective ? s | 1 : s;
  };
  auto letters = [&w](int s) { w.append(s & 1 ? "e" : "", s & 4 ? "i" : "", s & 2 ? "p" : ""); };
  int histo[8] = {};
  for (int n = 0; n <= last_cap; ++n) ++histo[state(n)];
  int base = 7;
  for (int t = 6; t >= 0; --t)
    if (histo[t] >= histo[base]) base = t;
  if (base != 0) w.put('=');
  letters(base);
  bool bare = base == 0;
  for (int t = 7; t >= 0; --t) {
    if (t == base || histo[t] == 0) continue;
    const char* sep = bare ? "" : " ";
    for (int n = 0; n <= last_cap; ++n)
      if (state(n) == t) w.put(sep), text::put_cap_names(w, CapSet{}.with(n), ""), sep = ",";
    if ((t & ~base) != 0) w.put(bare ? '=' : '+'), letters(t & ~base);
    if ((base & ~t) != 0) w.put('-'), letters(base & ~t);
    bare = false;
  }
  if (bare) w.put('=');
  // Bits past the kernel's last: always "+".
  for (int t = 7; t >= 1; --t) {
    const char* sep = " ";
    for (int n = last_cap + 1; n < 64; ++n)
      if (state(n) == t) w.put(sep), w.decimal(static_cast<uint64_t>(n)), sep = ",";
    if (*sep == ',') w.put('+'), letters(t);
  }
}

size_t format_file_json(const char* path, const FileCaps& f, char* buf, size_t size) {
  text::Writer w(buf, size);
  text::put_file_json(w, path, f);
  return w.finish();
}

void text::put_file_json(text::Writer& w, const char* path, const FileCaps& f) {
  w.put("{\"schema\":1,\"path\":");
  put_json_string(w, path);
  CapSet sets[] = {f.permitted, f.inheritable, f.effective ? CapSet{f.permitted.bits | f.inheritable.bits} : CapSet{}};
  const char* names[] = {",\"permitted\":[", "],\"inheritable\":[", "],\"effective\":["};
  for (int i = 0; i < 3; ++i) w.put(names[i]), text::put_cap_names(w, sets[i], "\"");
  w.append("],\"revision\":", text::Decimal{static_cast<uint64_t>(f.revision)});
  if (f.revision == 3) w.put(",\"rootid\":"), w.decimal(f.rootid);
  w.put("}\n");
}

size_t format_exec(const Exec& e, char* buf, size_t size) {
  text::Writer w(buf, size);
  text::put_exec(w, e);
  return w.finish();
}

void text::put_exec(text::Writer& w, const Exec& e) {
  put_show(w, e.caps);
  w.append("uid: ", text::Decimal{e.uid}, "\ngid: ", text::Decimal{e.gid}, '\n');
  for (int i = 0; i < kReasonCount; ++i) {
    if (e.reasons[i].empty()) continue;
    w.append("from ", reason_name(static_cast<Reason>(i)), ": ");
    text::put_cap_names(w, e.reasons[i], "");
    w.put('\n');
  }
  if (e.ignored != nullptr) w.append("ignored: ", e.ignored, '\n');
}

size_t format_exec_json(long pid, const Exec& e, char* buf, size_t size) {
  text::Writer w(buf, size);
  text::put_exec_json(w, pid, e);
  return w.finish();
}

void text::put_exec_json(text::Writer& w, long pid, const Exec& e) {
  put_json_sets(w, pid, e.caps);
  w.append(",\"uid\":", text::Decimal{e.uid}, ",\"gid\":", text::Decimal{e.gid}, ",\"reasons\":{");
  for (int i = 0; i < kReasonCount; ++i) {
    w.append(i == 0 ? "\"" : ",\"", reason_name(static_cast<Reason>(i)), "\":[");
    text::put_cap_names(w, e.reasons[i], "\"");
    w.put(']');
  }
  w.put("},\"ignored\":");
  if (e.ignored == nullptr) w.put("null");
  if (e.ignored != nullptr) put_json_string(w, e.ignored);
  w.put("}\n");
}

namespace {

// format_error()'s text after `what` and its ": ".
void put_error_rest(text::Writer& w, const Result& r) {
  w.put(error_message(r.code));
  bool has_set = r.set >= 0 && r.set < kSetCount, has_cap = r.cap >= 0 && r.cap < 64;
  if (has_set || has_cap) {
    w.put(" (");
    if (has_set) w.put(set_name(static_cast<Set>(r.set)));
    if (has_set && has_cap) w.put(": ");
    if (has_cap) text::put_cap_names(w, CapSet{}.with(r.cap), "");
    w.put(')');
  }
  if (r.sys_errno != 0) {
    w.put(": ");
    const char* name = kErrnoNames;
    for (uint8_t value : kErrnoValues) {
      if (value == r.sys_errno) w.append(name, ' ');
      name += text::length(name) + 1;
    }
    w.append("(errno ", text::Decimal{static_cast<uint64_t>(r.sys_errno)}, ')');
  }
  if (r.sys_errno == EPERM && error_needs(r.code) != nullptr) w.append("; needs ", error_needs(r.code));
}

}  // namespace

size_t format_error(Result r, char* buf, size_t size) {
  text::Writer w(buf, size);
  if (r.what != nullptr) {
    // A path too long for kErrorTextMax loses its middle, never the errno
    // at the end: the rest is measured first.
    text::Writer rest(nullptr, 0);
    put_error_rest(rest, r);
    size_t n = text::length(r.what), room = kErrorTextMax - sizeof ": " - rest.written();
    size_t head = n <= room ? n : (room - 3) / 2, tail = n <= room ? 0 : room - 3 - head;
    w.put(r.what, head);
    w.append(n <= room ? "" : "...", r.what + n - tail, ": ");
  }
  put_error_rest(w, r);
  return w.finish();
}

size_t format_cap_table(int kernel_last, char* buf, size_t size) {
  text::Writer w(buf, size);
  constexpr size_t kColumn = 24;  // the longest name and a space
  for (int cap = 0; cap <= (kernel_last > kTableLastCap ? kernel_last : kTableLastCap); ++cap) {
    w.decimal(static_cast<uint64_t>(cap));
    w.put(cap < 10 ? "   " : "  ");
    size_t begin = w.written();
    text::put_cap_names(w, CapSet{}.with(cap), "");
    for (size_t pad = w.written() - begin; pad < kColumn; ++pad) w.put(' ');
    w.put(cap <= kernel_last ? "yes\n" : "no\n");
  }
  return w.finish();
}

}  // namespace capguard
