// The capguard command: argument handling only; the work is the library's.
#include <unistd.h>

#include "capguard/caps.h"
#include "capguard/exec.h"
#include "capguard/format.h"
#include "capguard/guard.h"
#include "capguard/names.h"
#include "config.h"
#include "sys.h"
#include "text.h"

namespace capguard {
namespace {

enum Exit { kOk = 0, kViolation = 1, kUsage = 2, kCannotRead = 3, kNotExecutable = 126, kNotFound = 127 };

// The largest output: JSON of five full 64-bit sets, 64 names of at most 24
// bytes with quotes and comma each, is about 8 KiB.
constexpr size_t kOutMax = 16384;

constexpr char kMainUsage[] =
    "usage: capguard COMMAND [ARG...]\n"
    "\n"
    "Read, check and name Linux capabilities.\n"
    "\n"
    "  show [PID] [--json]     the five capability sets of PID (default: capguard itself)\n"
    "  check --allow LIST [--sets SETS] [-- COMMAND [ARG...]]\n"
    "                          fail when a capability outside LIST is held, else run COMMAND\n"
    "  decode HEX              the capabilities in a mask, as capsh --decode prints them\n"
    "  list                    every capability bit, its name, and whether this kernel has it\n"
    "\n"
    "capguard COMMAND --help tells more; capguard --version prints the version.\n";

constexpr char kShowUsage[] =
    "usage: capguard show [PID] [--json]\n"
    "\n"
    "Prints the inheritable, permitted, effective, bounding and ambient sets of\n"
    "PID's main thread (default: capguard itself), one line each, or with --json\n"
    "one object with the names and the 16-digit hex of each set.\n"
    "Exit status: 0 shown, 2 usage error, 3 cannot read the sets.\n";

constexpr char kCheckUsage[] =
    "usage: capguard check --allow LIST [--sets SETS] [-- COMMAND [ARG...]]\n"
    "\n"
    "Checks capguard's own capability sets against LIST, a comma list of names\n"
    "(cap_net_bind_service, NET_BIND_SERVICE, net_bind_service) or numbers;\n"
    "\"none\" or \"\" is the empty list. SETS is a comma list of effective,\n"
    "permitted, inheritable, bounding, ambient, or all; the default is\n"
    "effective,permitted,ambient. Within the list, runs COMMAND (searching PATH)\n"
    "or exits 0. Otherwise prints one logfmt line naming each capability to drop.\n"
    "Exit status: 0 within the list, 1 outside it, 2 usage error, 3 cannot read\n"
    "the sets, 126 COMMAND not executable, 127 COMMAND not found.\n";

constexpr char kDecodeUsage[] =
    "usage: capguard decode HEX\n"
    "\n"
    "Prints HEX (with or without 0x) and the capabilities it holds, exactly as\n"
    "capsh --decode=HEX does. Exit status: 0, or 2 when HEX is not a 64-bit hex value.\n";

constexpr char kListUsage[] =
    "usage: capguard list\n"
    "\n"
    "Prints each capability bit up to the larger of capguard's last known one\n"
    "and the running kernel's, its name, and whether the running kernel has it.\n"
    "Exit status: 0, or 3 when the kernel's last capability cannot be read.\n";

bool is(const char* a, const char* b) { return text::starts_with(a, b) && a[text::length(b)] == '\0'; }

int out(const char* text, size_t n, int status) {
  if (sys::write_all(1, text, n) == 0) return status;
  static constexpr char kMsg[] = "capguard: cannot write the output\n";
  (void)sys::write_all(2, kMsg, sizeof kMsg - 1);
  return kCannotRead;
}

int print(const char* text, int status) { return out(text, text::length(text), status); }

// "capguard: <a><b><c>\n" on stderr; returns `status`.
int fail(int status, const char* a, const char* b = "", const char* c = "") {
  char line[512];
  text::Writer w(line, sizeof line);
  w.put("capguard: ");
  w.put(a);
  w.put(b);
  w.put(c);
  w.put('\n');
  size_t n = w.finish();
  (void)sys::write_all(2, line, n < sizeof line ? n : sizeof line - 1);
  return status;
}

int fail(int status, const char* what, Result r) {
  char why[128];
  (void)format_error(r, why, sizeof why);
  return fail(status, what, ": ", why);
}

// Matches "--name=VALUE" or "--name VALUE" at argv[*i], advancing *i past
// it; `*value` is null when VALUE is missing.
bool option(const char* name, int argc, char** argv, int* i, const char** value) {
  const char* a = argv[*i];
  if (!text::starts_with(a, name)) return false;
  a += text::length(name);
  if (*a == '=') {
    *value = a + 1;
    return true;
  }
  if (*a != '\0') return false;
  *value = *i + 1 < argc ? argv[++*i] : nullptr;
  return true;
}

int show(int argc, char** argv) {
  long pid = 0;
  bool json = false;
  for (int i = 2; i < argc; ++i) {
    uint64_t n = 0;
    if (is(argv[i], "--help")) return print(kShowUsage, kOk);
    if (is(argv[i], "--json"))
      json = true;
    else if (pid == 0 && text::parse_decimal(argv[i], text::length(argv[i]), 0x7fffffff, &n) && n > 0)
      pid = static_cast<long>(n);
    else
      return fail(kUsage, "show: not a pid or option: ", argv[i]);
  }
  State state;
  Result r = pid != 0 ? read_pid(pid, &state) : read_thread(&state);
  if (!r.ok()) return fail(kCannotRead, "show: cannot read the capability sets", r);
  char buf[kOutMax];
  size_t n = json ? format_json(pid != 0 ? pid : sys::getpid(), state, buf, sizeof buf)
                  : format_show(state, buf, sizeof buf);
  return out(buf, n, kOk);
}

int check(int argc, char** argv) {
  const char* allow_text = nullptr;
  const char* sets_text = nullptr;
  int command = 0;
  for (int i = 2; i < argc && command == 0; ++i) {
    if (is(argv[i], "--help")) return print(kCheckUsage, kOk);
    if (is(argv[i], "--")) {
      command = i + 1;
    } else if (option("--allow", argc, argv, &i, &allow_text)) {
      if (allow_text == nullptr) return fail(kUsage, "check: --allow needs a value");
    } else if (option("--sets", argc, argv, &i, &sets_text)) {
      if (sets_text == nullptr) return fail(kUsage, "check: --sets needs a value");
    } else {
      return fail(kUsage, "check: unknown option: ", argv[i]);
    }
  }
  if (allow_text == nullptr) return fail(kUsage, "check: --allow LIST is required");
  if (command >= argc) return fail(kUsage, "check: missing COMMAND after --");
  CapSet allow;
  SetMask sets = kDefaultCheckSets;
  Word bad;
  char word[64];
  if (!parse_cap_list(allow_text, text::length(allow_text), &allow, &bad).ok()) {
    text::Writer w(word, sizeof word);
    w.put(allow_text + bad.begin, bad.len);
    (void)w.finish();
    return fail(kUsage, "check: unknown capability in --allow: \"", word, "\" (see capguard list)");
  }
  if (sets_text != nullptr && !parse_set_list(sets_text, text::length(sets_text), &sets, &bad).ok()) {
    text::Writer w(word, sizeof word);
    w.put(sets_text + bad.begin, bad.len);
    (void)w.finish();
    return fail(kUsage, "check: unknown set in --sets: \"", word,
                "\" (effective, permitted, inheritable, bounding, ambient, all)");
  }
  Result r = guard(allow, sets);
  if (r.code == Error::unexpected_capability) return kViolation;
  if (!r.ok()) return kCannotRead;
  if (command == 0) return kOk;
  r = exec_path(argv[command], argv + command, environ);
  return fail(r.code == Error::exec_not_found ? kNotFound : kNotExecutable, argv[command], r);
}

int decode(int argc, char** argv) {
  if (argc == 3 && is(argv[2], "--help")) return print(kDecodeUsage, kOk);
  uint64_t mask = 0;
  if (argc != 3) return fail(kUsage, "decode: expected one HEX argument");
  if (!parse_hex(argv[2], text::length(argv[2]), &mask).ok())
    return fail(kUsage, "decode: not a 64-bit hex value: ", argv[2]);
  char buf[kOutMax];
  size_t n = format_decode(CapSet{mask}, buf, sizeof buf - 1);
  buf[n++] = '\n';
  return out(buf, n, kOk);
}

int list(int argc, char** argv) {
  if (argc == 3 && is(argv[2], "--help")) return print(kListUsage, kOk);
  if (argc != 2) return fail(kUsage, "list: takes no arguments");
  int last;
  Result r = kernel_last_cap(&last);
  if (!r.ok()) return fail(kCannotRead, "list: cannot learn the kernel's last capability", r);
  char buf[kOutMax];
  text::Writer w(buf, sizeof buf);
  for (int cap = 0; cap <= (last > kTableLastCap ? last : kTableLastCap); ++cap) {
    char name[24];
    size_t len = format_list(CapSet{}.with(cap), name, sizeof name);
    w.decimal(static_cast<uint64_t>(cap));
    w.put(cap < 10 ? "   " : "  ");
    w.put(name, len);
    for (size_t pad = len; pad < sizeof name; ++pad) w.put(' ');
    w.put(cap <= last ? "yes\n" : "no\n");
  }
  return out(buf, w.finish(), kOk);
}

}  // namespace
}  // namespace capguard

int main(int argc, char** argv) {
  using namespace capguard;
  if (argc < 2) return fail(kUsage, "missing COMMAND; see capguard --help");
  const char* cmd = argv[1];
  if (is(cmd, "--help") || is(cmd, "-h") || is(cmd, "help")) return print(kMainUsage, kOk);
  if (is(cmd, "--version")) return print("capguard " CAPGUARD_VERSION "\n", kOk);
  if (is(cmd, "show")) return show(argc, argv);
  if (is(cmd, "check")) return check(argc, argv);
  if (is(cmd, "decode")) return decode(argc, argv);
  if (is(cmd, "list")) return list(argc, argv);
  return fail(kUsage, "unknown command: ", cmd, " (see capguard --help)");
}
