#include "capguard/format.h"

#include <errno.h>

#include "capguard/names.h"
#include "text.h"

namespace capguard {
namespace {

// Every errno that the man pages of the calls capguard makes list for them
// (open, read, write, execve, fork, pipe2, capget, capset, prctl, setgroups,
// setresuid, getgroups, statx, pthread_sigmask): one list makes the values and
// the names, which are one string, so that the table has no padding.
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

}  // namespace

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
  w.put("0x");
  w.hex16(caps.bits);
  w.put('=');
  text::put_cap_names(w, caps, "");
  return w.finish();
}

size_t format_show(const State& state, char* buf, size_t size) {
  text::Writer w(buf, size);
  for (int i = 0; i < kSetCount; ++i) {
    w.append(set_name(static_cast<Set>(i)), ':');
    if (!state.sets[i].empty()) w.put(' ');
    text::put_cap_names(w, state.sets[i], "");
    w.put('\n');
  }
  return w.finish();
}

size_t format_json(long pid, const State& state, char* buf, size_t size) {
  text::Writer w(buf, size);
  w.put("{\"pid\":");
  w.decimal(static_cast<uint64_t>(pid));
  for (int i = 0; i < kSetCount; ++i) {
    w.append(",\"", set_name(static_cast<Set>(i)), "\":[");
    text::put_cap_names(w, state.sets[i], "\"");
    w.put(']');
  }
  w.put(",\"hex\":{");
  for (int i = 0; i < kSetCount; ++i) {
    w.append(i == 0 ? "\"" : ",\"", set_name(static_cast<Set>(i)), "\":\"");
    w.hex16(state.sets[i].bits);
    w.put('"');
  }
  w.put("}}\n");
  return w.finish();
}

size_t format_error(Result r, char* buf, size_t size) {
  text::Writer w(buf, size);
  if (r.what != nullptr) w.append(r.what, ": ");
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
    w.put("(errno ");
    w.decimal(static_cast<uint64_t>(r.sys_errno));
    w.put(')');
  }
  if (r.sys_errno == EPERM && error_needs(r.code) != nullptr) w.append("; needs ", error_needs(r.code));
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
