#include "capguard/guard.h"

#include <unistd.h>

#include "capguard/caps.h"
#include "capguard/execve.h"
#include "capguard/format.h"
#include "capguard/names.h"
#include "config.h"
#include "sys.h"
#include "text.h"

namespace capguard {
namespace {

// How many capabilities `s` holds: a loop, where __builtin_popcountll would
// bring libgcc's 94-byte routine into the static binary.
int count(CapSet s) {
  int n = 0;
  for (uint64_t b = s.bits; b != 0; b &= b - 1) ++n;
  return n;
}

// Capabilities in upper case, as runtimes spell them without "cap_"
// (SYS_ADMIN, `skip` 4) and systemd with it (CAP_SYS_ADMIN, `skip` 0); a bit
// the table cannot name as its number. Each is preceded by `first`, then by
// `rest`.
void put_upper_names(text::Writer& w, CapSet caps, const char* first, const char* rest, int skip = 4) {
  for (int cap = 0; cap < 64; ++cap) {
    if (!caps.has(cap)) continue;
    w.put(first);
    first = rest;
    const char* name = cap_name(cap);
    if (name == nullptr) {
      w.decimal(static_cast<uint64_t>(cap));
      continue;
    }
    for (name += skip; *name != '\0'; ++name) w.put(text::upper(*name));
  }
}

// systemd 252 starts a unit's processes with INVOCATION_ID set, non-empty.
bool under_systemd() {
  for (char** e = environ; e != nullptr && *e != nullptr; ++e)
    if (text::starts_with(*e, "INVOCATION_ID=") && (*e)[14] != '\0') return true;
  return false;
}

// Whether execve(2) gives the calling process root's capabilities by its
// ids (security/commoncap.c, handle_privileged_root()): a real or effective
// uid of 0 without SECBIT_NOROOT. Otherwise a unit's capabilities reach its
// programs through the ambient set. Unreadable ids count as not root.
bool root_at_exec() {
  Creds c;
  return read_creds(&c).ok() && (c.uid == 0 || c.euid == 0) && (c.securebits & abi::kSecbitNoroot) == 0;
}

// Bits the name table knows: the only ones runtimes can name.
constexpr CapSet kNamed{(uint64_t{1} << (kTableLastCap + 1)) - 1};

}  // namespace

void text::put_violation(text::Writer& w, const State& v, CapSet allow, const Exec* exec, const char* path) {
  int set = first_set(v);
  if (set < 0) return;
  int cap = v.sets[set].lowest();
  w.append("capguard: level=error event=unexpected_capability set=", set_name(static_cast<Set>(set)), " cap=");
  text::put_cap_names(w, CapSet{}.with(cap), "");
  w.append(" bit=", text::Decimal{static_cast<uint64_t>(cap)});
  CapSet all;
  for (int i = 0; i < kSetCount; ++i) {
    if (v.sets[i].empty()) continue;
    all.bits |= v.sets[i].bits;
    w.append(" unexpected_", set_name(static_cast<Set>(i)), '=');
    text::put_cap_names(w, v.sets[i], "");
  }
  w.put(" allow=");
  if (allow.empty()) w.put("none");
  text::put_cap_names(w, allow, "");
  // Where the first offender comes from, in a program's prediction.
  int reason = 0;
  while (exec != nullptr && reason < kReasonCount && !exec->reasons[reason].has(cap)) ++reason;
  bool own = exec != nullptr && reason <= static_cast<int>(Reason::setuid_root);
  if (exec != nullptr && reason < kReasonCount) {
    constexpr const char* kSources[] = {"file:", "setuid-root:", "root", "ambient"};
    bool quote = own && text::needs_quotes(path);
    w.append(" source=", quote ? "\"" : "", kSources[reason]);
    if (own) text::put_escaped(w, path);
    if (quote) w.put('"');
  }
  w.put(" fix=\"");
  bool systemd = under_systemd();
  if (own) {
    // The program's own privileges: remove them, or run it where they
    // cannot be gained. Not by the bounding set: a file whose capabilities
    // have the effective flag would then fail to execute (EPERM).
    w.put(reason == static_cast<int>(Reason::file) ? "setcap -r " : "chmod u-s ");
    text::put_escaped(w, path);
    w.put(systemd ? ", or systemd: NoNewPrivileges=yes"
                  : ", or run with no_new_privs (docker/podman: --security-opt=no-new-privileges; kubernetes: "
                    "securityContext.allowPrivilegeEscalation: false)");
  } else if (systemd) {
    // A unit's lines, a shell word each (quoted when it holds a space), for
    // a drop-in or systemd-run -p. A unit's lines add up and an empty one
    // resets them (systemd's load-fragment.c, config_parse_capability_set());
    // systemd-run -p keeps the last (dbus-execute.c), so the capabilities go
    // in one line. A name without "CAP_" is none to systemd, silently.
    constexpr const char* kLines[] = {" CapabilityBoundingSet=", " AmbientCapabilities="};
    const char* quote = count(allow) > 1 ? "'" : "";
    w.put("systemd:");
    int lines = root_at_exec() ? 1 : 2;
    for (int i = 0; i < lines; ++i) {
      w.put(kLines[i]);
      if (allow.empty()) continue;
      w.append(" ", quote, kLines[i] + 1);
      put_upper_names(w, allow, "", " ", 0);
      w.put(quote);
    }
  } else if (all.minus(kNamed).empty() && count(all) <= count(allow)) {
    w.put("docker/podman:");
    put_upper_names(w, all, " --cap-drop=", " --cap-drop=");
    w.put("; kubernetes: securityContext.capabilities.drop: [");
    put_upper_names(w, all, "", ", ");
    w.put(']');
  } else {
    // Shorter, and the only way to name a capability newer than the table:
    // drop everything and add the allowlist back.
    CapSet add{allow.bits & kNamed.bits};
    w.put("docker/podman: --cap-drop=ALL");
    put_upper_names(w, add, " --cap-add=", " --cap-add=");
    w.put("; kubernetes: securityContext.capabilities: drop: [ALL]");
    put_upper_names(w, add, ", add: [", ", ");
    if (!add.empty()) w.put(']');
  }
  w.put("\"\n");
}

size_t format_violation(const State& v, CapSet allow, char* buf, size_t size, const Exec* exec, const char* path) {
  text::Writer w(buf, size);
  text::put_violation(w, v, allow, exec, path);
  return w.finish();
}

Result guard(CapSet allow, SetMask sets) {
  State state;
  // The kernel's answer for the calling thread, without /proc: the fastest
  // path (one capget(2) in the common case), and the one early init has.
  Result r = read_thread_syscalls(&state, sets);
  if (!CAPGUARD_LINUX && r.code == Error::unsupported) {  // the Linux build leaves this out
    static int logged = 0;                                // once per process, whichever thread calls first
    static constexpr char kSkip[] = "capguard: skipping linux-only capability check on " CAPGUARD_SYSTEM "\n";
    if (__atomic_exchange_n(&logged, 1, __ATOMIC_RELAXED) == 0) (void)sys::write_all(2, kSkip, sizeof kSkip - 1);
    return Result::success();
  }
  char line[text::kLineChunk];
  text::Writer w(line, sizeof line, sys::write_all, 2);
  if (r.ok()) {
    State v = violations(state, allow, sets);
    int set = first_set(v);
    if (set < 0) return r;
    r = Result::failure(Error::unexpected_capability, set, v.sets[set].lowest());
    text::put_violation(w, v, allow, nullptr, nullptr);
  } else {
    char why[kErrorTextMax];
    (void)format_error(r, why, sizeof why);
    w.append("capguard: level=error event=capability_read_failed error=\"", why, "\"\n");
  }
  (void)w.flush();
  return r;
}

}  // namespace capguard
