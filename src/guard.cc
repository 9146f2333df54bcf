#include "capguard/guard.h"

#include "capguard/names.h"
#include "text.h"

namespace capguard {
namespace {

// Runtimes spell capabilities in upper case without "cap_": SYS_ADMIN.
void put_runtime_name(text::Writer& w, int cap) {
  const char* name = cap_name(cap);
  if (name == nullptr) return w.decimal(static_cast<uint64_t>(cap));
  for (name += 4; *name != '\0'; ++name) w.put(text::upper(*name));
}

}  // namespace

size_t format_violation(const State& v, CapSet allow, char* buf, size_t size) {
  text::Writer w(buf, size);
  CapSet all;
  int first_set = -1, first_cap = -1;
  for (int i = 0; i < kSetCount; ++i) {
    all.bits |= v.sets[i].bits;
    if (first_set < 0 && !v.sets[i].empty()) {
      first_set = i;
      first_cap = __builtin_ctzll(v.sets[i].bits);
    }
  }
  if (first_set < 0) return w.finish();
  w.put("capguard: level=error event=unexpected_capability set=");
  w.put(set_name(static_cast<Set>(first_set)));
  w.put(" cap=");
  put_cap_names(w, CapSet{}.with(first_cap), "");
  w.put(" bit=");
  w.decimal(static_cast<uint64_t>(first_cap));
  w.put(" unexpected=");
  put_cap_names(w, all, "");
  w.put(" allow=");
  if (allow.empty()) w.put("none");
  put_cap_names(w, allow, "");
  w.put(" fix=\"docker/podman:");
  for (int cap = 0; cap < 64; ++cap)
    if (all.has(cap)) {
      w.put(" --cap-drop=");
      put_runtime_name(w, cap);
    }
  w.put("; kubernetes: securityContext.capabilities.drop: [");
  const char* sep = "";
  for (int cap = 0; cap < 64; ++cap)
    if (all.has(cap)) {
      w.put(sep);
      put_runtime_name(w, cap);
      sep = ", ";
    }
  w.put("]\"\n");
  return w.finish();
}

}  // namespace capguard
