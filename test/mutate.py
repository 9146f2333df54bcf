#!/usr/bin/env python3
"""Mutation testing of src/ (issue 21): one single-point fault at a time,
built in one reused build directory, run against the fast suites that test
that file. A mutant is killed when a suite fails (or the build's tests time
out), survives when all pass (a survivor is run again in the stub build and
in an ASan+UBSan one), and is equivalent when listed in EQUIVALENT below
with the reason. Not part of CI: a full run takes hours.

usage: test/mutate.py [--list] [--tree DIR] [SRC_FILE[:LINE[-LAST]]...]
  SRC_FILE   e.g. src/guard.cc (default: every .cc of src/ the Linux build uses),
             or only its line LINE, or lines LINE to LAST
  --list     print the mutants, build nothing
  --tree     where a copy of the checkout's tracked files is built (default
             /tmp/capguard-mutate); the checkout itself is never changed
As root, after the README's test command has installed the packages.
"""
import json
import os
import re
import subprocess
import sys
import time

# Which suites test which file: the unit and fault tests always run; these
# are the shell suites each file's behaviour is tested in.
SUITES = {
    "src/c_api.cc": ["install"],
    "src/caps_linux.cc": ["cli", "check_escape", "ps"],
    "src/cli.cc": ["cli", "cli_exec", "cli_file", "cli_stack", "init", "systemd", "check_escape", "exec_rules", "ps", "audit"],
    "src/drop_linux.cc": ["cli_exec", "init", "check_escape"],
    "src/error.cc": ["cli"],
    "src/exec.cc": ["cli_exec", "init"],
    "src/execve.cc": ["exec_rules", "cli_file", "check_escape"],
    "src/filecaps.cc": ["cli_file", "exec_rules"],
    "src/files_linux.cc": ["cli", "cli_file", "exec_rules", "check_escape", "audit"],
    "src/format.cc": ["cli", "cli_file", "systemd", "ps"],
    "src/guard.cc": ["cli", "systemd", "check_escape"],
    "src/names.cc": ["cli"],
    "src/status.cc": ["cli", "ps"],
    "src/sys_linux.cc": ["cli", "cli_exec", "cli_file", "exec_rules", "init", "check_escape"],
    "src/sys_posix.cc": ["cli_exec", "cli_file", "init", "check_escape"],
    "src/users.cc": ["cli_exec"],
}

# What the suites run: the benchmarks and the install are not built again,
# but for the install suite, which installs (and so needs) every target.
TARGETS = ["capguard", "test/unit_test", "test/fault_test", "test/deny_faccessat2"]

# Reasons that hold for more than one mutant.
LOOP_64 = "one more pass, for 64, which CapSet::has() answers false"
PROBE_64 = ("one more pass, for 64, in both loops: the bounding probe's ends at the kernel's EINVAL, and the ambient"
            " one's CapSet::has() answers false")
CLONE_CHILD = "clone returns 0 only in the child, which exits in its branch above"
FORK_CHILD = "fork returns 0 only in the child, which exits in its branch above"
PIPE_SLOT = "a slot more than pipe2 fills, never read"
SECUREBITS_ARGS = "the kernel ignores PR_GET_SECUREBITS's other arguments (security/commoncap.c, cap_task_prctl())"
SPAWN_REPORT = "spawn() reads the child's report from the pipe, never its exit status"
CALLER_REAPS = "the caller that failed reaps this child and returns its own error: the status is never read"
CLOSE_MINUS_2 = "closed only when pipe2 failed to fill it: close(-2) fails with EBADF as close(-1) does"
HEX_ALONE = "\"0x\" alone is bad either way: taken off, nothing is left; kept, x is no digit"
LONGER_ROW = "a longer row holds the same strings"
USERNS_SHORT = "a text of 7 bytes that passes the other checks is \"user:[]\", which parse_decimal() refuses: no digit"
NO_FIELD = "-2, as -1, is below every Set and Field: no field"
PARSED = "parse_decimal() sets it whenever it succeeds, and it is read only then"
FIRST_BYTE = "a first byte that is no digit fails parse_decimal() either way, counted or not"
DEV_SHIFT = ("a device number is only compared with another statx gives: a major (12 bits) shifted 31 or 33"
             " places stays clear of the minor (20 bits), as at 32")
ARRAY_PARAMETER = "an array parameter's size is no part of its type: the same pointer"
NO_SIGNAL = "sigaction() of signal 0 or NSIG fails (EINVAL): the loop goes on to the next"
EMPTY_LINE = "an empty line has no field 2: no entry either way"
LONG_NAME = "only a name of 256 bytes or more reaches the 256th, and such a line is refused (cut_): name() is not read"
NO_STATE_1 = "no bit has state 1, e alone: e comes with p or i, so the pass for 1 finds none"
COUNTING_WRITER = "a Writer keeps its last byte for the NUL: with 1, as with 0, it stores nothing and counts all"
SCAN_SIZES = ("records are 8-byte aligned and 280 bytes at most: a byte more or less of buffer or of least read"
              " changes how often the walk reads, never what it lists")
NEVER_PID_1 = ("clone gives the parent the child's pid in the parent's PID namespace, where 1 is that namespace's"
               " init, alive while anything in it can fork: never 1 (a child that is PID 1 of a new namespace is"
               " another number to its parent)")
XATTR_SIZE = ("getxattr of security.capability is answered by cap_inode_getsecurity(): 20 or 24 bytes, or an error"
              " (EINVAL for a value of any other size), never 0")
PS_LINE = ("the line needs at most 4 + 10 + 21 + 127 + 4 bytes around the pids (\"ps: \", a count, \" processes not"
           " read (\", the pids, \"...)\"): room either way")
F_TYPE = "statfs's f_type is the filesystem's magic number (include/uapi/linux/magic.h), never 0"
PAST_DEPTH = "a slot past kMaxDepth, the deepest level: never used"
IGNORED_REVISION = ("the value is ignored for its rootid: its revision is read only as not 0 (execve.cc), and"
                    " below with the rootid, which is kForeignRootid either way")
RECLAIM = ("a level whose entries are taken out of the buffer reads them again from its offset: when the buffer is"
           " taken back changes how often the walk reads, never what it lists, and every read still has 512 bytes"
           " or more, room for the largest record (280)")
ROOM = ("a read is still given 341 bytes or more, room for the largest record (280): only how often the walk reads"
        " changes")
FITS = ("no caller's text reaches its buffer's size: decode's 673 bytes at most and list's table (64 rows at most,"
        " about 2,100 bytes) are in kFormatMax's 7,680")
DECODE_ROOM = "decode's longest text, every bit set, is 673 bytes: kFormatMax (7,680) has room either way"
D_OFF = ("a level seeks only back to the d_off of an entry it has read, which is the position after that entry:"
         " never 0, the directory's start")
# scan_tree()'s first level, which several mutants change.
SCAN_ROOT = "lens[0] = static_cast<uint16_t>(len), offsets[0] = 0, fds[0] = -1, from[0] = to[0] = 0, state[0] = kAtEnd;"
LEVEL_0_OFFSET = ("the root's level starts at its end (kAtEnd): its offset is read only after an entry's has been"
                  " stored in it")
