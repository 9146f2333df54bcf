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

// The most of a word a message quotes, and room for the message line.
constexpr size_t kMaxWord = 64;
constexpr size_t kMaxMessage = 512;

constexpr char kMainUsage[] =
    "usage: capguard COMMAND [ARG...]\n\n"
    "Read, check and name Linux capabilities.\n\n"
    "  show [PID] [--json]     the five capability sets of PID (default: capguard itself)\n"
    "  check --allow LIST [--sets SETS] [-- COMMAND [ARG...]]\n"
    "                          fail when a capability outside LIST is held, else run COMMAND\n"
    "  decode HEX              the capabilities in a mask, as capsh --decode prints them\n"
    "  exec --keep LIST [--user USER[:GROUP]] [...] -- COMMAND [ARG...]\n"
    "                          drop to exactly LIST, switch user, verify, and run COMMAND\n"
    "  list                    every capability bit, its name, and whether this kernel has it\n\n"
    "capguard COMMAND --help tells more; capguard --version prints the version.\n";

constexpr char kShowUsage[] =
    "usage: capguard show [PID] [--json]\n\n"
    "Prints the inheritable, permitted, effective, bounding and ambient sets of\n"
    "PID's main thread (default: capguard itself), one line each, or with --json\n"
    "one object with the names and the 16-digit hex of each set.\n"
    "Exit status: 0 shown, 2 usage error, 3 cannot read the sets.\n";

constexpr char kCheckUsage[] =
    "usage: capguard check --allow LIST [--sets SETS] [-- COMMAND [ARG...]]\n\n"
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
    "usage: capguard exec --keep LIST [--user USER[:GROUP]] [--groups G1,G2 | --clear-groups]\n"
    "                     [--no-new-privs] [--lock] -- COMMAND [ARG...]\n\n"
    "Runs COMMAND with exactly LIST in the bounding, permitted and effective sets,\n"
    "and in the inheritable and ambient sets when the target is not root. LIST is\n"
    "as for check; all keeps everything held. --user takes a name or uid, and a\n"
    "group name or gid, as gosu does: the user's gid, groups (from /etc/group) and\n"
    "HOME come from /etc/passwd; a GROUP is the only group; a UID without an entry\n"
    "needs a GID. --groups and --clear-groups override the groups. --no-new-privs\n"
    "stops COMMAND gaining privileges through set-uid or file capabilities; --lock\n"
    "adds securebits so that uid 0 gains nothing either. Every set is read back\n"
    "and compared before COMMAND runs. A set-uid capguard runs nothing for others.\n"
    "Exit status: COMMAND's, or 1 a step failed (nothing was run), 2 usage error,\n"
    "126 COMMAND not executable, 127 COMMAND not found.\n";

constexpr char kDecodeUsage[] =
    "usage: capguard decode HEX\n\n"
    "Prints HEX (with or without 0x) and the capabilities it holds, exactly as\n"
    "capsh --decode=HEX does. Exit status: 0, or 2 when HEX is not a 64-bit hex value.\n";

constexpr char kListUsage[] =
    "usage: capguard list\n\n"
    "Prints each capability bit up to the larger of capguard's last known one\n"
    "and the running kernel's, its name, and whether the running kernel has it.\n"
    "Exit status: 0, or 3 when the kernel's last capability cannot be read.\n";

bool is(const char* a, const char* b) { return text::equal(a, text::length(a), b, text::length(b)); }

// "capguard: <a><b><c><d>\n" on stderr, marked as cut when too long; returns
// `status`.
int fail(int status, const char* a, const char* b = "", const char* c = "", const char* d = "") {
  char line[kMaxMessage];
  text::Writer w(line, sizeof line);
  w.append("capguard: ", a, b, c, d);
  (void)sys::write_all(2, line, w.finish_line());
  return status;
}

// The same, ending in ": <r>", or "<r>" alone when `a` is empty.
int fail(int status, const char* a, const char* b, const Result& r) {
  char why[kErrorTextMax];
  (void)format_error(r, why, sizeof why);
  return *a == '\0' ? fail(status, why) : fail(status, a, b, ": ", why);
}

// Writes a text of length `n` that was formatted into a buffer of `size`.
int out(const char* text, size_t n, size_t size) {
  if (n >= size) return fail(kCannotRead, "output does not fit its buffer");
  long rc = sys::write_all(1, text, n);
  return rc == 0 ? kOk : fail(kCannotRead, "", "", Result::sys_failure(Error::write, "write", rc));
}

int print(const char* text) { return out(text, text::length(text), text::length(text) + 1); }

// An option: "--name VALUE", "--name=VALUE", or a flag without a value.
struct Option {
  const char* name;  // null ends a list of options
  bool takes_value;
  bool seen = false;
  const char* value = nullptr;
};

