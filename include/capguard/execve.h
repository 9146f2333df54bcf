// capguard: what a program will hold after execve(2), from the caller's
// credentials and the file's set-id bits and capabilities (fs/exec.c,
// security/commoncap.c).
#ifndef CAPGUARD_EXECVE_H_
#define CAPGUARD_EXECVE_H_

#include <stdint.h>

#include "capguard/capset.h"
#include "capguard/drop.h"
#include "capguard/error.h"
#include "capguard/filecaps.h"

namespace capguard {

// A rootid that no uid here maps to: find_exec_file()'s mark for
// capabilities that belong to another user namespace, which execve ignores.
inline constexpr uint32_t kForeignRootid = 0xffffffff;

// What decides an execve(2): the caller's side.
struct Creds {
  State caps;
  uint32_t uid = 0, euid = 0, gid = 0, egid = 0;  // real and effective
  uint32_t groups[kMaxGroups] = {};               // supplementary
  int group_count = 0;
  unsigned long securebits = 0;
  bool no_new_privs = false;
  int last_cap = 63;  // 0..63, the running kernel's: it ignores file capabilities past it
};

// The calling thread's Creds. Errors: those of read_thread() and
// kernel_last_cap(), read_ids, read_groups, too_many_groups,
// read_securebits, read_no_new_privs.
CAPGUARD_EXPORT Result read_creds(Creds* out);

// The mode bits execve(2) honours (fs/exec.c, bprm_fill_uid()): set-uid,
// and set-gid with the group execute bit, without which it marks mandatory
// locking instead.
constexpr bool is_setuid(uint32_t mode) { return (mode & 04000) != 0; }
constexpr bool is_setgid(uint32_t mode) { return (mode & 02010) == 02010; }

// What decides an execve(2): the file's side. For a script, the interpreter's
// file, which is the one the kernel takes credentials from.
struct ExecFile {
  char path[4096];  // PATH_MAX
  FileCaps caps;
  uint32_t mode = 0, uid = 0, gid = 0;
  bool nosuid = false;  // on a nosuid mount: set-id bits and file capabilities ignored
};

// The file execve(2) would run for `command`: found in the PATH of `envp` as
// exec_path() finds it (capguard/exec.h), executable by the caller
// (faccessat2(2) with AT_EACCESS), followed through up to five "#!" lines
// as the kernel does (binfmt_misc interpreters are not). Capabilities that
// getxattr will not show here come back as rootid kForeignRootid.
// Errors: exec_not_found, exec_denied, exec_failed (with the errno execve
// would give, e.g. ELOOP), with `what` the interpreter when it is the one
// missing; statfs, getxattr, filecaps_*.
CAPGUARD_EXPORT Result find_exec_file(const char* command, char* const envp[], ExecFile* out);

// Where a capability of the new program's permitted set comes from.
enum class Reason : uint8_t { file, setuid_root, root, ambient };
inline constexpr int kReasonCount = 4;

// What the program will start with.
struct Exec {
  int error = 0;   // the errno execve(2) will fail with, 0 when it runs
  CapSet missing;  // error EPERM: the file's permitted capabilities it cannot have
  State caps;
  uint32_t uid = 0, gid = 0;  // the effective ids
  CapSet reasons[kReasonCount];
  const char* ignored = nullptr;  // why the file's capabilities or set-id bits do not count
};

// execve(2)'s credential rules, pure: fs/exec.c bprm_fill_uid() and
// security/commoncap.c cap_bprm_creds_from_file() as of Linux 6.18, each
// rule citing its function. A revision 3 rootid other than 0 is taken as
// another namespace's, though the kernel also honours the root of an
// ancestor namespace that maps to a uid here. Not modelled: LSMs (SELinux,
// AppArmor), a ptracer, a shared fs_struct (LSM_UNSAFE_SHARE), binfmt_misc,
// idmapped mounts and mounts of another user namespace, ids without a
// mapping here, a fsgid other than the egid, and the older rule (Linux 6.1
// among others) that also counts a program as set-id when the caller's real
// uid or gid differs from the effective one (setpriv --euid).
CAPGUARD_EXPORT Exec predict_exec(const Creds& caller, const ExecFile& file);

// The credentials `plan` leaves a caller with `now`: what predict_exec()
// takes to tell what a command run after it will hold.
// Pure.
CAPGUARD_EXPORT Creds planned_creds(const Creds& now, const Plan& plan);

}  // namespace capguard

#endif  // CAPGUARD_EXECVE_H_
