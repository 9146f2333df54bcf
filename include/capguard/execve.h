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

// A rootid that the kernel does not count here: find_exec_file()'s mark for
// capabilities of another user namespace, which execve ignores.
inline constexpr uint32_t kForeignRootid = 0xffffffff;

// What decides an execve(2): the caller's side.
struct Creds {
  State caps;
  uint32_t uid = 0, euid = 0, gid = 0, egid = 0;  // real and effective
  // Supplementary. A count over kMaxGroups is that many, too many to hold:
  // groups[] is then empty.
  uint32_t groups[kMaxGroups] = {};
  int group_count = 0;
  unsigned long securebits = 0;
  bool no_new_privs = false;
  int last_cap = 63;  // 0..63, the running kernel's: it ignores file capabilities past it
  // Linux before 6.17 (commit 337490f0007f): the ids count as changed when
  // the new effective ids are not the caller's real ones.
  bool real_id_rule = false;
};

// The calling thread's Creds, from system calls alone: the sets with
// read_thread_syscalls() (bounding and ambient only when in `sets`, as
// there), the last capability with kernel_last_cap(), never from /proc,
// which a mount namespace can fake. Errors: those of read_thread_syscalls()
// and kernel_last_cap(), read_ids, read_groups, read_securebits,
// read_no_new_privs.
CAPGUARD_EXPORT Result read_creds(Creds* out, SetMask sets = kAllSets);

// The mode bits execve(2) honours (fs/exec.c, bprm_fill_uid()): set-uid,
// and set-gid with the group execute bit, without which it marks mandatory
// locking instead.
constexpr bool is_setuid(uint32_t mode) { return (mode & 04000) != 0; }
constexpr bool is_setgid(uint32_t mode) { return (mode & 02010) == 02010; }

// The most "#!" lines the kernel follows from one execve(2): a fifth
// interpreter that is a script too fails with ELOOP (fs/exec.c,
// exec_binprm()).
inline constexpr int kMaxInterpreters = 5;
// BINPRM_BUF_SIZE: the bytes of a file the kernel reads for its "#!" line.
inline constexpr size_t kScriptHead = 256;

// A "#!" line as fs/binfmt_script.c load_script() splits it.
struct Interpreter {
  char text[kScriptHead + 1];  // the interpreter's path, a NUL, its argument
  uint16_t arg = 0;            // where the argument starts in text; 0: the line has none
};

// What decides an execve(2): the file's side, held open so that the file
// predicted is the file that runs.
struct ExecFile {
  char path[4096];                             // COMMAND's file, as execve(2) would be given it (PATH_MAX)
  Interpreter interpreters[kMaxInterpreters];  // the "#!" lines, COMMAND's first
  int depth = 0;                               // how many
  // The file that runs: COMMAND's, or for a script its last interpreter's,
  // whose credentials the kernel takes. Opened by find_exec_file() with
  // sys::open_read()'s flags, owned by the caller; -1 when none is open.
  // Close-on-exec: should it become a script after it was read, execveat
  // fails (ENOENT, BINPRM_FLAGS_PATH_INACCESSIBLE) rather than run another
  // file.
  int fd = -1;
  FileCaps caps;                        // rootid 0 when the kernel counts them here, else kForeignRootid
  uint32_t mode = 0, uid = 0, gid = 0;  // as `fd` shows them: through its mount's idmap, if any
  bool nosuid = false;                  // on a nosuid mount: set-id bits and file capabilities ignored
  const char* name() const { return depth == 0 ? path : interpreters[depth - 1].text; }  // of `fd`
};

// Finds, opens and reads the file execve(2) would run for `command`, once:
// found in the PATH of `envp` as exec_path() finds it (capguard/exec.h):
// the first that is a regular file the `caller` (the calling thread) may
// execute, as execve judges, with faccessat2(2)'s AT_EACCESS; then
// followed through its "#!" lines as the kernel follows them
// (binfmt_misc's interpreters are not). Each file of the chain is opened
// once, O_PATH to judge it, then read through a descriptor that is checked
// to be that same file, and everything predict_exec() needs is read from
// the last one, which stays open in `out->fd` for exec_file(). What cannot
// be read is refused, never taken for nothing.
// Errors: exec_not_found, exec_denied (as exec_path()); access (faccessat2
// refused, and faccessat(2), which judges with the real ids, would not give
// execve's answer); unreadable (a file of the chain cannot be read, so
// whether it is a script cannot be told); replaced (a file changed between
// the two opens); not_elf (ENOEXEC: neither "#!" nor ELF, which only
// binfmt_misc would run); exec_failed (a malformed "#!" line, ENOEXEC; a chain too
// deep, ELOOP; an interpreter missing or not executable, with `what` it);
// statfs, getxattr, filecaps_*; rootid (whether a revision 3 rootid is the
// root of an ancestor user namespace cannot be asked: `what` is the call
// that failed). On error nothing is left open.
CAPGUARD_EXPORT Result find_exec_file(const char* command, char* const envp[], const Creds& caller, ExecFile* out);

// Runs `file` (from find_exec_file()) with execveat(2) on its descriptor,
// with the arguments the kernel would give it: for a script, each
// interpreter's path and argument before COMMAND's path, which replaces
// argv[0]. `argv` is COMMAND's argument vector; the `room` pointers before
// argv[0] are free for the interpreters' words. Returns only on failure:
// too_many_interpreters (their words need more than `room`), or
// exec_failed with `what` "execve" (ENOENT: the file is there, so a file it
// needs is not, such as its ELF interpreter; ENOSYS: no execveat, and the
// file's /proc/self/fd link may not stand in, since /proc is no proc file
// system, or the file is not owned by root or is writable by group or
// others). Async-signal-safe.
CAPGUARD_EXPORT Result exec_file(ExecFile& file, char** argv, size_t room, char* const envp[]);

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
  const char* unknown = nullptr;  // why the outcome cannot be told: refuse to run it
};

// execve(2)'s credential rules, pure: fs/exec.c bprm_fill_uid() and
// security/commoncap.c cap_bprm_creds_from_file() as of Linux 6.18, each
// rule citing its function, with the older kernels' rule for a change of ids
// when Creds::real_id_rule is set. A revision 3 rootid other than 0 is taken as
// another namespace's (find_exec_file() sets 0 for those the kernel counts).
// `unknown` is set when a set-gid program's group must be looked up among
// more supplementary groups than Creds holds. Not modelled: LSMs (SELinux,
// AppArmor), a ptracer, a shared fs_struct (LSM_UNSAFE_SHARE), binfmt_misc,
// idmapped mounts and mounts of another user namespace, ids without a
// mapping here, and a fsgid other than the egid.
CAPGUARD_EXPORT Exec predict_exec(const Creds& caller, const ExecFile& file);

// The credentials `plan` leaves a caller with `now`: what predict_exec()
// takes to tell what a command run after it will hold.
// Pure.
CAPGUARD_EXPORT Creds planned_creds(const Creds& now, const Plan& plan);

}  // namespace capguard

#endif  // CAPGUARD_EXECVE_H_