UNSHARE_FIRST = "when unshare failed the parent returns that error before it reads the second answer"
NO_GROUPS = "with no groups the second getgroups would fill nothing: the count is 0 either way"
# with_home(): main(), cli_main()'s caller in the binary, passes its own
# argv, which environ follows; only fuzz_cli's made-up one (CI's fuzz build,
# which mutate.py does not run) does not.
MAIN_ARGV = "environ follows main()'s argv, the only one the binary passes to with_home()"
# check_run's first violating set of COMMAND: 0 only for inheritable.
INHERITED = "set 0 is inheritable, which execve keeps as it is: COMMAND's is capguard's own, which guard() refused first"


# Mutants argued equivalent, by file, the mutated line's text (stripped) and
# the change, and the mutant's text too where a line has two of that change:
# the reason each cannot change what any caller observes.
EQUIVALENT = {
    ("src/filecaps.cc", "constexpr size_t kSize[] = {0, 12, 20, 24};  // XATTR_CAPS_SZ_1.._3, by revision", "0 -> 1"):
        "kSize[0] is never read: revision 0 is refused on the line before",
    ("src/guard.cc", "for (int cap = 0; cap < 64; ++cap) {", "< -> <="):
        LOOP_64,
    ("src/guard.cc", "for (int cap = 0; cap < 64; ++cap) {", "64 -> 65"):
        LOOP_64,
    ("src/guard.cc", "while (exec != nullptr && reason < kReasonCount && !exec->reasons[reason].has(cap)) ++reason;",
     "< -> <="):
        "the loop ends at kReasonCount or past it (reading the Exec's next field), and the next line names no source"
        " for either",
    ("src/guard.cc", "if (__atomic_exchange_n(&logged, 1, __ATOMIC_RELAXED) == 0) (void)sys::write_all(2, kSkip, sizeof kSkip - 1);",
     "1 -> 2"): "any value but 0 marks the line written",
    ("src/guard.cc", "if (!CAPGUARD_LINUX && r.code == Error::unsupported) {  // the Linux build leaves this out",
     "&& -> ||"): "the stub backend's read_thread_syscalls() always returns unsupported, the Linux one never",
    ("src/execve.cc",
     "for (int i = 0; i < c.group_count && i < kMaxGroups && by_group && setid; ++i) setid = e.gid != c.groups[i];",
     "< -> <=",
     "for (int i = 0; i < c.group_count && i <= kMaxGroups && by_group && setid; ++i) setid = e.gid != c.groups[i];"):
        "it differs only past kMaxGroups groups, where the line before has set `unknown`, which callers refuse",
    ("src/execve.cc", "size_t end = 0;                            // i_end", "0 -> 1"):
        "b[0] is '#', checked above: the newline is never there",
    ("src/execve.cc", "while (i <= kLast && blank(b[i])) ++i;", "<= -> <"):
        "it differs only when b[2..254] are all blanks, and then the line has no name: ENOEXEC either way",
    ("src/execve.cc", "while (name <= end && blank(b[name])) ++name;", "<= -> <"):
        "after the trim b[end - 1] is not blank, or end is 2: the skip stops before end either way, or the name"
        " is empty either way",
    ("src/execve.cc", "bool has_arg = sep <= end && b[sep] != '\\0' && arg <= end;", "<= -> <",
     "bool has_arg = sep < end && b[sep] != '\\0' && arg <= end;"):
        "sep stops at end only on a blank or NUL there, and then no argument follows: arg passes end or b[sep]"
        " is NUL",
    ("src/execve.cc", "bool has_arg = sep <= end && b[sep] != '\\0' && arg <= end;", "<= -> <",
     "bool has_arg = sep <= end && b[sep] != '\\0' && arg < end;"):
        "arg == end would need blanks from sep to end - 1, and the trim left b[end - 1] not blank",
    ("src/execve.cc", "w.put(b + name, (sep < end ? sep : end) - name);", "< -> <="):
        "at sep == end both choices are end",
    ("src/caps_linux.cc", "for (int cap = 0; cap < 64; ++cap) {", "< -> <="):
        PROBE_64,
    ("src/caps_linux.cc", "for (int cap = 0; cap < 64; ++cap) {", "64 -> 65"):
        PROBE_64,
    ("src/caps_linux.cc", "uint64_t major = 0, minor = 0;", "0 -> 1"): PARSED,
    ("src/caps_linux.cc", "size_t n = 0;", "0 -> 1"): FIRST_BYTE,
    ("src/caps_linux.cc", "for (n = 0; p[n] >= '0' && p[n] <= '9';) ++n;", "0 -> 1"): FIRST_BYTE,
    ("src/sys_linux.cc", "if (rc == 0) *out = {st.mode, st.uid, st.gid, uint64_t{st.dev_major} << 32 | st.dev_minor, st.ino, root != 0};", "32 -> 33"):
        DEV_SHIFT,
    ("src/sys_linux.cc", "if (rc == 0) *out = {st.mode, st.uid, st.gid, uint64_t{st.dev_major} << 32 | st.dev_minor, st.ino, root != 0};", "32 -> 31"):
        DEV_SHIFT,
    ("src/sys_linux.cc", "unsigned long none[32 / sizeof(long)] = {};", "32 -> 33"):
        "33 / sizeof(long) rounds down to 32 / sizeof(long): the same array",
    ("src/caps_linux.cc", "if (pid < 0 || pid > 2147483647) return Result::sys_failure(Error::open, \"/proc/PID/status\", -EINVAL);",
     "< -> <="): "pid 0 has returned on the line before",
    ("src/caps_linux.cc", "if (pid < 0 || pid > 2147483647) return Result::sys_failure(Error::open, \"/proc/PID/status\", -EINVAL);",
     "0 -> 1"): "pid 0 has returned on the line before",
    ("src/sys_linux.cc", "long pipe_cloexec(int fds[2]) { return result(::syscall(SYS_pipe2, fds, static_cast<long>(O_CLOEXEC))); }",
     "2 -> 1"): ARRAY_PARAMETER,
    ("src/sys_linux.cc", "long pipe_cloexec(int fds[2]) { return result(::syscall(SYS_pipe2, fds, static_cast<long>(O_CLOEXEC))); }",
     "2 -> 3"): ARRAY_PARAMETER,
    ("src/sys_linux.cc", "long getresgid(uint32_t ids[3]) { return result(::syscall(kGetresgid, &ids[0], &ids[1], &ids[2])); }",
     "3 -> 2"): ARRAY_PARAMETER,
    ("src/sys_linux.cc", "long getresgid(uint32_t ids[3]) { return result(::syscall(kGetresgid, &ids[0], &ids[1], &ids[2])); }",
     "3 -> 4"): ARRAY_PARAMETER,
    ("src/sys_linux.cc", "long getresuid(uint32_t ids[3]) { return result(::syscall(kGetresuid, &ids[0], &ids[1], &ids[2])); }",
     "3 -> 2"): ARRAY_PARAMETER,
    ("src/sys_linux.cc", "long getresuid(uint32_t ids[3]) { return result(::syscall(kGetresuid, &ids[0], &ids[1], &ids[2])); }",
     "3 -> 4"): ARRAY_PARAMETER,
    ("src/format.cc", "constexpr uint32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};  // by length: below is overlong", "0 -> 1",
     "constexpr uint32_t kLeast[] = {1, 0, 0x80, 0x800, 0x10000};  // by length: below is overlong"):
        "kLeast[0] is read only when *n is 0 already, which it sets again or leaves",
    ("src/format.cc", "constexpr uint32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};  // by length: below is overlong", "0 -> 1",
     "constexpr uint32_t kLeast[] = {0, 1, 0x80, 0x800, 0x10000};  // by length: below is overlong"):
        "it differs only for a NUL, which put_escaped(), the only caller, stops at before asking",
    ("src/format.cc", "*n = c < 0x80 ? 1 : c < 0xc0 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : 0;", "< -> <=",
     "*n = c < 0x80 ? 1 : c <= 0xc0 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : c < 0xf8 ? 4 : 0;"):
        "0xc0 begins only overlong forms (below 0x80): refused at once, or as overlong",
    ("src/format.cc", "for (int cap = 0; cap < 64; ++cap) {", "< -> <="): LOOP_64,
    ("src/format.cc", "for (int cap = 0; cap < 64; ++cap) {", "64 -> 65"): LOOP_64,
    ("src/format.cc", "for (int n = 0; *s != '\\0'; s += n) {", "0 -> 1"): "code_point() sets n before `s += n` reads it",
    ("src/sys_posix.cc", "for (int sig = 1; sig < NSIG; ++sig) {", "< -> <="): NO_SIGNAL,
    ("src/sys_posix.cc", "for (int sig = 1; sig < NSIG; ++sig) {", "1 -> 0"): NO_SIGNAL,
    ("src/sys_posix.cc", "if (sigaction(sig, nullptr, &sa) != 0 || sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN) continue;",
     "|| -> &&", "if (sigaction(sig, nullptr, &sa) != 0 && sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN) continue;"):
        "it differs only for a signal whose handler is the default, set to the default again, or whose query failed,"
        " whose setting fails as well",
    ("src/c_api.cc", "if (r.what >= at && r.what < at + sizeof file) r = r.with_what(command);", "< -> <="):
        "no error names the byte after `file`: its `what` is one of file's buffers, the command, or a literal",
    ("src/users.cc", "uint64_t v = 0;", "0 -> 1"): PARSED,
    ("src/users.cc", "while (len_ > 0 && line_[len_ - 1] != ':') --len_;", "0 -> 1"):
        "a line trimmed to its first byte has no field past the name: no entry, as the empty line",
    ("src/users.cc", "while (len_ > 0 && line_[len_ - 1] != ':') --len_;", "1 -> 0"):
        "it keeps the last ':' out of the line, and the field after it, cut off, is empty either way (the first"
        " byte it reads, line_[kHomeMax], is name_'s, within the object)",
    ("src/users.cc", "size_t name_len = 0, id_len, gid_len, home_len = 0;", "0 -> 1"):
        "field() sets each before it is read: the name whenever the line can be found, the home whenever has_home",
    ("src/users.cc", "uint32_t want = 0;", "0 -> 1"): PARSED,
    ("src/users.cc",
     "if (key_len_ > 0 && len_ > 0 && line_[0] != '#' && field(line_, len_, 0, &name_text, &name_len) &&", "> -> >=",
     "if (key_len_ > 0 && len_ >= 0 && line_[0] != '#' && field(line_, len_, 0, &name_text, &name_len) &&"):
        EMPTY_LINE,
    ("src/users.cc",
     "if (key_len_ > 0 && len_ > 0 && line_[0] != '#' && field(line_, len_, 0, &name_text, &name_len) &&", "0 -> 1",
     "if (key_len_ > 0 && len_ > 1 && line_[0] != '#' && field(line_, len_, 0, &name_text, &name_len) &&"):
        "a line of one byte has no field 2: no entry either way",
    ("src/users.cc", "for (size_t i = 0; found_ && i < name_len && i + 1 < sizeof name_; ++i) name_[i] = name_text[i];",
     "< -> <=", "for (size_t i = 0; found_ && i < name_len && i + 1 <= sizeof name_; ++i) name_[i] = name_text[i];"):
        LONG_NAME,
    ("src/users.cc", "for (size_t i = 0; found_ && i < name_len && i + 1 < sizeof name_; ++i) name_[i] = name_text[i];",
     "1 -> 0"): LONG_NAME,
    ("src/users.cc", "if (found_ && db_ == Db::passwd) {", "&& -> ||"):
        "for a line not found, what it sets is set again for the line found, or never read; a group's home is never"
        " asked",
    ("src/users.cc", "for (size_t i = 0; i < home_len && has_home; ++i) line_[i] = home_text[i];", "< -> <="):
        "the byte more lands on line_[home_len], which the next line sets to NUL (and is read within the object)",
    ("src/users.cc", "if (!found_ && (len_ > 0 || overflow_)) end_line();", "> -> >="): EMPTY_LINE,
    ("src/users.cc", "if (!found_ && (len_ > 0 || overflow_)) end_line();", "&& -> ||"):
        "it differs only when nothing is left of a last line, found or not: end_line() finds no entry there",
    ("src/users.cc", "if (!found_ && (len_ > 0 || overflow_)) end_line();", "0 -> 1"):
        "a last line of one byte has no field 2: no entry either way",
    ("src/users.cc", "} else if (match_ < user_len_ && c == user_[match_]) {", "< -> <="):
        "user_ is name(), whose NUL no member byte is: the byte past the name differs either way",
    ("src/users.cc", "if (member_ && !skip_ && colons_ == 3 && field(head_, len_ - 1, 2, &gid_text, &gid_len) &&",
     "1 -> 0"): "field 2 ends at the third ':', kept in the line or not",
    ("src/users.cc", "if (len_ > 0) end_line();", "> -> >="): EMPTY_LINE,
    ("src/users.cc", "if (len_ > 0) end_line();", "0 -> 1"): "a last line of one byte has no three ':'s: no group either way",
    ("src/users.cc", "for (size_t i = 0; i == 0 || f.home()[i - 1] != '\\0'; ++i) u.home[i] = f.home()[i];", "1 -> 0"):
        "u.home starts zeroed: the NUL not copied is there already",
    ("src/format.cc", "text::Writer w(nullptr, 0);", "0 -> 1"): COUNTING_WRITER,
    ("src/format.cc", "text::Writer rest(nullptr, 0);", "0 -> 1"): COUNTING_WRITER,
    ("src/format.cc", "int histo[8] = {};", "8 -> 9"): "a slot past the eight states, never read",
    ("src/format.cc", "for (int t = 6; t >= 0; --t)", "6 -> 7"): "t = 7 compares the base with itself: it stays 7",
    ("src/format.cc", "for (int t = 7; t >= 1; --t) {", ">= -> >"): NO_STATE_1,
    ("src/format.cc", "for (int t = 7; t >= 1; --t) {", "1 -> 2"): NO_STATE_1,
    ("src/format.cc", "for (int t = 7; t >= 1; --t) {", "7 -> 8"): "no bit has state 8: the pass finds none",
    ("src/format.cc", "for (int n = last_cap + 1; n < 64; ++n)", "< -> <="): LOOP_64,
    ("src/format.cc", "for (int n = last_cap + 1; n < 64; ++n)", "64 -> 65"): LOOP_64,
    ("src/files_linux.cc", "constexpr size_t kCapsValueMax = 24;  // XATTR_CAPS_SZ_3, the largest security.capability",
     "24 -> 25"):
        "getxattr gives security.capability only as 20 or 24 bytes (cap_inode_getsecurity() refuses any other with"
        " EINVAL): a byte more holds the same",
    ("src/format.cc", "for (int cap = 0; cap <= (kernel_last > kTableLastCap ? kernel_last : kTableLastCap); ++cap) {",
     "> -> >="): "at kernel_last == kTableLastCap both choices are the same",
    ("src/files_linux.cc", "constexpr size_t kEntryBuffer = 2048, kLeastRead = 512;", "2048 -> 2049"):
        "directory records are 8-byte aligned: a byte more fits no more of them, and 2049 - base < 512 only where"
        " 2048 - base < 512",
    ("src/c_api.cc", "return code >= 0 && code < 256 ? error_message(static_cast<Error>(code)) : \"unknown error\";",
     "256 -> 255"): "error_message() of 255, which no error has, is \"unknown error\" too",
    ("src/files_linux.cc", "l->refused = false;", "statement dropped"):
        "refused is set only with EPERM or ENOSYS, on which every search stops: no later call finds it set, and"
        " Lookup starts false",
    ("src/sys_linux.cc", "unsigned long none[32 / sizeof(long)] = {};", "32 -> 31"):
        "24 bytes, and on x86_64 the kernel reads 32: the last 8, past the array, are the mask, which a default"
        " action never uses (aarch64's sigaction is 24 bytes)",
    ("src/files_linux.cc", "constexpr size_t kEntryBuffer = 2048, kLeastRead = 512;", "2048 -> 2047"): SCAN_SIZES,
    ("src/files_linux.cc", "constexpr size_t kEntryBuffer = 2048, kLeastRead = 512;", "512 -> 513"): SCAN_SIZES,
    ("src/files_linux.cc", "constexpr size_t kEntryBuffer = 2048, kLeastRead = 512;", "512 -> 511"): SCAN_SIZES,
    ("src/files_linux.cc", "int fds[2];", "2 -> 3"): PIPE_SLOT,
    ("src/files_linux.cc", "long answer[2] = {sys::unshare_user(), 0};  // unshare(2)'s result, then fgetxattr(2)'s",
     "2 -> 3"): "the child writes a slot more, and the parent reads its two",
    ("src/files_linux.cc", "long answer[2] = {sys::unshare_user(), 0};  // unshare(2)'s result, then fgetxattr(2)'s",
     "0 -> 1"): UNSHARE_FIRST,
    ("src/files_linux.cc", "if (answer[0] == 0) {", "0 -> 1", "if (answer[1] == 0) {"): UNSHARE_FIRST,
    ("src/files_linux.cc", "sys::exit_now(0);", "0 -> 1"):
        "the parent takes the child's answer from the pipe and only reaps it: the exit status is never read",
    ("src/files_linux.cc", "long answer[2] = {-EIO, 0};  // a child that died says nothing", "2 -> 3"):
        "a slot more than the child writes: the read returns the two it wrote",
    ("src/files_linux.cc", "long answer[2] = {-EIO, 0};  // a child that died says nothing", "0 -> 1"):
        "the second is read only when the first is not negative, which only the child's write, of both, makes it",
    ("src/files_linux.cc", "while (pid > 0 && sys::read(fds[0], answer, sizeof answer) == -EINTR) {", "> -> >="):
        CLONE_CHILD,
    ("src/files_linux.cc", "if (pid < 0) return pid;", "< -> <="): CLONE_CHILD,
    ("src/files_linux.cc", "while (pid > 0 && sys::read(fds[0], answer, sizeof answer) == -EINTR) {", "0 -> 1",
     "while (pid > 1 && sys::read(fds[0], answer, sizeof answer) == -EINTR) {"): NEVER_PID_1,
    ("src/files_linux.cc", "if (pid < 0) return pid;", "0 -> 1"): NEVER_PID_1,
    ("src/files_linux.cc", "return answer[1] >= 0 ? 1 : answer[1] == -EOVERFLOW ? 0 : answer[1];", ">= -> >"):
        XATTR_SIZE,
    ("src/files_linux.cc", "return answer[1] >= 0 ? 1 : answer[1] == -EOVERFLOW ? 0 : answer[1];", "0 -> 1",
     "return answer[1] >= 1 ? 1 : answer[1] == -EOVERFLOW ? 0 : answer[1];"): XATTR_SIZE,
    ("src/files_linux.cc", "if (n < 0) return Result::sys_failure(Error::getxattr, what, n);", "< -> <="): XATTR_SIZE,
    ("src/files_linux.cc", "if (n < 0) return Result::sys_failure(Error::getxattr, what, n);", "0 -> 1"): XATTR_SIZE,
    ("src/files_linux.cc", "uint16_t from[kMaxDepth + 1], to[kMaxDepth + 1];", "1 -> 2"): PAST_DEPTH,
    ("src/files_linux.cc", "uint8_t state[kMaxDepth + 1];", "1 -> 2"): PAST_DEPTH,
    ("src/files_linux.cc", "uint16_t lens[kMaxDepth + 1];  // per level: the length of its path", "1 -> 2"): PAST_DEPTH,
    ("src/files_linux.cc", "int64_t offsets[kMaxDepth + 1];", "1 -> 2"): PAST_DEPTH,
    ("src/files_linux.cc", "uint64_t inos[kMaxDepth + 1];", "1 -> 2"): PAST_DEPTH,
    ("src/files_linux.cc", SCAN_ROOT, "0 -> 1", SCAN_ROOT.replace("offsets[0] = 0", "offsets[1] = 0")): LEVEL_0_OFFSET,
    ("src/files_linux.cc", SCAN_ROOT, "0 -> 1", SCAN_ROOT.replace("offsets[0] = 0", "offsets[0] = 1")): LEVEL_0_OFFSET,
    ("src/files_linux.cc", SCAN_ROOT, "1 -> 2", SCAN_ROOT.replace("-1", "-2")):
        "any negative descriptor is none: the root is opened fresh",
    ("src/files_linux.cc", SCAN_ROOT, "0 -> 1", SCAN_ROOT.replace("to[0] = 0", "to[0] = 1")):
        "only their being equal is read before the root's first read sets both",
    ("src/files_linux.cc", "out->fd = -1;", "1 -> 2"): "any negative descriptor is none: nothing is closed",
    ("src/files_linux.cc", "if (type < 0) return failed(Result::sys_failure(Error::fs_type, path, type), ctx);", "0 -> 1"):
        F_TYPE,
    ("src/files_linux.cc", "if (type < 0) return failed(Result::sys_failure(Error::fs_type, path, type), ctx);", "< -> <="):
        F_TYPE,
    ("src/cli.cc", "char line[sizeof run.pids + 64];", "64 -> 65"): PS_LINE,
    ("src/cli.cc", "char line[sizeof run.pids + 64];", "64 -> 63"): PS_LINE,
    ("src/caps_linux.cc", "if (type < 0) return Result::sys_failure(Error::fs_type, \"/proc\", type);", "< -> <="): F_TYPE,
    ("src/caps_linux.cc", "if (type < 0) return Result::sys_failure(Error::fs_type, \"/proc\", type);", "0 -> 1"): F_TYPE,
    ("src/caps_linux.cc", "Proc p{pid, pid, 0, 0, 0, {}, {}};", "0 -> 1", "Proc p{pid, pid, 1, 0, 0, {}, {}};"):
        "visit() sets the parent from the status file before the process is reported",
    ("src/caps_linux.cc", "Proc p{pid, pid, 0, 0, 0, {}, {}};", "0 -> 1", "Proc p{pid, pid, 0, 1, 0, {}, {}};"):
        "read_proc_status() always sets the uid, and the process is reported only when it succeeds",
    ("src/caps_linux.cc", "alignas(abi::Dirent) char buf[2048];", "2048 -> 2049"): SCAN_SIZES,
    ("src/caps_linux.cc", "alignas(abi::Dirent) char buf[2048];", "2048 -> 2047"): SCAN_SIZES,
    ("src/caps_linux.cc",
     "while ((n = sys::read_dir(static_cast<int>(fd), reinterpret_cast<abi::Dirent*>(buf), sizeof buf)) > 0)",
     "0 -> 1"): "getdents64 gives whole records (24 bytes at least), 0 or -errno: never 1",
    ("src/files_linux.cc", "long fd = depth < kOpenLevels ? fds[depth] : -1;", "1 -> 2"):
        "any negative descriptor is none: the level is opened fresh",
    ("src/files_linux.cc", "int parent = depth > 0 && depth <= kOpenLevels ? fds[depth - 1] : -1;", "1 -> 2",
     "int parent = depth > 0 && depth <= kOpenLevels ? fds[depth - 1] : -2;"):
        "any negative descriptor is none: the level is opened by path",
    ("src/files_linux.cc", "if (n == -EOVERFLOW) out->caps = {{}, {}, false, 3, kForeignRootid};", "3 -> 4"):
        IGNORED_REVISION,
    ("src/files_linux.cc", "if (n == -EOVERFLOW) out->caps = {{}, {}, false, 3, kForeignRootid};", "3 -> 2"):
        IGNORED_REVISION,
    ("src/files_linux.cc", "int kept = depth < kOpenLevels ? depth : kOpenLevels;", "< -> <="):
        "at depth kOpenLevels both give kOpenLevels",
    ("src/files_linux.cc", "if (sizeof buf - base < kLeastRead) {", "< -> >="): RECLAIM,
    ("src/files_linux.cc", "if (sizeof buf - base < kLeastRead) {", "< -> <="): RECLAIM,
    ("src/files_linux.cc", "if (sizeof buf - base < kLeastRead) {", "condition negated"): RECLAIM,
    ("src/files_linux.cc", "for (int i = 0; i < depth; ++i) {", "< -> <="):
        "the level read is at the end of its entries here (from == to): giving back its none changes nothing",
    ("src/files_linux.cc", "if (room / 2 >= kLeastRead) room /= 2;", ">= -> >"): ROOM,
    ("src/files_linux.cc", "if (room / 2 >= kLeastRead) room /= 2;", "2 -> 3", "if (room / 3 >= kLeastRead) room /= 2;"): ROOM,
    ("src/files_linux.cc", "if (room / 2 >= kLeastRead) room /= 2;", "2 -> 1", "if (room / 2 >= kLeastRead) room /= 1;"): ROOM,
    ("src/files_linux.cc", "if (room / 2 >= kLeastRead) room /= 2;", "2 -> 3", "if (room / 2 >= kLeastRead) room /= 3;"): ROOM,
    ("src/files_linux.cc", "child.append(len > 0 && path[len - 1] == '/' ? \"\" : \"/\", name);", "> -> >="):
        "len is the root's length at least, and the root a name of one byte or more (\"\" fails its statx): never 0",
    ("src/files_linux.cc", "++depth, lens[depth] = static_cast<uint16_t>(len), offsets[depth] = 0, inos[depth] = st.ino,",
     "0 -> 1"): LEVEL_0_OFFSET.replace("the root's level starts", "a new level starts"),
    ("src/files_linux.cc", "from[depth] = to[depth] = 0, state[depth] = kAtEnd;", "0 -> 1"):
        "a new level's bounds are read only as equal (nothing kept) before its first read sets them",
    ("src/files_linux.cc", "state[depth] |= kAtEnd;", "statement dropped"):
        "kAtEnd only spares a seek to where the descriptor is already: without it the level seeks to the offset"
        " it has read to, and reads on from the same place",
    ("src/files_linux.cc", "fds[i] = -1;", "1 -> 2"): "any negative descriptor is none: the level is opened by path",
    ("src/files_linux.cc", "if (down && depth < kOpenLevels) fds[depth] = -1;", "1 -> 2"):
        "any negative descriptor is none: the level is opened fresh",
    ("src/files_linux.cc", "long n = 0;", "0 -> 1"):
        "n is read only as below 0, and set by seek or read_dir before the loop can end but for a failed open",
    ("src/files_linux.cc", "if ((state[depth] & kAtEnd) == 0 && (n = sys::seek(static_cast<int>(fd), offsets[depth])) < 0) break;", "< -> <="): D_OFF,
    ("src/files_linux.cc", "if ((state[depth] & kAtEnd) == 0 && (n = sys::seek(static_cast<int>(fd), offsets[depth])) < 0) break;", "0 -> 1",
     "if ((state[depth] & kAtEnd) == 0 && (n = sys::seek(static_cast<int>(fd), offsets[depth])) < 1) break;"): D_OFF,
    ("src/files_linux.cc", "if (n <= 0) break;", "0 -> 1"):
        "getdents64 gives whole records (24 bytes at least), 0 or -errno: never 1",
    ("src/files_linux.cc", "uint64_t dev = 0;      // the root's filesystem", "0 -> 1"):
        "visit() of the root sets it before anything reads it",
    ("src/cli.cc", 'if (env == nullptr) return fail(kFailed, "exec: no slot to add HOME to the environment: argv is not'
     ' main()\'s");', "statement dropped"): MAIN_ARGV,
    ("src/cli.cc", "if (environ != argv + argc + 1) return nullptr;", "statement dropped"): MAIN_ARGV,
    ("src/cli.cc", "for (int i = *command; i < argc; ++i) argv[i - 1] = argv[i];", "< -> <="):
        "argv[argc] is null, which the next line writes to argv[argc - 1] anyway",
    ("src/cli.cc", 'if (n >= size) return fail(kCannotRead, "output does not fit its buffer");', ">= -> >"): FITS,
    ("src/cli.cc", 'if (n >= size) return fail(kCannotRead, "output does not fit its buffer");', "statement dropped"):
        FITS,
    ("src/cli.cc", "char line[2 * kMaxWord];  // the word and at most 44 bytes around it", "2 -> 3"):
        "more room than the 64 + 44 bytes the line needs",
    ("src/cli.cc", "w.put(opt.value + bad.begin, bad.len < kMaxWord ? bad.len : kMaxWord);", "< -> <="):
        "at bad.len == kMaxWord both branches put kMaxWord bytes",
    ("src/cli.cc", "ScanRun walk{{}, opts[0].seen, opts[1].seen, 0};", "0 -> 1",
     "ScanRun walk{{}, opts[0].seen, opts[1].seen, 1};"):
        "last_cap() sets walk.last before anything reads it",
    ("src/cli.cc", "PsRun run{{}, kDefaultCheckSets, opts[0].seen, opts[2].seen, 0};", "0 -> 1",
     "PsRun run{{}, kDefaultCheckSets, opts[0].seen, opts[2].seen, 1};"):
        "run.all is set from last_cap() before anything reads it",
    ("src/cli.cc", "size_t len = 0;  // up to its blank line, or the end, with the newline", "0 -> 1"):
        "p[0] is the paragraph's first byte, 'c': the loop steps past it either way",
    ("src/cli.cc", 'if (set < 0) return run_file("check: ", target, argv, run.command, environ);', "< -> <="): INHERITED,
    ("src/cli.cc", 'if (set < 0) return run_file("check: ", target, argv, run.command, environ);', "0 -> 1"): INHERITED,
    ("src/cli.cc", "uint64_t mask = 0;", "0 -> 1"): "parse_hex() sets it whenever it succeeds, and it is read only then",
    ("src/cli.cc", "size_t n = format_decode(CapSet{mask}, buf, sizeof buf - 1);  // leaves room for the newline", "1 -> 0"): DECODE_ROOM,
    ("src/cli.cc", "size_t n = format_decode(CapSet{mask}, buf, sizeof buf - 1);  // leaves room for the newline", "1 -> 2"): DECODE_ROOM,
    ("src/cli.cc", "if (n + 1 < sizeof buf) buf[n] = '\\n';", "< -> <="): DECODE_ROOM,
    ("src/cli.cc", "if (n + 1 < sizeof buf) buf[n] = '\\n';", "1 -> 0"): DECODE_ROOM,
    ("src/cli.cc", "if (n + 1 < sizeof buf) buf[n] = '\\n';", "1 -> 2"): DECODE_ROOM,
    ("src/status.cc", "return static_cast<Field>(-1);", "1 -> 2"): NO_FIELD,
    ("src/caps_linux.cc", "if (n > 7 && n < static_cast<long>(sizeof link) && text::starts_with(link, \"user:[\") && link[n - 1] == ']' &&",
     "> -> >="): USERNS_SHORT,
    ("src/caps_linux.cc", "if (n > 7 && n < static_cast<long>(sizeof link) && text::starts_with(link, \"user:[\") && link[n - 1] == ']' &&",
     "7 -> 6"): USERNS_SHORT,
    ("src/caps_linux.cc", "uint64_t ino = 0;", "0 -> 1"): PARSED,
    ("src/caps_linux.cc", "Proc p{pid, pid, 0, 0, 0, {}, {}};", "0 -> 1", "Proc p{pid, pid, 0, 0, 1, {}, {}};"):
        "visit() sets the namespace from its link before the process is reported",
    ("src/status.cc", "char key[kKeyLen + 1];", "1 -> 2"): LONGER_ROW,
    ("src/status.cc", "digits_ = 1;  // the tab after the colon: a name may start with a blank", "1 -> 2"):
        "the Name line reads digits_ only as zero or not",
    ("src/status.cc", "field_ = -1;", "1 -> 2"): NO_FIELD,
    ("src/status.cc", "i = nl == nullptr ? n - 1 : static_cast<size_t>(static_cast<const char*>(nl) - text) - 1;", "1 -> 0",
     "i = nl == nullptr ? n - 0 : static_cast<size_t>(static_cast<const char*>(nl) - text) - 1;"):
        "no newline in the chunk: n - 1 and n both end the loop (i < n) after ++i",
    ("src/status.cc", "i = nl == nullptr ? n - 1 : static_cast<size_t>(static_cast<const char*>(nl) - text) - 1;",
     "statement dropped"): "a shortcut only: without it the line's bytes are skipped one at a time, to the same end",
    ("src/names.cc", "uint16_t at[kTableLastCap + 2];  // one past the last: the end", "2 -> 3"):
        "a slot past the end, never read",
    ("src/names.cc", "for (size_t i = 0, cap = 1; i < sizeof kCapNames; ++i)", "0 -> 1",
     "for (size_t i = 1, cap = 1; i < sizeof kCapNames; ++i)"): "kCapNames[0] is 'c', no NUL: nothing is skipped",
    ("src/names.cc", "constexpr char kSetNames[kSetCount][12] = {\"inheritable\", \"permitted\", \"effective\", \"bounding\", \"ambient\"};",
     "12 -> 13"): LONGER_ROW,
    ("src/names.cc", "uint64_t bit = 0;", "0 -> 1"): PARSED,
    ("src/names.cc", "if (n > kPrefixLen && text::equal_nocase(s, kPrefixLen, \"cap_\")) {", "> -> >="):
        "\"cap_\" alone matches no name, taken off (nothing left) or not",
    ("src/names.cc", "if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {", ">= -> >"):
        HEX_ALONE,
    ("src/names.cc", "if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {", "2 -> 3",
     "if (n >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {"):
        HEX_ALONE,
    ("src/drop_linux.cc", "if ((rc = sys::prctl(abi::kPrGetSecurebits, 0)) < 0)", "0 -> 1",
     "if ((rc = sys::prctl(abi::kPrGetSecurebits, 1)) < 0)"):
        SECUREBITS_ARGS,
    ("src/drop_linux.cc", "long bits = sys::prctl(abi::kPrGetSecurebits, 0);", "0 -> 1"):
        SECUREBITS_ARGS,
    ("src/drop_linux.cc", "rc = sys::prctl(abi::kPrGetSecurebits, 0);", "0 -> 1"):
        SECUREBITS_ARGS,
    ("src/drop_linux.cc", "for (int cap = 0; cap < 64; ++cap) {", "< -> <="):
        LOOP_64,
    ("src/drop_linux.cc", "for (int cap = 0; cap < 64; ++cap) {", "64 -> 65"):
        LOOP_64,
    ("src/drop_linux.cc", "if (rc >= 0 && rc <= kMaxGroups) rc = sys::getgroups(static_cast<size_t>(rc), c.groups);", ">= -> >"):
        NO_GROUPS,
    ("src/drop_linux.cc", "if (rc >= 0 && rc <= kMaxGroups) rc = sys::getgroups(static_cast<size_t>(rc), c.groups);", "0 -> 1"):
        NO_GROUPS,
    ("src/drop_linux.cc", "int fds[2];", "2 -> 3"): PIPE_SLOT,
    ("src/drop_linux.cc", "sys::exit_now(0);", "0 -> 1"):
        "check_plan() reads the child's report from the pipe, never its exit status",
    ("src/drop_linux.cc", "long threads = 0;", "0 -> 1"):
        "count_threads() sets it whenever it succeeds, and it is read only then",
    ("src/drop_linux.cc", "while (child > 0 && got < sizeof r) {", "> -> >="):
        CLONE_CHILD,
    ("src/drop_linux.cc", "if (child < 0) return Result::sys_failure(Error::fork, \"clone\", child);", "< -> <="):
        CLONE_CHILD,
    ("src/drop_linux.cc", "if (child < 0) return Result::sys_failure(Error::fork, \"clone\", child);", "0 -> 1"):
        CLONE_CHILD,
    ("src/drop_linux.cc", "sys::exit_now(127);", "127 -> 128"):
        SPAWN_REPORT,
    ("src/drop_linux.cc", "sys::exit_now(127);", "127 -> 126"):
        SPAWN_REPORT,
    ("src/drop_linux.cc", "if (child < 0) {", "< -> <="): FORK_CHILD,
    ("src/drop_linux.cc", "if (child < 0) {", "0 -> 1"): FORK_CHILD,
    ("src/drop_linux.cc", "if (sys::getpid() != 1 && (rc = sys::prctl(abi::kPrSetChildSubreaper, 1)) < 0)", "1 -> 2",
     "if (sys::getpid() != 1 && (rc = sys::prctl(abi::kPrSetChildSubreaper, 2)) < 0)"):
        "the kernel keeps PR_SET_CHILD_SUBREAPER's argument as a truth value (kernel/sys.c: !!arg2)",
    ("src/drop_linux.cc", "int go[2] = {-1, -1}, done[2];", "2 -> 3", "int go[3] = {-1, -1}, done[2];"):
        PIPE_SLOT,
    ("src/drop_linux.cc", "int go[2] = {-1, -1}, done[2];", "2 -> 3", "int go[2] = {-1, -1}, done[3];"):
        PIPE_SLOT,
    ("src/drop_linux.cc", "int go[2] = {-1, -1}, done[2];", "1 -> 2", "int go[2] = {-2, -1}, done[2];"):
        CLOSE_MINUS_2,
    ("src/drop_linux.cc", "int go[2] = {-1, -1}, done[2];", "1 -> 2", "int go[2] = {-1, -2}, done[2];"):
        CLOSE_MINUS_2,
    ("src/drop_linux.cc", "if (sys::read(go[0], &byte, 1) != 1) sys::exit_now(1);  // the caller failed, and says why",
     "1 -> 2", "if (sys::read(go[0], &byte, 2) != 1) sys::exit_now(1);  // the caller failed, and says why"):
        "the caller writes one byte, once, then closes: a read of up to 2 returns the same 1",
    ("src/drop_linux.cc", "if (sys::read(go[0], &byte, 1) != 1) sys::exit_now(1);  // the caller failed, and says why",
     "1 -> 0", "if (sys::read(go[0], &byte, 1) != 1) sys::exit_now(0);  // the caller failed, and says why"):
        CALLER_REAPS,
    ("src/drop_linux.cc", "if (sys::read(go[0], &byte, 1) != 1) sys::exit_now(1);  // the caller failed, and says why",
     "1 -> 2", "if (sys::read(go[0], &byte, 1) != 1) sys::exit_now(2);  // the caller failed, and says why"):
        CALLER_REAPS,
    ("src/drop_linux.cc", "Result r = pid < 0 ? Result::sys_failure(Error::fork, \"clone\", pid) : apply_on_calling_thread(init_plan(service));",
     "< -> <="): CLONE_CHILD,
    ("src/drop_linux.cc", "Result r = pid < 0 ? Result::sys_failure(Error::fork, \"clone\", pid) : apply_on_calling_thread(init_plan(service));",
     "0 -> 1"): CLONE_CHILD,
    ("src/drop_linux.cc", "while (pid > 0 && sys::read(done[0], &byte, 1) == -EINTR) {", "> -> >="):
        CLONE_CHILD,
    ("src/drop_linux.cc", "while (pid > 0 && sys::read(done[0], &byte, 1) == -EINTR) {", "1 -> 2",
     "while (pid > 0 && sys::read(done[0], &byte, 2) == -EINTR) {"):
        "nothing is ever written to `done`: the read returns 0 at its close whatever the size",
    ("src/drop_linux.cc", "if (pid > 0) (void)sys::wait_pid(pid);", "> -> >="):
        CLONE_CHILD,
    ("src/drop_linux.cc", "for (int code = -1;;) {", "1 -> 2"): "any negative code means the child has not ended",
    ("src/drop_linux.cc", "if (sig > 0 && sig != SIGCHLD) (void)sys::kill(pid, static_cast<int>(sig));", "> -> >="):
        "rt_sigtimedwait returns a signal's number, never 0, or an error",
}

