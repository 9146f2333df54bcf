// capguard: file capabilities, the security.capability extended attribute
// that setcap(8) writes and execve(2) reads (include/uapi/linux/capability.h,
// struct vfs_ns_cap_data; security/commoncap.c, get_vfs_caps_from_disk()),
// and what execve(2) will give a program.
#ifndef CAPGUARD_FILECAPS_H_
#define CAPGUARD_FILECAPS_H_

#include <stddef.h>
#include <stdint.h>

#include "capguard/capset.h"
#include "capguard/error.h"

namespace capguard {

struct FileCaps {
  CapSet permitted;
  CapSet inheritable;
  bool effective = false;  // VFS_CAP_FLAGS_EFFECTIVE: the program is capability-dumb
  int revision = 0;        // 1 (32-bit sets), 2 (64-bit), 3 (64-bit and a rootid)
  uint32_t rootid = 0;     // revision 3: root of the user namespace they belong to
};

// The attribute's value, as the kernel lays it out: little-endian 32-bit
// words, the revision in the top byte of the first and the flags in its low
// bits. Pure. Capabilities the running kernel does not know are kept.
// Errors: filecaps_length (not the size of its revision), filecaps_revision
// (not 1, 2 or 3), filecaps_flags (a flag other than effective).
CAPGUARD_EXPORT Result parse_file_caps(const uint8_t* value, size_t n, FileCaps* out);

// Whether a symlink at the end of a path is followed.
enum class Links : uint8_t { follow, no_follow };

// The file capabilities of `path`, revision 0 when it has none (a symlink
// not followed has none) or its filesystem keeps no attributes. execve(2)
// follows symlinks; getcap(8) does not. The
// kernel shows a revision 3 value whose rootid is this user namespace's root
// as revision 2 (cap_inode_getsecurity()), so rootid != 0 here means they
// belong to another namespace. Errors: getxattr (with the path) and those of
// parse_file_caps().
CAPGUARD_EXPORT Result read_file_caps(const char* path, FileCaps* out, Links links = Links::follow);

// What decides an execve(2): the caller's side.
struct Creds {
  State caps;
  uint32_t uid = 0, euid = 0, gid = 0, egid = 0;  // real and effective
  uint32_t groups[256] = {};                      // supplementary, as many as kMaxGroups
  int group_count = 0;
  unsigned long securebits = 0;
  bool no_new_privs = false;
  int last_cap = 63;  // the running kernel's: it ignores file capabilities past it
};

// The calling thread's Creds. Errors: those of read_thread_syscalls() and
// kernel_last_cap(), read_ids, read_groups, too_many_groups,
// read_securebits, read_no_new_privs.
CAPGUARD_EXPORT Result read_creds(Creds* out);

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
// (faccessat2(2) with AT_EACCESS), followed through up to four "#!" lines.
// Errors: exec_not_found, exec_denied, exec_failed (with the errno execve
// would give, e.g. ELOOP), stat, getxattr, filecaps_*.
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
// rule citing its function. Not modelled: LSMs (SELinux, AppArmor), a
// ptracer, a shared fs_struct (LSM_UNSAFE_SHARE), idmapped mounts, ids
// without a mapping in the caller's user namespace, and the older rule
// (Linux 6.1 among others) that also counts a program as set-id when the
// caller's real uid or gid differs from the effective one (setpriv --euid).
CAPGUARD_EXPORT Exec predict_exec(const Creds& caller, const ExecFile& file);

}  // namespace capguard

#endif  // CAPGUARD_FILECAPS_H_
