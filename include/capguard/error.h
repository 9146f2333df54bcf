// capguard: errors. Every fallible call returns a Result; errno never leaks
// out of the library, it travels inside the Result that names the failure.
#ifndef CAPGUARD_ERROR_H_
#define CAPGUARD_ERROR_H_

#include <stdint.h>

// The library's symbols are hidden unless marked as its public API.
#define CAPGUARD_EXPORT __attribute__((visibility("default")))

namespace capguard {

// One list makes both the enum and its message table (error.cc), so the two
// cannot drift apart: each error's name and its phrase for format_error().
// The status_* errors' `what` is "status text" or the file it came from;
// apply()'s steps (capguard/drop.h) follow bad_plan in their order, spawn()'s
// the verify_* errors.
// A Result's `what` names the call, file or securebit the error is about
// ("prctl(PR_CAPBSET_DROP)", "/etc/passwd", "SECBIT_KEEP_CAPS_LOCKED").
#define CAPGUARD_ERRORS(X)                                                                                  \
  X(ok, "ok")                                                                                               \
  X(unexpected_capability, "capability outside the allowlist")                                              \
  X(unsupported, "not supported on this system")                                                            \
  X(unknown_capability, "unknown capability")                                                               \
  X(unknown_set, "unknown capability set")                                                                  \
  X(bad_hex, "not a 64-bit hex value")                                                                      \
  X(filecaps_length, "file capabilities: not the length of their revision")                                 \
  X(filecaps_revision, "file capabilities: not revision 1, 2 or 3")                                         \
  X(filecaps_flags, "file capabilities: a flag other than effective")                                       \
  X(status_missing_line, "line missing")                                                                    \
  X(status_bad_digit, "value is not hex")                                                                   \
  X(status_too_many_digits, "value has over 16 digits")                                                     \
  X(status_empty_value, "value is empty")                                                                   \
  X(status_duplicate_line, "line appears twice")                                                            \
  X(status_truncated, "text ends inside a line")                                                            \
  X(status_no_threads, "no Threads line")                                                                   \
  X(open, "cannot open")                                                                                    \
  X(read, "cannot read")                                                                                    \
  X(write, "cannot write the output")                                                                       \
  X(stat, "cannot read the file's mode")                                                                    \
  X(getxattr, "cannot read the file capabilities")                                                          \
  X(statfs, "cannot read the mount flags")                                                                  \
  X(symlink_root, "no longer returned: scan follows a symlink given as PATH")                               \
  X(pseudo_fs, "proc or sysfs: not scanned")                                                                \
  X(fs_type, "cannot read the file system type")                                                            \
  X(too_deep, "deeper than the 256 levels scan walks")                                                      \
  X(read_caps, "cannot read the capability sets")                                                           \
  X(read_bounding, "cannot read the bounding set")                                                          \
  X(read_ambient, "cannot read the ambient set")                                                            \
  X(exec_not_found, "command not found")                                                                    \
  X(exec_denied, "command not executable")                                                                  \
  X(exec_failed, "cannot execute command")                                                                  \
  X(access, "cannot ask if the effective ids may execute it")                                               \
  X(unreadable, "cannot read it to tell what it runs")                                                      \
  X(replaced, "replaced while being checked")                                                               \
  X(rootid, "cannot tell if its rootid is an ancestor namespace's root")                                    \
  X(too_many_interpreters, "more #! words than capguard has room for")                                      \
  X(not_elf, "not an ELF file or a #! script: binfmt_misc's choice of interpreter is not predicted")        \
  X(setid_caller, "set-uid or set-gid, and run by another user: refusing to run a program (chmod u-s,g-s)") \
  X(unknown_user, "no such user")                                                                           \
  X(unknown_group, "no such group")                                                                         \
  X(user_without_group, "no entry gives its group; write UID:GID")                                          \
  X(bad_user, "not USER, UID, USER:GROUP or UID:GID")                                                       \
  X(too_many_groups, "more supplementary groups than capguard sets (256)")                                  \
  X(long_entry, "entry too long to read its name and home directory")                                       \
  X(bad_plan, "plan: ids out of range, a uid switch without a gid, or over 256 groups")                     \
  X(threads, "the process has other threads, whose credentials would not change")                           \
  X(read_ids, "cannot read the ids")                                                                        \
  X(read_securebits, "cannot read the securebits")                                                          \
  X(not_permitted, "cannot keep a capability that is not permitted")                                        \
  X(not_in_bounding, "cannot keep a capability outside the bounding set")                                   \
  X(securebit_set, "set by the caller, this securebit forbids a step; capguard never clears it")            \
  X(raise_effective, "cannot raise the effective set to the permitted one")                                 \
  X(bounding_drop, "cannot drop from the bounding set")                                                     \
  X(securebits, "cannot set the securebits")                                                                \
  X(keepcaps, "cannot set keep_caps")                                                                       \
  X(setgroups, "cannot set the groups")                                                                     \
  X(setgid, "cannot set the gid")                                                                           \
  X(setuid, "cannot set the uid")                                                                           \
  X(capset, "cannot set the capability sets")                                                               \
  X(ambient, "cannot set the ambient set")                                                                  \
  X(no_new_privs, "cannot set no_new_privs")                                                                \
  X(read_groups, "cannot read the groups")                                                                  \
  X(read_no_new_privs, "cannot read no_new_privs")                                                          \
  X(verify_caps, "verify: capability set differs from the plan")                                            \
  X(verify_ids, "verify: uid or gid differs from the plan")                                                 \
  X(verify_groups, "verify: supplementary groups differ from the plan")                                     \
  X(verify_flags, "verify: no_new_privs or securebits differ from the plan")                                \
  X(pipe, "cannot make the report pipe")                                                                    \
  X(signal_mask, "cannot set the signal mask")                                                              \
  X(fork, "cannot start the child")                                                                         \
  X(child_report, "cannot read the child's report")                                                         \
  X(subreaper, "cannot become a subreaper")                                                                 \
  X(wait, "cannot wait for the child")                                                                      \
  X(not_procfs, "not procfs: what is mounted there is not read")

enum class Error : uint8_t {
#define CAPGUARD_ERROR_NAME(name, message) name,
  CAPGUARD_ERRORS(CAPGUARD_ERROR_NAME)
#undef CAPGUARD_ERROR_NAME
};

// The phrase for `e`, e.g. "cannot set the uid"; never null.
CAPGUARD_EXPORT const char* error_message(Error e);

// The capability whose absence makes the step `e` fail with EPERM, e.g.
// "cap_setpcap" for bounding_drop; null when no single one does.
CAPGUARD_EXPORT const char* error_needs(Error e);

// Built through the named constructors below, never positionally.
struct [[nodiscard]] Result {
  Error code = Error::ok;
  int8_t set = -1;             // the Set an error is about, -1 when none
  int8_t cap = -1;             // the capability an error is about, -1 when none
  int sys_errno = 0;           // errno of the failed call, 0 when none failed
  const char* what = nullptr;  // the call or file that failed, static text; null when none

  constexpr Result() {}
  static constexpr Result success() { return Result(); }
  static constexpr Result failure(Error e, int set = -1, int cap = -1) { return Result(e, 0, nullptr, set, cap); }
  // A call that returned -errno `rc`, or a file it could not use.
  static constexpr Result sys_failure(Error e, const char* what, long rc) {
    return Result(e, static_cast<int>(-rc), what, -1, -1);
  }
  constexpr Result with_cap(int c) const { return Result(code, sys_errno, what, set, c); }
  constexpr Result with_what(const char* w) const { return Result(code, sys_errno, w, set, cap); }
  constexpr bool ok() const { return code == Error::ok; }

 private:
  constexpr Result(Error c, int e, const char* w, int s, int p)
      : code(c), set(static_cast<int8_t>(s)), cap(static_cast<int8_t>(p)), sys_errno(e), what(w) {}
};

}  // namespace capguard

#endif  // CAPGUARD_ERROR_H_
