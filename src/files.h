// Finding files: the PATH search execve(2) callers make, and the walk of a
// tree for the files that grant privilege at execve.
#ifndef CAPGUARD_SRC_FILES_H_
#define CAPGUARD_SRC_FILES_H_

#include "capguard/error.h"
#include "capguard/execve.h"

namespace capguard {

// PATH_MAX on Linux: execve(2) refuses longer paths (ENAMETOOLONG).
inline constexpr size_t kPathMax = 4096;

// Calls `attempt(path, ctx)`, which returns -errno or 0 for found, with
// `path` holding `file`, or when it has no slash each PATH entry of `envp`
// joined with it (default "/usr/local/bin:/bin:/usr/bin"), as execvp(3)
// does: a missing entry means "look further", a match that cannot be run is
// remembered, and anything else ends the search; on success `path` holds
// the match. Errors: exec_not_found, exec_denied, exec_failed, as
// exec_path() (capguard/exec.h). Async-signal-safe.
Result search_path(const char* file, char* const envp[], char (&path)[kPathMax],
                   long (*attempt)(const char* path, void* ctx), void* ctx);

// The interpreter and argument of a file whose first kScriptHead bytes
// (NUL past its end) are `head`, as fs/binfmt_script.c load_script() splits
// them: 1 with them in `out`, 0 when it has no "#!", -ENOEXEC when the
// line has no interpreter or, without a newline, one cut at the buffer's
// end. Pure.
long parse_script_line(const char (&head)[kScriptHead], Interpreter* out);

// A file that gains privileges at execve: set-uid, set-gid (with the group
// execute bit, without which the kernel ignores it), or file capabilities,
// or one whose capabilities could not be read (`caps_unknown`, `caps` empty).
struct ScanFile {
  const char* path;
  uint32_t mode, uid, gid;
  FileCaps caps;
  bool caps_unknown;
};

// Calls found() for each such regular file under `root` (or `root` itself),
// in directory order, and failed() for each path it cannot read (before
// found() for a file whose capabilities it cannot read), and goes
// on. It stays on the mount `root` is on and follows no symlink; a `root`
// on proc or sysfs it does not walk, and calls failed() with
// Error::pseudo_fs, a note rather than a failure. Memory is fixed whatever
// the tree: one path buffer and, per level, the offset to resume its
// directory at, for 256 levels below `root` (a deeper directory is not
// walked: failed() gets Error::too_deep); a directory is reopened by path
// after each subtree, so no descriptor stays open. Linux only; elsewhere
// failed() gets Error::unsupported.
void scan_tree(const char* root, void (*found)(const ScanFile& file, void* ctx),
               void (*failed)(const Result& r, void* ctx), void* ctx);

}  // namespace capguard

#endif  // CAPGUARD_SRC_FILES_H_