# Binary operators as clang-format spaces them (templates and shifts are not
# spaced so), each with what it becomes: the flipped and the boundary-shifted
# comparison, the other logical operator.
OPERATORS = {
    " == ": [" != "],
    " != ": [" == "],
    " < ": [" >= ", " <= "],
    " <= ": [" > ", " < "],
    " > ": [" <= ", " >= "],
    " >= ": [" < ", " > "],
    " && ": [" || "],
    " || ": [" && "],
}
NUMBER = re.compile(r"(?<![\w.])(\d+)(?![\w.])")


def masked(line):
    """The line with string and character literals and // comments blanked,
    so that no mutant falls inside them."""
    out, quote, i = [], None, 0
    while i < len(line):
        c = line[i]
        if quote:
            out.append(" ")
            if c == "\\":
                out.append(" ")
                i += 1
            elif c == quote:
                quote = None
        elif c in "\"'":
            quote = c
            out.append(" ")
        elif line.startswith("//", i):
            out.append(" " * (len(line) - i))
            break
        else:
            out.append(c)
        i += 1
    return "".join(out)


def mutants(path):
    """(line number, description, new line) for each mutant of `path`."""
    lines = open(path).read().split("\n")
    in_comment = False
    for n, line in enumerate(lines, 1):
        text = line.strip()
        if in_comment or text.startswith("/*"):
            in_comment = "*/" not in text
            continue
        if not text or text.startswith(("#", "//", "static_assert", "namespace", "}  // namespace")):
            continue
        m = masked(line)
        for op, news in OPERATORS.items():
            for at in [i for i in range(len(m)) if m.startswith(op, i)]:
                for new in news:
                    yield n, f"{op.strip()} -> {new.strip()}", line[:at] + new + line[at + len(op):]
        for match in NUMBER.finditer(m):
            value = int(match.group(1))
            for new in {value + 1, value - 1} - {-1}:
                yield n, f"{value} -> {new}", line[:match.start()] + str(new) + line[match.end():]
        cond = re.search(r"\b(?:if|while) \(", m)
        if cond:
            start, depth = cond.end(), 1
            for end in range(start, len(m)):
                depth += {"(": 1, ")": -1}.get(m[end], 0)
                if depth == 0:
                    yield n, "condition negated", line[:start] + "!(" + line[start:end] + ")" + line[end:]
                    break
        # A statement on one line, whole: dropped.
        if (text.endswith(";") and not text.startswith(("return", "break", "continue", "case", "default"))
                and m.count("(") == m.count(")") and m.count("{") == m.count("}") and "=" not in m.split("(")[0][:1]
                and not re.match(r"\s*(const|constexpr|static|auto|bool|char|int|long|size_t|uint\w*|int\w*|[A-Z]\w*(::\w+)*[ &*]+\w+\s*[\[{=;(])", line)):
            yield n, "statement dropped", re.match(r"\s*", line).group(0) + ";  // " + text
        ret = re.match(r"(\s*return )(.+);$", line)
        if ret and ret.group(2) not in ("0", "nullptr", "true", "false", "r", "rc") and "(" not in ret.group(2):
            yield n, f"return {ret.group(2)} -> 0", ret.group(1) + "0;"


