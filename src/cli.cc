// The capguard command: argument handling only; the work is the library's.
#include "cli.h"

#include <errno.h>
#include <unistd.h>

#include "capguard/caps.h"
#include "capguard/drop.h"
#include "capguard/exec.h"
#include "capguard/execve.h"
#include "capguard/format.h"
#include "capguard/guard.h"
#include "capguard/names.h"
#include "capguard/users.h"
#include "config.h"
#include "files.h"
#include "procs.h"
#include "sys.h"
#include "text.h"

namespace capguard {
namespace {

enum Exit { kOk = 0, kFailed = 1, kUsage = 2, kCannotRead = 3, kNotExecutable = 126, kNotFound = 127 };

// The most of a word a message quotes, and room for a message line built
// before fail() writes it.
constexpr size_t kMaxWord = 64;

// Every command's synopsis and help, as `--help` prints it; `COMMAND --help`
// prints COMMAND's paragraph after "usage: ".
constexpr char kHelp[] =
    "usage: capguard COMMAND [ARG...]; the README says all.\n\n"
    "capguard show [PID | --exec COMMAND] [--json]\n"
    "  The five sets of PID (default: capguard) or those COMMAND would start\n"
    "  with, its ids, and where each capability comes from.\n"
    "  Exit: 0, 2 usage, 3 cannot read.\n\n"
    "capguard check --allow LIST [--sets SETS] [[--init] -- COMMAND [ARG...]]\n"
    "  Refuses capabilities outside LIST (names, numbers, none, all) in SETS\n"
    "  (effective, permitted, inheritable, bounding, ambient, all; default\n"
    "  effective,permitted,ambient) and in those COMMAND will hold, then runs it.\n"
    "  Exit: 0, 1 outside LIST, 2 usage, 3 cannot read, 126/127 cannot run.\n\n"
    "capguard exec --keep LIST [--user USER[:GROUP]] [--groups G,... | --clear-groups]\n"
    "      [--no-new-privs] [--lock] [--dry-run] [--init] -- COMMAND [ARG...]\n"
    "  Runs COMMAND with exactly LIST (all: all held) as USER (gosu's spec, HOME\n"
    "  set), every set verified. --lock: uid 0 gains nothing; --dry-run: print\n"
    "  what it would hold; --init: stay as its init (as tini), holding nothing.\n"
    "  Exit: COMMAND's, 1 refused (nothing ran), 2 usage, 126/127.\n\n"
    "capguard file [--json] [--] PATH...\n"
    "  File capabilities as getcap prints them. Exit: 0, 1 unreadable, 2 usage.\n\n"
    "capguard scan [--allow LIST] [--json] [--] PATH...\n"
    "  Set-uid, set-gid and file-capability files under PATH (one mount, no\n"
    "  symlink below PATH, no proc or sysfs); with --allow, what each grants\n"
    "  beyond LIST. Exit: 0, 1 beyond LIST, 2 usage, 3 unreadable.\n\n"
    "capguard ps [--allow LIST] [--sets SETS] [--json]\n"
    "  Each process's sets of SETS (default effective,permitted,ambient), and\n"
    "  a thread's where they differ; with --allow, only those holding more\n"
    "  than LIST. Exit: 0, 1 beyond LIST, 2 usage, 3 unreadable.\n\n"
    "capguard decode HEX\n"
    "  HEX's capabilities, as capsh --decode prints them. Exit: 0, 2 usage.\n\n"
    "capguard list\n"
    "  Each capability's bit, name, and whether this kernel has it. Exit: 0, 3.\n";

bool is(const char* a, const char* b) { return text::equal(a, text::length(a), b, text::length(b)); }

// "capguard: <a><b><c><d>\n" on stderr, whole however long; returns
// `status`.
int fail(int status, const char* a, const char* b = "", const char* c = "", const char* d = "") {
  char line[text::kLineChunk];
  text::Writer w(line, sizeof line, sys::write_all, 2);
  w.append("capguard: ", a, b, c, d, '\n');
  (void)w.flush();
  return status;
}

// The same, ending in ": <r>", or "<r>" alone when `a` is empty.
int fail(int status, const char* a, const char* b, const Result& r) {
  char why[kErrorTextMax];
  (void)format_error(r, why, sizeof why);
  return *a == '\0' ? fail(status, why) : fail(status, a, b, ": ", why);
}

// The running kernel's last capability in `*last`. Returns -1 to go on, or
// `status` after saying why it is unknown.
int last_cap(const char* cmd, int status, int* last) {
  Result r = kernel_last_cap(last);
  return r.ok() ? -1 : fail(status, cmd, ": cannot learn the kernel's last capability", r);
}

// The exit status after writing output whose write_all() returned `rc`.
int written(long rc) {
  return rc == 0 ? kOk : fail(kCannotRead, "", "", Result::sys_failure(Error::write, "write", rc));
}

// Writes a text of length `n` that was formatted into a buffer of `size`.
int out(const char* text, size_t n, size_t size) {
  if (n >= size) return fail(kCannotRead, "output does not fit its buffer");
  return written(sys::write_all(1, text, n));
}

int print(const char* text) { return written(sys::write_all(1, text, text::length(text))); }

// "usage: " and the paragraph of kHelp on `cmd`: from "capguard <cmd>" to
// the blank line.
int help(const char* cmd) {
  constexpr char kStart[] = "\n\ncapguard ";
  constexpr size_t kAt = sizeof kStart - 1;  // where the command's name starts
  const char* p = kHelp;
  size_t n = text::length(cmd);
  while (*p != '\0' && !(text::starts_with(p, kStart) && text::starts_with(p + kAt, cmd) &&
                         (p[kAt + n] == ' ' || p[kAt + n] == '\n')))
    ++p;
  if (*p == '\0') return print(kHelp);  // not reached: every command has its paragraph
  p += 2;
  size_t len = 0;  // up to its blank line, or the end, with the newline
  while (p[len] != '\0' && !(len > 0 && p[len - 1] == '\n' && p[len] == '\n')) ++len;
  int status = print("usage: ");
  return status == kOk ? written(sys::write_all(1, p, len)) : status;
}

// An option: "--name VALUE", "--name=VALUE", or a flag without a value.
struct Option {
  const char* name;  // null ends a list of options
  bool takes_value;
  bool seen = false;
  const char* value = nullptr;
};

// What a command takes besides its options: nothing, one word, words (all
// of those after a "--" too), or "--" and a COMMAND.
enum Takes : uint8_t { kNothing, kWord, kWords, kCommand };

struct Args {
  const char* word = nullptr;  // the word, or the first of the words (or COMMAND)
  int command = 0;             // the index after "--" (of COMMAND, or of the words), 0 when none
};

// Parses argv[2..] against `opts`, each option at most once. Returns -1 to
// go on, or the exit status after --help or a usage error.
int parse(int argc, char** argv, Option* opts, Takes takes, Args* args) {
  for (int i = 2; i < argc; ++i) {
    const char* a = argv[i];
    if (is(a, "--help")) return help(argv[1]);
    if (takes >= kWords && is(a, "--")) {
      args->command = i + 1;
      if (args->word == nullptr) args->word = argv[i + 1];  // argv[argc] is null
      return takes == kWords || i + 1 < argc ? -1 : fail(kUsage, argv[1], ": missing COMMAND after --");
    }
    Option* o = opts;
    while (o->name != nullptr &&
           !(text::starts_with(a, o->name) && (a[text::length(o->name)] == '\0' || a[text::length(o->name)] == '=')))
      ++o;
    bool option = text::starts_with(a, "--");
    if (o->name == nullptr && !option && (takes == kWords || (takes == kWord && args->word == nullptr))) {
      args->word = a;
      continue;
    }
    if (o->name == nullptr) return fail(kUsage, argv[1], option ? ": unknown option: " : ": unexpected argument: ", a);
    if (o->seen) return fail(kUsage, argv[1], ": option given twice: ", o->name);
    o->seen = true;
    const char* eq = a + text::length(o->name);
    if (!o->takes_value && *eq != '\0') return fail(kUsage, argv[1], ": takes no value: ", o->name);
    if (o->takes_value) o->value = *eq == '=' ? eq + 1 : argv[++i];  // argv[argc] is null
    if (o->takes_value && o->value == nullptr) return fail(kUsage, argv[1], ": needs a value: ", o->name);
  }
  return -1;
}

// A usage error naming the bad word of an option's value, quoted.
int fail_word(const char* cmd, const char* what, const Option& opt, Word bad, const char* hint) {
  char line[2 * kMaxWord];  // the word and at most 44 bytes around it
  text::Writer w(line, sizeof line);
  // The word in quotes, cut to "..." past kMaxWord bytes.
  w.append(cmd, ": unknown ", what, " in ", opt.name, ": \"");
  w.put(opt.value + bad.begin, bad.len < kMaxWord ? bad.len : kMaxWord);
  w.put(bad.len > kMaxWord ? "...\" " : "\" ");
  (void)w.finish();
  return fail(kUsage, line, hint);
}

// `opt`'s value, a list of capabilities or of sets, in `*out`. Returns -1 to
// go on, or kUsage after naming the word that is neither.
int parse_caps(const char* cmd, const Option& opt, CapSet* out) {
  Word bad;
  if (parse_cap_list(opt.value, text::length(opt.value), out, &bad).ok()) return -1;
  return fail_word(cmd, "capability", opt, bad, "(see capguard list)");
}

int parse_sets(const char* cmd, const Option& opt, SetMask* out) {
  Word bad;
  if (parse_set_list(opt.value, text::length(opt.value), out, &bad).ok()) return -1;
  return fail_word(cmd, "set", opt, bad, "(effective, permitted, inheritable, bounding, ambient, all)");
}

// check's COMMAND through PATH, where nothing is predicted (systems other
// than Linux).
int run_path(char** argv, int command) {
  Result r = exec_path(argv[command], argv + command, environ);
  return fail(r.code == Error::exec_not_found ? kNotFound : kNotExecutable, "check: ", argv[command], r);
}

// `file`, which predict() opened for argv[command]: the `command` slots
// before it are free for its interpreters' words. `cmd` prefixes the error.
int run_file(const char* cmd, ExecFile& file, char** argv, int command, char* const envp[]) {
  Result r = exec_file(file, argv + command, static_cast<size_t>(command), envp);
  // 127 for ENOENT, as shells give for a program whose ELF interpreter is missing.
  return fail(r.sys_errno == ENOENT ? kNotFound : kNotExecutable, cmd, file.name(), r);
}

// -1, with the file `command` runs opened and what it will hold when run by
// `then` (`now` looks it up), or the exit status, after one line saying why:
// `status[0]` when there is no such command, `status[1]` when it cannot run
// or what it will hold cannot be told, `status[2]` when the kernel would
// refuse its file capabilities (`fix` says what to do).
int predict(const char* cmd, const char* command, const Creds& now, const Creds& then, ExecFile* file, Exec* e,
            const int (&status)[3], const char* fix) {
  Result r = find_exec_file(command, environ, now, file);
  // The file, when the error names it, is named once.
  if (!r.ok()) {
    bool named = r.what != nullptr && is(r.what, command);
    char why[kErrorTextMax];
    (void)format_error(r, why, sizeof why);
    return fail(status[r.code == Error::exec_not_found ? 0 : 1], cmd, named ? "" : command, named ? "" : ": ", why);
  }
  *e = predict_exec(then, *file);
  if (e->unknown != nullptr) return fail(status[1], cmd, file->name(), ": cannot tell what it will hold: ", e->unknown);
  if (e->error == 0) return -1;
  char line[text::kLineChunk];
  text::Writer w(line, sizeof line, sys::write_all, 2);
  w.append("capguard: ", cmd, file->name(),
           ": execve would fail: EPERM (errno 1): its file capabilities have the effective flag, and ");
  text::put_cap_names(w, e->missing, "");
  w.append(" would not be granted: in neither the bounding set nor both inheritable sets; ", fix, '\n');
  (void)w.flush();
  return status[2];
}

int show_exec(const char* command, bool json) {
  Creds creds;
  Result r = read_creds(&creds);
  if (!r.ok()) return fail(kCannotRead, "show --exec", "", r);
  ExecFile target;
  Exec e;
  int status = predict("show --exec: ", command, creds, creds, &target, &e, {kCannotRead, kCannotRead, kCannotRead},
                       "add it to the bounding set, or remove them (setcap -r)");
  if (status != -1) return status;
  char buf[text::kLineChunk];
  text::Writer w(buf, sizeof buf, sys::write_all, 1);
  (json ? text::put_exec_json(w, sys::getpid(), e) : text::put_exec(w, e));
  return written(w.flush());
}

// show_exec() in a frame of its own: inlined into show(), its file, its
// credentials and its output buffer (14 KB) would lie under show PID's read
// of /proc, which must fit in a 32 KiB stack (test/cli_stack_test.sh).
[[gnu::noinline]] int show_program(const char* command, bool json) { return show_exec(command, json); }

int show(int argc, char** argv) {
  Option opts[] = {{"--json", false}, {"--exec", true}, {}};
  Args args;
  int status = parse(argc, argv, opts, kWord, &args);
  if (status != -1) return status;
  if (opts[1].seen && args.word != nullptr) return fail(kUsage, "show: PID and --exec exclude each other");
  if (opts[1].seen) return show_program(opts[1].value, opts[0].seen);
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
  char buf[text::kLineChunk];
  text::Writer w(buf, sizeof buf, sys::write_all, 1);
  if (opts[0].seen) text::put_json(w, pid != 0 ? static_cast<long>(pid) : sys::getpid(), state);
  if (!opts[0].seen) text::put_show(w, state);
  return written(w.flush());
}

// --init: `work(run)` in a child, beside which capguard waits as its init,
// holding nothing but the ids of `plan`.
int as_init(const char* cmd, const Plan& plan, int (*work)(void*), void* run) {
  int status;
  Result r = run_as_init(plan, work, run, &status);
  return r.ok() ? status : fail(kFailed, cmd, " --init", r);
}

// What check does once its arguments are read.
struct CheckRun {
  CapSet allow;
  SetMask sets;
  char** argv;
  int command;
};

int check_run(void* ctx) {
  const CheckRun& run = *static_cast<CheckRun*>(ctx);
  char** argv = run.argv;
  // A set-uid capguard runs nothing for another user, as gosu refuses to.
  Result r = run.command != 0 ? check_caller() : Result::success();
  if (!r.ok()) return fail(kFailed, "check", "", r);
  r = guard(run.allow, run.sets);
  if (r.code == Error::unexpected_capability) return kFailed;
  if (!r.ok()) return kCannotRead;
  if (run.command == 0) return kOk;
  // Then what COMMAND will hold (guard() said once if it could not check).
  Creds creds;
  r = read_creds(&creds);
  // Without Linux, nothing is predicted (the Linux build leaves this out).
  if (!CAPGUARD_LINUX && r.code == Error::unsupported) return run_path(argv, run.command);
  if (!r.ok()) return fail(kCannotRead, "check", "", r);
  ExecFile target;
  Exec e;
  int status = predict("check: ", argv[run.command], creds, creds, &target, &e,
                       {kNotFound, kNotExecutable, kNotExecutable},
                       "add it to the container's capabilities, or remove them (setcap -r)");
  if (status != -1) return status;
  State v = violations(e.caps, run.allow, run.sets);
  int set = first_set(v);
  if (set < 0) return run_file("check: ", target, argv, run.command, environ);
  char line[text::kLineChunk];
  text::Writer w(line, sizeof line, sys::write_all, 2);
  text::put_violation(w, v, run.allow, &e, target.name());
  (void)w.flush();
  return kFailed;
}

int check(int argc, char** argv) {
  Option opts[] = {{"--allow", true}, {"--sets", true}, {"--init", false}, {}};
  Args args;
  int status = parse(argc, argv, opts, kCommand, &args);
  if (status != -1) return status;
  if (!opts[0].seen) return fail(kUsage, "check: --allow LIST is required");
  CheckRun run{{}, kDefaultCheckSets, argv, args.command};
  if ((status = parse_caps("check", opts[0], &run.allow)) != -1) return status;
  if (opts[1].seen && (status = parse_sets("check", opts[1], &run.sets)) != -1) return status;
  return opts[2].seen ? as_init("check", Plan(), check_run, &run) : check_run(&run);
}

// The environment with `entry` ("HOME=...") in place of its HOME= entries,
// without a copy: in place when it has one; otherwise first, in the slot
// before environ, which is where main()'s argv ends, once COMMAND's arguments have
// moved one slot down, over the "--" before them (*command is then one
// less). Null when environ is not found there (argv is not main()'s).
char** with_home(char** argv, int argc, int* command, char* entry) {
  bool found = false;
  for (char** e = environ; *e != nullptr; ++e)
    if (text::starts_with(*e, "HOME=")) *e = entry, found = true;
  if (found) return environ;
  if (environ != argv + argc + 1) return nullptr;
  for (int i = *command; i < argc; ++i) argv[i - 1] = argv[i];
  argv[argc - 1] = nullptr;
  argv[argc] = entry;
  --*command;
  return argv + argc;
}

// What exec does once its arguments are read: `plan`, for COMMAND
// (argv[command]), with HOME set to `home` (null: left as it is).
struct ExecRun {
  Plan plan;
  Creds now;  // the caller's
  char** argv;
  int argc, command;
  char* home;
  bool dry_run, init;
};

// exec's second half, in a frame of its own, so that the file it holds
// does not lie under the user lookup's reads: the plan (with --init, the
// init's own drop first), then COMMAND looked up as the new ids, which
// execve(2) judges the PATH entries, the files' execute permission and their
// #! lines by; a refusal then runs nothing. A dry run asks the same in that
// order, the plans of a child and COMMAND as the caller, and prints what
// COMMAND will hold.
[[gnu::noinline]] int exec_plan(void* ctx) {
  ExecRun& run = *static_cast<ExecRun*>(ctx);
  const Plan& plan = run.plan;
  char** argv = run.argv;
  int command = run.command;
  ExecFile target;
  Exec e;
  Creds then = planned_creds(run.now, plan);
  constexpr char kFix[] = "add it to --keep, or remove them (setcap -r)";
  constexpr int kStatus[3] = {kNotFound, kNotExecutable, kFailed};
  Result r;
  if (run.dry_run) {
    if (run.init && !(r = check_plan(init_plan(plan))).ok()) return fail(kFailed, "exec --init", "", r);
    if (!(r = check_plan(plan)).ok()) return fail(kFailed, "exec", "", r);
    int status = predict("exec: ", argv[command], run.now, then, &target, &e, kStatus, kFix);
    if (status != -1) return status;
    char buf[text::kLineChunk];
    text::Writer w(buf, sizeof buf, sys::write_all, 1);
    text::put_exec(w, e);
    return written(w.flush());
  }
  char** env = run.home != nullptr ? with_home(argv, run.argc, &command, run.home) : environ;
  if (env == nullptr) return fail(kFailed, "exec: no slot to add HOME to the environment: argv is not main()'s");
  // This process runs no other thread.
  if (!(r = apply_on_calling_thread(plan)).ok()) return fail(kFailed, "exec", "", r);
  int status = predict("exec: ", argv[command], then, then, &target, &e, kStatus, kFix);
  return status != -1 ? status : run_file("exec: ", target, argv, command, env);
}

int exec(int argc, char** argv) {
  Option opts[] = {{"--keep", true},          {"--user", true},          {"--groups", true},
                   {"--clear-groups", false}, {"--no-new-privs", false}, {"--lock", false},
                   {"--dry-run", false},      {"--init", false},         {}};
  Args args;
  int status = parse(argc, argv, opts, kCommand, &args);
  if (status != -1) return status;
  if (!opts[0].seen) return fail(kUsage, "exec: --keep LIST is required");
  if (args.command == 0) return fail(kUsage, "exec: missing -- COMMAND");
  if (opts[2].seen && opts[3].seen) return fail(kUsage, "exec: --groups and --clear-groups exclude each other");
  ExecRun run{{}, {}, argv, argc, args.command, nullptr, opts[6].seen, opts[7].seen};
  Plan& plan = run.plan;
  Creds& now = run.now;
  if ((status = parse_caps("exec", opts[0], &plan.keep)) != -1) return status;
  // What COMMAND will hold follows from the plan, not from the caller's
  // bounding and ambient sets: those are read only for "all", which keeps
  // every capability held, permitted within the bounding set.
  bool all = plan.keep.bits == ~0ull;
  Result r = check_caller();
  if (r.ok()) r = read_creds(&now, all ? kAllSets : kCapgetSets);
  if (!r.ok()) return fail(kFailed, "exec", "", r);
  if (all) plan.keep.bits = now.caps[Set::permitted].bits & now.caps[Set::bounding].bits;
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
  plan.no_new_privs = opts[4].seen;
  plan.lock = opts[5].seen;
  // HOME from the user's entry, as gosu and su-exec set it; nothing else.
  char home[sizeof "HOME=" + kHomeMax];
  text::Writer w(home, sizeof home);
  w.append("HOME=", user.home);
  (void)w.finish();
  run.home = opts[1].seen ? home : nullptr;
  return run.init && !run.dry_run ? as_init("exec", plan, exec_plan, &run) : exec_plan(&run);
}

int file(int argc, char** argv) {
  Option opts[] = {{"--json", false}, {}};
  Args args;
  int status = parse(argc, argv, opts, kWords, &args);
  if (status != -1) return status;
  if (args.word == nullptr) return fail(kUsage, "file: expected a PATH");
  int last;
  if ((status = last_cap("file", kFailed, &last)) != -1) return status;
  for (int i = 2; i < argc; ++i) {
    if ((args.command == 0 || i < args.command) && text::starts_with(argv[i], "--")) continue;  // --json, --
    FileCaps caps;
    // getcap reads no symlink's target.
    Result r = read_file_caps(argv[i], &caps, Links::no_follow);
    if (!r.ok()) {
      status = fail(kFailed, "file", "", r);
      continue;
    }
    if (caps.revision == 0) continue;
    char buf[text::kLineChunk];
    text::Writer w(buf, sizeof buf, sys::write_all, 1);
    if (opts[0].seen) text::put_file_json(w, argv[i], caps);
    // getcap's line: the path, a space, the text.
    if (!opts[0].seen) w.append(argv[i], ' '), text::put_getcap(w, caps, last), w.put('\n');
    if (written(w.flush()) != kOk) return kFailed;
  }
  return status == -1 ? kOk : status;
}

// What scan prints with, and what it has met.
struct ScanRun {
  CapSet allow;
  bool check, json;
  int last;
  bool beyond = false, unread = false;
};

void scan_found(const ScanFile& f, void* ctx) {
  auto* walk = static_cast<ScanRun*>(ctx);
  bool json = walk->json;
  // What running it can grant: its file capabilities, or as set-uid root,
  // or with capabilities that could not be read, every capability.
  CapSet beyond{f.caps.permitted.bits | f.caps.inheritable.bits};
  if ((is_setuid(f.mode) && f.uid == 0) || f.caps_unknown) beyond.bits = ~0ull >> (63 - walk->last);
  beyond = beyond.minus(walk->allow);
  walk->beyond = walk->beyond || (walk->check && !beyond.empty());
  char buf[text::kLineChunk];
  text::Writer w(buf, sizeof buf, sys::write_all, 1);
  if (json) w.put("{\"schema\":1,\"path\":"), text::put_json_string(w, f.path);
  if (!json) (text::needs_quotes(f.path) ? text::put_json_string(w, f.path) : w.put(f.path));
  w.put(json ? ",\"setuid\":" : " setuid=");
  (is_setuid(f.mode) ? w.decimal(f.uid) : w.put(json ? "null" : "-"));
  w.put(json ? ",\"setgid\":" : " setgid=");
  (is_setgid(f.mode) ? w.decimal(f.gid) : w.put(json ? "null" : "-"));
  w.put(json ? ",\"caps\":" : " caps=");
  if (f.caps_unknown) w.put(json ? "null,\"caps_unreadable\":true" : "?");
  // getcap's text needs no escapes: names, numbers, spaces, ",=+-eip".
  if (!f.caps_unknown && f.caps.revision != 0) w.put('"'), text::put_getcap(w, f.caps, walk->last), w.put('"');
  if (!f.caps_unknown && f.caps.revision == 0) w.put(json ? "null" : "-");
  if (walk->check) w.put(json ? ",\"beyond\":[" : " beyond="), text::put_cap_names(w, beyond, json ? "\"" : "");
  w.put(json ? (walk->check ? "]}\n" : "}\n") : "\n");
  walk->unread = written(w.flush()) != kOk || walk->unread;
}

void scan_failed(const Result& r, void* ctx) {
  // A PATH on proc or sysfs is skipped, as the help says: named, not failed.
  if (r.code != Error::pseudo_fs) static_cast<ScanRun*>(ctx)->unread = true;
  (void)fail(kCannotRead, "scan", "", r);
}

int scan(int argc, char** argv) {
  Option opts[] = {{"--allow", true}, {"--json", false}, {}};
  Args args;
  int status = parse(argc, argv, opts, kWords, &args);
  if (status != -1) return status;
  if (args.word == nullptr) return fail(kUsage, "scan: expected a PATH");
  ScanRun walk{{}, opts[0].seen, opts[1].seen, 0};
  if (walk.check && (status = parse_caps("scan", opts[0], &walk.allow)) != -1) return status;
  if ((status = last_cap("scan", kCannotRead, &walk.last)) != -1) return status;
  for (int i = 2; i < argc; ++i)
    if ((args.command != 0 && i >= args.command) || (!text::starts_with(argv[i], "--") && argv[i] != opts[0].value))
      scan_tree(argv[i], scan_found, scan_failed, &walk);
  return walk.beyond ? kFailed : walk.unread ? kCannotRead : kOk;
}

// What ps prints with, and what it has met.
struct PsRun {
  CapSet allow;
  SetMask sets;
  bool check, json;
  uint64_t all;  // every capability the kernel has
  bool beyond = false;
  long read = 0, unread = 0;
  // The lines, written as the buffer fills: a write per few processes.
  char buf[4 * text::kLineChunk] = {};
  text::Writer out{buf, sizeof buf, sys::write_all, 1};
  Result first = {};    // the first unreadable one's error
  char pids[128] = {};  // the unreadable ones, as many as fit
  text::Writer unread_pids{pids, sizeof pids};
};

void ps_found(const Proc& p, void* ctx) {
  auto* run = static_cast<PsRun*>(ctx);
  ++run->read;
  CapSet beyond;
  for (CapSet s : violations(p.state, run->allow, run->sets).sets) beyond.bits |= s.bits;
  if (run->check && beyond.empty()) return;
  run->beyond = run->check;
  bool json = run->json;
  text::Writer& w = run->out;
  if (json) {
    text::put_json_sets(w, p.pid, p.state);
    w.append(",\"tid\":", text::Decimal{static_cast<uint64_t>(p.tid)},
             ",\"ppid\":", text::Decimal{static_cast<uint64_t>(p.ppid)}, ",\"uid\":", text::Decimal{p.uid},
             ",\"name\":");
    text::put_json_string(w, p.name);
    w.put(",\"userns\":");
    (p.userns != 0 ? w.decimal(p.userns) : w.put("null"));
    w.append(",\"userns_initial\":", p.userns == 0 ? "null" : p.userns == kInitialUserns ? "true" : "false");
  } else {
    w.append("pid=", text::Decimal{static_cast<uint64_t>(p.pid)});
    if (p.tid != p.pid) w.append(" tid=", text::Decimal{static_cast<uint64_t>(p.tid)});
    w.append(" ppid=", text::Decimal{static_cast<uint64_t>(p.ppid)}, " uid=", text::Decimal{p.uid}, " name=");
    (text::needs_quotes(p.name) ? text::put_json_string(w, p.name) : w.put(p.name));
    // The initial user namespace's capabilities are the host's; another's
    // are powers over what that namespace owns.
    w.put(" userns=");
    (p.userns == 0 ? w.put('?') : p.userns == kInitialUserns ? w.put("host") : w.decimal(p.userns));
    for (int i = 0; i < kSetCount; ++i) {
      CapSet s = p.state.sets[i];
      if ((run->sets & set_bit(static_cast<Set>(i))) == 0 || s.empty()) continue;
      w.append(' ', set_name(static_cast<Set>(i)), '=');
      (s.bits == run->all ? w.put("all") : text::put_cap_names(w, s, ""));
    }
  }
  if (run->check) w.put(json ? ",\"beyond\":[" : " beyond="), text::put_cap_names(w, beyond, json ? "\"" : "");
  w.put(json ? (run->check ? "]}\n" : "}\n") : "\n");
}

void ps_failed(long pid, const Result& r, void* ctx) {
  auto* run = static_cast<PsRun*>(ctx);
  if (run->unread++ == 0) run->first = r;
  run->unread_pids.append(run->unread > 1 ? "," : "", text::Decimal{static_cast<uint64_t>(pid)});
}

int ps(int argc, char** argv) {
  Option opts[] = {{"--allow", true}, {"--sets", true}, {"--json", false}, {}};
  Args args;
  int status = parse(argc, argv, opts, kNothing, &args);
  if (status != -1) return status;
  PsRun run{{}, kDefaultCheckSets, opts[0].seen, opts[2].seen, 0};
  if (run.check && (status = parse_caps("ps", opts[0], &run.allow)) != -1) return status;
  if (opts[1].seen && (status = parse_sets("ps", opts[1], &run.sets)) != -1) return status;
  int last;
  if ((status = last_cap("ps", kCannotRead, &last)) != -1) return status;
  run.all = ~0ull >> (63 - last);
  Result r = walk_procs(ps_found, ps_failed, &run);
  if (written(run.out.flush()) != kOk) return kCannotRead;
  if (!r.ok()) return fail(kCannotRead, "ps", "", r);
  if (run.unread > 0) {
    // Counted and named on one line, with the first one's error.
    char line[sizeof run.pids + 64];
    text::Writer w(line, sizeof line);
    w.append("ps: ", text::Decimal{static_cast<uint64_t>(run.unread)}, run.unread > 1 ? " processes" : " process",
             " not read (", run.pids, run.unread_pids.finish() >= sizeof run.pids ? "...)" : ")");
    (void)w.finish();
    (void)fail(kCannotRead, line, "", run.first);
  }
  return run.read == 0 && run.unread > 0 ? kCannotRead : run.beyond ? kFailed : kOk;
}

int decode(int argc, char** argv) {
  Option none[] = {{}};
  Args args;
  int status = parse(argc, argv, none, kWord, &args);
  if (status != -1) return status;
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
  int status = parse(argc, argv, none, kNothing, &args);
  if (status != -1) return status;
  int last;
  if ((status = last_cap("list", kCannotRead, &last)) != -1) return status;
  char buf[kFormatMax];
  return out(buf, format_cap_table(last, buf, sizeof buf), sizeof buf);
}

}  // namespace
}  // namespace capguard

int capguard::cli_main(int argc, char** argv) {
  if (argc < 2) return fail(kUsage, "missing COMMAND; see capguard --help");
  const char* cmd = argv[1];
  if (is(cmd, "--help") || is(cmd, "-h") || is(cmd, "help")) return print(kHelp);
  if (is(cmd, "--version")) return print("capguard " CAPGUARD_VERSION "\n");
  if (is(cmd, "show")) return show(argc, argv);
  if (is(cmd, "check")) return check(argc, argv);
  if (is(cmd, "exec")) return exec(argc, argv);
  if (is(cmd, "file")) return file(argc, argv);
  if (is(cmd, "scan")) return scan(argc, argv);
  if (is(cmd, "ps")) return ps(argc, argv);
  if (is(cmd, "decode")) return decode(argc, argv);
  if (is(cmd, "list")) return list(argc, argv);
  return fail(kUsage, "unknown command: ", cmd, " (see capguard --help)");
}
