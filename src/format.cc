#include "capguard/format.h"

#include <errno.h>

#include "capguard/names.h"
#include "text.h"

namespace capguard {
namespace {

// errno values the library can meet, by name; others print as numbers only.
struct ErrnoName {
  int value;
  char name[16];
};
constexpr ErrnoName kErrnoNames[] = {
    {EPERM, "EPERM"},   {ENOENT, "ENOENT"}, {ESRCH, "ESRCH"},     {EINTR, "EINTR"},
    {EIO, "EIO"},       {E2BIG, "E2BIG"},   {ENOEXEC, "ENOEXEC"}, {EBADF, "EBADF"},
    {ENOMEM, "ENOMEM"}, {EACCES, "EACCES"}, {EFAULT, "EFAULT"},   {ENOTDIR, "ENOTDIR"},
    {EINVAL, "EINVAL"}, {ENFILE, "ENFILE"}, {EMFILE, "EMFILE"},   {ETXTBSY, "ETXTBSY"},
    {ELOOP, "ELOOP"},   {ENOSYS, "ENOSYS"}, {ENAMETOOLONG, "ENAMETOOLONG"},
};

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
    w.put(set_name(static_cast<Set>(i)));
    w.put(':');
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
    w.put(",\"");
    w.put(set_name(static_cast<Set>(i)));
    w.put("\":[");
    text::put_cap_names(w, state.sets[i], "\"");
    w.put(']');
  }
  w.put(",\"hex\":{");
  for (int i = 0; i < kSetCount; ++i) {
    w.put(i == 0 ? "\"" : ",\"");
    w.put(set_name(static_cast<Set>(i)));
    w.put("\":\"");
    w.hex16(state.sets[i].bits);
    w.put('"');
  }
  w.put("}}\n");
  return w.finish();
}

size_t format_error(Result r, char* buf, size_t size) {
  text::Writer w(buf, size);
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
    for (const ErrnoName& e : kErrnoNames)
      if (e.value == r.sys_errno) {
        w.put(e.name);
        w.put(' ');
      }
    w.put("(errno ");
    w.decimal(static_cast<uint64_t>(r.sys_errno));
    w.put(')');
  }
  if (r.sys_errno == EPERM && error_needs(r.code) != nullptr) {
    w.put("; needs ");
    w.put(error_needs(r.code));
  }
  return w.finish();
}

}  // namespace capguard