// What a command takes besides its options: nothing, one word, or "--"
// and a COMMAND.
enum Takes : uint8_t { kNothing, kWord, kCommand };

struct Args {
  const char* word = nullptr;
  int command = 0;  // the index of COMMAND, 0 when none
};

// Parses argv[2..] against `opts`, each option at most once. Returns -1 to
// go on, or the exit status after --help or a usage error.
int parse(int argc, char** argv, const char* usage, Option* opts, Takes takes, Args* args) {
  for (int i = 2; i < argc; ++i) {
    const char* a = argv[i];
    if (is(a, "--help")) return print(usage);
    if (takes == kCommand && is(a, "--")) {
      args->command = i + 1;
      return i + 1 < argc ? -1 : fail(kUsage, argv[1], ": missing COMMAND after --");
    }
    Option* o = opts;
    while (o->name != nullptr &&
           !(text::starts_with(a, o->name) && (a[text::length(o->name)] == '\0' || a[text::length(o->name)] == '=')))
      ++o;
    bool option = text::starts_with(a, "--");
    if (o->name == nullptr && !option && takes == kWord && args->word == nullptr) {
      args->word = a;
      continue;
    }
    if (o->name == nullptr) return fail(kUsage, argv[1], option ? ": unknown option: " : ": unexpected argument: ", a);
    if (o->seen) return fail(kUsage, argv[1], ": option given twice: ", o->name);
    o->seen = true;
    const char* eq = a + text::length(o->name);
    if (!o->takes_value && *eq != '\0') return fail(kUsage, argv[1], ": takes no value: ", o->name);
    if (o->takes_value) o->value = *eq == '=' ? eq + 1 : i + 1 < argc ? argv[++i] : nullptr;
    if (o->takes_value && o->value == nullptr) return fail(kUsage, argv[1], ": needs a value: ", o->name);
  }
  return -1;
}

// A usage error naming the bad word of an option's value, quoted.
int fail_word(const char* cmd, const char* what, const Option& opt, Word bad, const char* hint) {
  char line[kMaxMessage];
  text::Writer w(line, sizeof line);
  // The word in quotes, cut to "..." past kMaxWord bytes.
  w.append(cmd, ": unknown ", what, " in ", opt.name, ": \"");
  w.put(opt.value + bad.begin, bad.len < kMaxWord ? bad.len : kMaxWord);
  w.put(bad.len > kMaxWord ? "...\" " : "\" ");
  (void)w.finish();
  return fail(kUsage, line, hint);
}

int parse_caps(const char* cmd, const Option& opt, CapSet* out) {
  Word bad;
  if (parse_cap_list(opt.value, text::length(opt.value), out, &bad).ok()) return -1;
  return fail_word(cmd, "capability", opt, bad, "(see capguard list)");
}

int run(char** argv, int command, char** envp = environ) {
  Result r = exec_path(argv[command], argv + command, envp);
  return fail(r.code == Error::exec_not_found ? kNotFound : kNotExecutable, argv[command], "", r);
}

int show(int argc, char** argv) {
  Option opts[] = {{"--json", false}, {}};
  Args args;
  int status = parse(argc, argv, kShowUsage, opts, kWord, &args);
  if (status >= 0) return status;
  uint64_t pid = 0;
  if (args.word != nullptr && !(text::parse_decimal(args.word, text::length(args.word), 0x7fffffff, &pid) && pid > 0))
    return fail(kUsage, "show: not a pid: ", args.word);
  // capguard runs one thread, so /proc/self/status is its thread's, and
  // cheaper to open in a fresh process than /proc/thread-self; without a
  // /proc that shows it, read_thread() asks the kernel.
  State state;
  Result r = read_pid(static_cast<long>(pid), &state);
  // No such file, or a kernel before 4.3 that writes no CapAmb line.
  if (pid == 0 &&
      (r.code == Error::open || (r.code == Error::status_missing_line && r.set == static_cast<int>(Set::ambient))))
    r = read_thread(&state);
  if (!r.ok()) return fail(kCannotRead, pid != 0 ? "show " : "show", pid != 0 ? args.word : "", r);
  char buf[kFormatMax];
  size_t n = opts[0].seen ? format_json(pid != 0 ? static_cast<long>(pid) : sys::getpid(), state, buf, sizeof buf)
                          : format_show(state, buf, sizeof buf);
  return out(buf, n, sizeof buf);
}