def run(cmd, timeout, env=None):
    try:
        return subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        return "timeout"


def timed_out_only(build):
    """Whether the last meson test in `build` failed by timeouts alone."""
    log = os.path.join(build, "meson-logs", "testlog.json")
    results = {json.loads(line)["result"] for line in open(log)} if os.path.exists(log) else set()
    return "TIMEOUT" in results and not results & {"FAIL", "ERROR", "UNEXPECTEDPASS"}


def sanitized_run(asan, path):
    """The ASan+UBSan build's tests of `path`, as CI runs them: their exit status, and whether a sanitizer
    reported."""
    suites = [s if s != "install" else "c_api" for s in SUITES.get(path, ["cli"])]
    rc = run(["meson", "test", "-C", asan, "--no-rebuild", "--maxfail", "1", "unit", "fault"] + suites, 900,
             env=dict(os.environ, UBSAN_OPTIONS="halt_on_error=1"))
    log = open(os.path.join(asan, "meson-logs", "testlog.txt"), errors="replace").read()
    return rc, "runtime error:" in log or "AddressSanitizer" in log


def main(argv):
    # Anything else that looks like an option is a mistake, not a run of
    # every file over the default tree.
    if any(a.startswith("--") and a not in ("--list", "--tree") for a in argv):
        sys.exit(__doc__)
    listing = "--list" in argv
    tree = argv[argv.index("--tree") + 1] if "--tree" in argv else "/tmp/capguard-mutate"
    args = [a for i, a in enumerate(argv) if not a.startswith("--") and (i == 0 or argv[i - 1] != "--tree")]
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    targets = []
    for a in args or sorted(SUITES):
        path, _, line = a.partition(":")
        first, _, last = line.partition("-")
        targets.append((path, int(first) if line else 1, int(last or first) if line else 1 << 30))
    if not listing:
        # The checkout's files as they are now (tests being written included),
        # copied where they differ, so that the build stays incremental.
        files = subprocess.run(["git", "-C", repo, "ls-files"], stdout=subprocess.PIPE, check=True, text=True)
        for name in files.stdout.split("\n"):
            source, copy = os.path.join(repo, name), os.path.join(tree, name)
            if not name or not os.path.isfile(source):
                continue
            data = open(source, "rb").read()
            if not os.path.exists(copy) or open(copy, "rb").read() != data:
                os.makedirs(os.path.dirname(copy), exist_ok=True)
                open(copy, "wb").write(data)
                os.chmod(copy, os.stat(source).st_mode)
        build = os.path.join(tree, "build")
        # Warnings stay warnings: a mutant that leaves a parameter unused is a
        # fault to run, not a build to reject.
        setup = ["configure", build] if os.path.isdir(build) else ["setup", build]
        subprocess.run(["meson"] + setup + ["-Dwerror=false"], cwd=tree, check=True, stdout=subprocess.DEVNULL)
        # The stub backend's build, for what only it reaches (!CAPGUARD_LINUX).
        stub = os.path.join(tree, "build-stub")
        if not os.path.isdir(stub):
            subprocess.run(["meson", "setup", "-Dwerror=false", "-Dcaps_backend=stub", stub], cwd=tree, check=True,
                           stdout=subprocess.DEVNULL)
        asan = os.path.join(tree, "build-asan")
        if not os.path.isdir(asan):
            subprocess.run(["meson", "setup", "-Dwerror=false", "-Db_sanitize=address,undefined", "-Db_lundef=false",
                            asan], cwd=tree, check=True, stdout=subprocess.DEVNULL)
        if any(run(["ninja", "-C", b], 900) != 0 for b in (build, stub, asan)):
            sys.exit("mutate.py: the unmutated tree does not build")
        if any(sanitized_run(asan, path)[0] != 0 for path in {path for path, _, _ in targets}):
            sys.exit("mutate.py: the unmutated tree fails its tests in the ASan+UBSan build")
    counts = {}
    started = time.time()
    for path, first, last in targets:
        for n, what, new in mutants(os.path.join(repo, path)):
            if not first <= n <= last:
                continue
            original = open(os.path.join(repo, path)).read().split("\n")
            key = (path, original[n - 1].strip(), what)
            if listing:
                print(f"{path}:{n}: {what}: {new.strip()}")
                continue
            keys = (key, key + (new.strip(),))  # the line's change, or this one mutant of it
            sanitized = False
            if any(k in EQUIVALENT for k in keys):
                verdict = "equivalent"
            else:
                source = os.path.join(tree, path)
                text = open(source).read()
                lines = text.split("\n")
                lines[n - 1] = new
                try:
                    open(source, "w").write("\n".join(lines))
                    every = "install" in SUITES.get(path, [])
                    if run(["ninja", "-C", build] + ([] if every else TARGETS), 600) != 0:
                        verdict = "stillborn"
                    else:
                        # The GoogleTest suites first: they take a second.
                        verdict = "survived"
                        # One shell suite at a time: meson's --maxfail counts no timeout, so a mutant that
                        # loops would otherwise run every suite to its end.
                        for suites in [["unit", "fault"]] + [[s] for s in SUITES.get(path, ["cli"])]:
                            rc = run(["meson", "test", "-C", build, "--no-rebuild", "--maxfail", "1", "--timeout-multiplier", "0.25"]
                                     + suites, 900)
                            # A suite slowed past its quarter time by the machine's load is no kill: again
                            # with half its time (cli_file, the slowest, took 57 s of its 300 under two
                            # trees' load), which a mutant that loops still exceeds.
                            if rc != 0 and timed_out_only(build):
                                rc = run(["meson", "test", "-C", build, "--no-rebuild", "--maxfail", "1",
                                          "--timeout-multiplier", "0.5"] + suites, 900)
                            if rc != 0:
                                verdict = "killed"
                                break
                        # A survivor faces the stub build's tests too (a file it does not compile is no kill).
                        if verdict == "survived" and run(["ninja", "-C", stub, "capguard", "test/unit_test"], 600) == 0:
                            rc = run(["meson", "test", "-C", stub, "--no-rebuild", "unit", "cli"], 900)
                            verdict = "survived" if rc == 0 else "killed"
                        # And the ASan+UBSan build's, as CI runs them: a read or write past an array, or at a
                        # misaligned address, that the plain build's tests pass over.
                        if verdict == "survived" and run(["ninja", "-C", asan] + ([] if every else TARGETS[:3]), 900) == 0:
                            rc, reported = sanitized_run(asan, path)
                            sanitized = rc != 0 and reported
                            verdict = "killed" if sanitized else "survived"
                finally:
                    open(source, "w").write(text)
            counts.setdefault(path, {}).setdefault(verdict, 0)
            counts[path][verdict] += 1
            print(f"{verdict:10s} {path}:{n}: {what}: {new.strip()}{' (sanitized build)' if sanitized else ''}", flush=True)
    if listing:
        return
    print(f"\n{'file':24s} killed survived equivalent stillborn  score")
    total = {}
    for path, c in counts.items():
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
        rows = [(path, c)]
        for name, row in rows:
            k, s = row.get("killed", 0), row.get("survived", 0)
            score = f"{100 * k / (k + s):5.1f}%" if k + s else "    -"
            print(f"{name:24s} {k:6d} {s:8d} {row.get('equivalent', 0):10d} {row.get('stillborn', 0):9d} {score}")
    k, s = total.get("killed", 0), total.get("survived", 0)
    print(f"{'all':24s} {k:6d} {s:8d} {total.get('equivalent', 0):10d} {total.get('stillborn', 0):9d} "
          f"{100 * k / max(k + s, 1):5.1f}%")
    print(f"time: {time.time() - started:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
