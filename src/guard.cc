#include "capguard/guard.h"

#include "capguard/names.h"
#include "capguard/policy.h"
#include "text.h"

namespace capguard {
namespace {

// Runtimes spell capabilities in upper case without "cap_": SYS_ADMIN.
// Each capability of `caps` is preceded by `first`, then by `rest`.
void put_runtime_names(text::Writer& w, CapSet caps, const char* first, const char* rest) {
  for (int cap = 0; cap < 64; ++cap) {
    if (!caps.has(cap)) continue;
    w.put(first);
    first = rest;
    const char* name = cap_name(cap);
    if (name == nullptr) {
      w.decimal(static_cast<uint64_t>(cap));
      continue;
    }
    for (name += 4; *name != '\0'; ++name) w.put(text::upper(*name));
  }
}

// Bits the name table knows: the only ones runtimes can name.
constexpr CapSet kNamed{(uint64_t{1} << (kTableLastCap + 1)) - 1};

}  // namespace

size_t format_violation(const State& v, CapSet allow, char* buf, size_t size) {
  text::Writer w(buf, size);
  int set = first_set(v);
  if (set < 0) return w.finish();
  int cap = v.sets[set].lowest();
  w.put("capguard: level=error event=unexpected_capability set=");
  w.put(set_name(static_cast<Set>(set)));
  w.put(" cap=");
  text::put_cap_names(w, CapSet{}.with(cap), "");
  w.put(" bit=");
  w.decimal(static_cast<uint64_t>(cap));
  CapSet all;
  for (int i = 0; i < kSetCount; ++i) {
    if (v.sets[i].empty()) continue;
    all.bits |= v.sets[i].bits;
    w.put(" unexpected_");
    w.put(set_name(static_cast<Set>(i)));
    w.put('=');
    text::put_cap_names(w, v.sets[i], "");
  }
  w.put(" allow=");
  if (allow.empty()) w.put("none");
  text::put_cap_names(w, allow, "");
  if (all.minus(kNamed).empty()) {
    w.put(" fix=\"docker/podman:");
    put_runtime_names(w, all, " --cap-drop=", " --cap-drop=");
    w.put("; kubernetes: securityContext.capabilities.drop: [");
    put_runtime_names(w, all, "", ", ");
  } else {
    // A capability newer than the table has no name a runtime takes: drop
    // everything and add back the allowlist.
    w.put(" fix=\"docker/podman: --cap-drop=ALL");
    put_runtime_names(w, CapSet{allow.bits & kNamed.bits}, " --cap-add=", " --cap-add=");
    w.put("; kubernetes: securityContext.capabilities: drop: [ALL], add: [");
    put_runtime_names(w, CapSet{allow.bits & kNamed.bits}, "", ", ");
  }
  w.put("]\"\n");
  return w.finish();
}

}  // namespace capguard
