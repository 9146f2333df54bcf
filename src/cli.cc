// The capguard command: argument handling only; the work is the library's.
#include "cli.h"

#include <unistd.h>

#include "capguard/caps.h"
#include "capguard/drop.h"
#include "capguard/exec.h"
#include "capguard/format.h"
#include "capguard/guard.h"
#include "capguard/names.h"
#include "capguard/users.h"
#include "config.h"
#include "sys.h"
#include "text.h"

namespace capguard {
namespace {

enum Exit { kOk = 0, kFailed = 1, kUsage = 2, kCannotRead = 3, kNotExecutable = 126, kNotFound = 127 };

// setgroups(2) takes at most NGROUPS_MAX (65536) groups.
constexpr size_t kMaxGroups = 65536;
// Longer than any user or group name useradd(8) accepts (32 bytes).
constexpr size_t kMaxName = 256;
// Room for a quoted word in a message, and for the message line itself.
constexpr size_t kMaxWord = 64;
constexpr size_t kMaxMessage = 512;

constexpr char kMainUsage[] =
    "usage: capguard COMMAND [ARG...]\n"
    "\n"
    "Read, check and name Linux capabilities.\n"
    "\n"
    "  show [PID] [--json]     the five capability sets of PID (default: capguard itself)\n"
    "  check --allow LIST [--sets SETS] [-- COMMAND [ARG...]]\n"
    "                          fail when a capability outside LIST is held, else run COMMAND\n"
    "  decode HEX              the capabilities in a mask, as capsh --decode prints them\n"
    "  exec --keep LIST [--user UID[:GID]] [...] -- COMMAND [ARG...]\n"
    "                          drop to exactly LIST, switch user, verify, and run COMMAND\n"
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
    "COMMAND inherits capguard's sets, but a set-uid or file-capability COMMAND\n"
    "can gain capabilities up to the bounding set: check bounding too, or run it\n"
    "through capguard exec --no-new-privs.\n"
    "Exit status: 0 within the list, 1 outside it, 2 usage error, 3 cannot read\n"
    "the sets, 126 COMMAND not executable, 127 COMMAND not found.\n";

constexpr char kExecUsage[] =
    "usage: capguard exec --keep LIST [--user UID[:GID]] [--groups G1,G2 | --clear-groups]\n"
    "                     [--no-new-privs] [--lock] -- COMMAND [ARG...]\n"
    "\n"
    "Runs COMMAND with exactly LIST in the bounding, permitted and effective sets,\n"
    "and in the inheritable and ambient sets when the target is not root. LIST is\n"
    "as for check. --user switches uid and gid; names come from /etc/passwd and\n"
    "/etc/group, and a GID is needed when UID has no entry. A user switch clears\n"
    "the supplementary groups unless --groups sets them. --no-new-privs stops\n"
    "COMMAND gaining privileges through set-uid or file capabilities; --lock sets\n"
    "and locks securebits so that uid 0 gains nothing either. Every set is read\n"
    "back and compared before COMMAND runs.\n"
    "Exit status: COMMAND's, or 1 a step failed (nothing was run), 2 usage error,\n"
    "126 COMMAND not executable, 127 COMMAND not found.\n";

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

// "capguard: <a><b><c><d>\n" on stderr; returns `status`.
int fail(int status, const char* a, const char* b = "", const char* c = "", const char* d = "") {
  char line[kMaxMessage];
  text::Writer w(line, sizeof line);
  w.put("capguard: ");
  w.put(a);
  w.put(b);
  w.put(c);
  w.put(d);
  w.put('\n');
  size_t n = w.finish();
  (void)sys::write_all(2, line, n < sizeof line ? n : sizeof line - 1);
  return status;
}

int fail(int status, const char* a, const char* b, Result r) {
  char why[kErrorTextMax];
  (void)format_error(r, why, sizeof why);
  return fail(status, a, b, ": ", why);
}

// Writes a text of length `n` that was formatted into a buffer of `size`.
int out(const char* text, size_t n, size_t size) {
  if (n >= size) return fail(kCannotRead, "output does not fit its buffer");
  if (sys::write_all(1, text, n) == 0) return kOk;
  return fail(kCannotRead, "cannot write the output");
}

int print(const char* text) { return out(text, text::length(text), text::length(text) + 1); }

// An option: "--name VALUE", "--name=VALUE", or a flag without a value.
struct Option {
  const char* name;
  const char* value = nullptr;
  bool takes_value;
  bool seen = false;
};

// Parses argv[2..] against `opts` up to "--", each option at most once.
// Returns -1 to go on, or the exit status after --help or a usage error.
// `*command` is the index after "--", or 0 when there is none.
template <size_t N>
int parse_options(int argc, char** argv, const char* usage, Option (&opts)[N], int* command) {
  *command = 0;
  for (int i = 2; i < argc; ++i) {
    const char* a = argv[i];
    if (is(a, "--help")) return print(usage);
    if (is(a, "--")) {
      *command = i + 1;
      return *command < argc ? -1 : fail(kUsage, argv[1], ": missing COMMAND after --");
    }
    Option* o = nullptr;
    for (Option& c : opts)
      if (text::starts_with(a, c.name) && (a[text::length(c.name)] == '\0' || a[text::length(c.name)] == '='))
        o = &c;
    if (o == nullptr) return fail(kUsage, argv[1], ": unknown option: ", a);
    if (o->seen) return fail(kUsage, argv[1], ": option given twice: ", o->name);
    o->seen = true;
    const char* eq = a + text::length(o->name);
    if (!o->takes_value && *eq != '\0') return fail(kUsage, argv[1], ": takes no value: ", o->name);
    if (o->takes_value) o->value = *eq == '=' ? eq + 1 : i + 1 < argc ? argv[++i] : nullptr;
    if (o->takes_value && o->value == nullptr) return fail(kUsage, argv[1], ": needs a value: ", o->name);
  }
  return -1;
}

// A usage error naming the bad word of `text`.
int fail_word(const char* cmd, const char* what, const char* text, Word bad, const char* hint) {
  char word[kMaxWord];
  text::Writer w(word, sizeof word);
  w.put('"');
  w.put(text + bad.begin, bad.len);
  w.put('"');
  (void)w.finish();
  char line[kMaxMessage];
  text::Writer m(line, sizeof line);
  m.put(cmd);
  m.put(": unknown ");
  m.put(what);
  (void)m.finish();
  return fail(kUsage, line, word, " ", hint);
}

int parse_caps(const char* cmd, const Option& opt, CapSet* out) {
  Word bad;
  if (parse_cap_list(opt.value, text::length(opt.value), out, &bad).ok()) return -1;
  char what[kMaxWord];
  text::Writer w(what, sizeof what);
  w.put("capability in ");
  w.put(opt.name);
  w.put(": ");
  (void)w.finish();
  return fail_word(cmd, what, opt.value, bad, "(see capguard list)");
}

int run(char** argv, int command) {
  Result r = exec_path(argv[command], argv + command, environ);
  return fail(r.code == Error::exec_not_found ? kNotFound : kNotExecutable, argv[command], "", r);
}

int show(int argc, char** argv) {
  long pid = 0;
  bool json = false;
  for (int i = 2; i < argc; ++i) {
    uint64_t n = 0;
    if (is(argv[i], "--help")) return print(kShowUsage);
    if (is(argv[i], "--json") && !json)
      json = true;
    else if (pid == 0 && text::parse_decimal(argv[i], text::length(argv[i]), 0x7fffffff, &n) && n > 0)
      pid = static_cast<long>(n);
    else
      return fail(kUsage, "show: not a pid or option, or given twice: ", argv[i]);
  }
  // capguard runs one thread, so /proc/self/status is its thread's, and
  // cheaper to open in a fresh process than /proc/thread-self; without a
  // /proc that shows it, read_thread() asks the kernel.
  State state;
  Result r = read_pid(pid, &state);
  if (pid == 0 && r.code == Error::proc_open) r = read_thread(&state);
  if (!r.ok()) return fail(kCannotRead, "show: cannot read the capability sets", "", r);
  char buf[kFormatMax];
  size_t n = json ? format_json(pid != 0 ? pid : sys::getpid(), state, buf, sizeof buf)
                  : format_show(state, buf, sizeof buf);
  return out(buf, n, sizeof buf);
}

int check(int argc, char** argv) {
  Option opts[] = {{"--allow", nullptr, true}, {"--sets", nullptr, true}};
  int command, status = parse_options(argc, argv, kCheckUsage, opts, &command);
  if (status >= 0) return status;
  if (!opts[0].seen) return fail(kUsage, "check: --allow LIST is required");
  CapSet allow;
  if ((status = parse_caps("check", opts[0], &allow)) >= 0) return status;
  SetMask sets = kDefaultCheckSets;
  Word bad;
  if (opts[1].seen && !parse_set_list(opts[1].value, text::length(opts[1].value), &sets, &bad).ok())
    return fail_word("check", "set in --sets: ", opts[1].value, bad,
                     "(effective, permitted, inheritable, bounding, ambient, all)");
  Result r = guard(allow, sets);
  if (r.code == Error::unexpected_capability) return kFailed;
  if (!r.ok()) return kCannotRead;
  return command == 0 ? kOk : run(argv, command);
}

// --user UID[:GID] or NAME[:GROUP]. Returns -1 to go on, or an exit status.
int resolve_user(const char* spec, Plan* plan) {
  char user[kMaxName];
  size_t len = 0;
  while (spec[len] != '\0' && spec[len] != ':') ++len;
  if (len == 0 || len >= sizeof user) return fail(kUsage, "exec: --user: no such user: ", spec);
  for (size_t i = 0; i < len; ++i) user[i] = spec[i];
  user[len] = '\0';
  const char* group = spec[len] == ':' ? spec + len + 1 : nullptr;
  if (group != nullptr && *group == '\0') return fail(kUsage, "exec: --user ", spec, ": empty GROUP");
  uint32_t uid = 0, gid = 0;
  uint64_t number = 0;
  Result r = find_user(user, &uid, &gid);
  if (r.code == Error::unknown_user && text::parse_decimal(user, len, 0xfffffffe, &number)) {
    if (group == nullptr)
      return fail(kUsage, "exec: --user ", user, ": no /etc/passwd entry gives its group; write --user UID:GID");
    uid = static_cast<uint32_t>(number);
    r = {};
  }
  if (!r.ok()) return fail(r.code == Error::unknown_user ? kUsage : kFailed, "exec: --user ", user, r);
  if (group != nullptr && !(r = find_group(group, &gid)).ok())
    return fail(r.code == Error::unknown_group ? kUsage : kFailed, "exec: --user group ", group, r);
  plan->uid = uid;
  plan->gid = gid;
  return -1;
}

int exec(int argc, char** argv) {
  Option opts[] = {{"--keep", nullptr, true},          {"--user", nullptr, true},
                   {"--groups", nullptr, true},        {"--clear-groups", nullptr, false},
                   {"--no-new-privs", nullptr, false}, {"--lock", nullptr, false}};
  int command, status = parse_options(argc, argv, kExecUsage, opts, &command);
  if (status >= 0) return status;
  if (!opts[0].seen) return fail(kUsage, "exec: --keep LIST is required");
  if (command == 0) return fail(kUsage, "exec: missing -- COMMAND");
  if (opts[2].seen && opts[3].seen) return fail(kUsage, "exec: --groups and --clear-groups exclude each other");
  Plan plan;
  if ((status = parse_caps("exec", opts[0], &plan.keep)) >= 0) return status;
  if (opts[1].seen && (status = resolve_user(opts[1].value, &plan)) >= 0) return status;
  uint32_t groups[kMaxGroups];
  // Without --groups, a user switch clears the groups (apply does it), so
  // that root's group 0 never comes along.
  if (opts[3].seen) plan.group_count = 0;
  if (opts[2].seen) {
    Word bad;
    size_t n = 0;
    Result r;
    bool ok = text::for_each_word(opts[2].value, text::length(opts[2].value), &bad, [&](const char* w, size_t len) {
      char name[kMaxName];
      if (len == 0 || len >= sizeof name || n == kMaxGroups) return false;
      for (size_t i = 0; i < len; ++i) name[i] = w[i];
      name[len] = '\0';
      return (r = find_group(name, &groups[n++])).ok();
    });
    if (!ok && r.code != Error::unknown_group && !r.ok()) return fail(kFailed, "exec: --groups", "", r);
    if (!ok) return fail_word("exec", "group in --groups: ", opts[2].value, bad, "(see /etc/group)");
    plan.groups = groups;
    plan.group_count = static_cast<int64_t>(n);
  }
  plan.no_new_privs = opts[4].seen;
  plan.lock = opts[5].seen;
  // This process runs no other thread.
  Result r = apply_on_calling_thread(plan, true);
  if (!r.ok()) return fail(kFailed, "exec", "", r);
  return run(argv, command);
}

int decode(int argc, char** argv) {
  if (argc == 3 && is(argv[2], "--help")) return print(kDecodeUsage);
  uint64_t mask = 0;
  if (argc != 3) return fail(kUsage, "decode: expected one HEX argument");
  if (!parse_hex(argv[2], text::length(argv[2]), &mask).ok())
    return fail(kUsage, "decode: not a 64-bit hex value: ", argv[2]);
  char buf[kFormatMax];
  size_t n = format_decode(CapSet{mask}, buf, sizeof buf - 1);  // leaves room for the newline
  if (n + 1 < sizeof buf) buf[n] = '\n';
  return out(buf, n + 1, sizeof buf);
}

int list(int argc, char** argv) {
  if (argc == 3 && is(argv[2], "--help")) return print(kListUsage);
  if (argc != 2) return fail(kUsage, "list: takes no arguments");
  int last;
  Result r = kernel_last_cap(&last);
  if (!r.ok()) return fail(kCannotRead, "list: cannot learn the kernel's last capability", "", r);
  char buf[kFormatMax];
  text::Writer w(buf, sizeof buf);
  constexpr size_t kColumn = 24;  // the longest name and a space
  for (int cap = 0; cap <= (last > kTableLastCap ? last : kTableLastCap); ++cap) {
    char name[kColumn];
    size_t len = format_list(CapSet{}.with(cap), name, sizeof name);
    w.decimal(static_cast<uint64_t>(cap));
    w.put(cap < 10 ? "   " : "  ");
    w.put(name, len);
    for (size_t pad = len; pad < kColumn; ++pad) w.put(' ');
    w.put(cap <= last ? "yes\n" : "no\n");
  }
  return out(buf, w.finish(), sizeof buf);
}

}  // namespace
}  // namespace capguard

int capguard::cli_main(int argc, char** argv) {
  if (argc < 2) return fail(kUsage, "missing COMMAND; see capguard --help");
  const char* cmd = argv[1];
  if (is(cmd, "--help") || is(cmd, "-h") || is(cmd, "help")) return print(kMainUsage);
  if (is(cmd, "--version")) return print("capguard " CAPGUARD_VERSION "\n");
  if (is(cmd, "show")) return show(argc, argv);
  if (is(cmd, "check")) return check(argc, argv);
  if (is(cmd, "exec")) return exec(argc, argv);
  if (is(cmd, "decode")) return decode(argc, argv);
  if (is(cmd, "list")) return list(argc, argv);
  return fail(kUsage, "unknown command: ", cmd, " (see capguard --help)");
}