int check(int argc, char** argv) {
  Option opts[] = {{"--allow", true}, {"--sets", true}, {}};
  Args args;
  int status = parse(argc, argv, kCheckUsage, opts, kCommand, &args);
  if (status >= 0) return status;
  if (!opts[0].seen) return fail(kUsage, "check: --allow LIST is required");
  CapSet allow;
  if ((status = parse_caps("check", opts[0], &allow)) >= 0) return status;
  SetMask sets = kDefaultCheckSets;
  Word bad;
  if (opts[1].seen && !parse_set_list(opts[1].value, text::length(opts[1].value), &sets, &bad).ok())
    return fail_word("check", "set", opts[1], bad, "(effective, permitted, inheritable, bounding, ambient, all)");
  // A set-uid capguard runs nothing for another user, as gosu refuses to.
  Result r = args.command != 0 ? check_caller() : Result::success();
  if (!r.ok()) return fail(kFailed, "check", "", r);
  r = guard(allow, sets);
  if (r.code == Error::unexpected_capability) return kFailed;
  if (!r.ok()) return kCannotRead;
  return args.command == 0 ? kOk : run(argv, args.command);
}

int exec(int argc, char** argv) {
  Option opts[] = {{"--keep", true},
                   {"--user", true},
                   {"--groups", true},
                   {"--clear-groups", false},
                   {"--no-new-privs", false},
                   {"--lock", false},
                   {}};
  Args args;
  int status = parse(argc, argv, kExecUsage, opts, kCommand, &args);
  if (status >= 0) return status;
  if (!opts[0].seen) return fail(kUsage, "exec: --keep LIST is required");
  if (args.command == 0) return fail(kUsage, "exec: missing -- COMMAND");
  if (opts[2].seen && opts[3].seen) return fail(kUsage, "exec: --groups and --clear-groups exclude each other");
  Plan plan;
  if ((status = parse_caps("exec", opts[0], &plan.keep)) >= 0) return status;
  Result r = check_caller();
  if (!r.ok()) return fail(kFailed, "exec", "", r);
  // "all" keeps every capability held: permitted, within the bounding set.
  State now;
  if (plan.keep.bits == ~0ull && !(r = read_thread_syscalls(&now)).ok()) return fail(kFailed, "exec", "", r);
  if (plan.keep.bits == ~0ull) plan.keep.bits = now[Set::permitted].bits & now[Set::bounding].bits;
  User user;  // its groups hold --groups too
  if (opts[1].seen && !(r = resolve_user(opts[1].value, &user)).ok())
    return fail(r.code == Error::unknown_user || r.code == Error::unknown_group || r.code == Error::bad_user ||
                        r.code == Error::user_without_group
                    ? kUsage
                    : kFailed,
                "exec: --user ", opts[1].value, r);
  if (opts[1].seen) plan.uid = user.uid, plan.gid = user.gid, plan.groups = user.groups;
  if (opts[1].seen) plan.group_count = user.group_count;
  if (opts[3].seen) plan.group_count = 0;
  Word bad;
  if (opts[2].seen && !(r = resolve_groups(opts[2].value, user.groups, &plan.group_count, &bad)).ok()) {
    if (r.code == Error::unknown_group) return fail_word("exec", "group", opts[2], bad, "(see /etc/group)");
    return fail(r.code == Error::too_many_groups ? kUsage : kFailed, "exec: --groups", "", r);
  }
  if (opts[2].seen) plan.groups = user.groups;
  // HOME from the user's entry, as gosu and su-exec set it; nothing else.
  char home[sizeof "HOME=" + kHomeMax];
  text::Writer w(home, sizeof home);
  w.append("HOME=", user.home);
  (void)w.finish();
  char* env[kEnvMax + 1];
  if (opts[1].seen && !(r = with_env(environ, home, env)).ok()) return fail(kFailed, "exec", "", r);
  plan.no_new_privs = opts[4].seen;
  plan.lock = opts[5].seen;
  // This process runs no other thread.
  if (!(r = apply_on_calling_thread(plan)).ok()) return fail(kFailed, "exec", "", r);
  return run(argv, args.command, opts[1].seen ? env : environ);
}

int decode(int argc, char** argv) {
  Option none[] = {{}};
  Args args;
  int status = parse(argc, argv, kDecodeUsage, none, kWord, &args);
  if (status >= 0) return status;
  uint64_t mask = 0;
  if (args.word == nullptr) return fail(kUsage, "decode: expected one HEX argument");
  if (!parse_hex(args.word, text::length(args.word), &mask).ok())
    return fail(kUsage, "decode: not a 64-bit hex value: ", args.word);
  char buf[kFormatMax];
  size_t n = format_decode(CapSet{mask}, buf, sizeof buf - 1);  // leaves room for the newline
  if (n + 1 < sizeof buf) buf[n] = '\n';
  return out(buf, n + 1, sizeof buf);
}

int list(int argc, char** argv) {
  Option none[] = {{}};
  Args args;
  int status = parse(argc, argv, kListUsage, none, kNothing, &args);
  if (status >= 0) return status;
  int last;
  Result r = kernel_last_cap(&last);
  if (!r.ok()) return fail(kCannotRead, "list: cannot learn the kernel's last capability", "", r);
  char buf[kFormatMax];
  return out(buf, format_cap_table(last, buf, sizeof buf), sizeof buf);
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
