// Finding files: the PATH search execve(2) callers make, and the walk of a
// tree for the files that grant privilege at execve.
#ifndef CAPGUARD_SRC_FILES_H_
#define CAPGUARD_SRC_FILES_H_

#include "capguard/error.h"
#include "capguard/execve.h"

namespace capguard {

// Calls `attempt(path, ctx)`, which returns -errno or 0 for found, on `file`,
// or when it has no slash on each PATH entry of `envp` joined with it
// (default "/usr/local/bin:/bin:/usr/bin"), as execvp(3) does: a missing
// entry means "look further", a match that cannot be run is remembered, and
// anything else ends the search. Errors: exec_not_found, exec_denied,
// exec_failed, as exec_path() (capguard/exec.h). Async-signal-safe.
Result search_path(const char* file, char* const envp[], long (*attempt)(const char* path, void* ctx), void* ctx);

// A file that gains privileges at execve: set-uid, set-gid (with the group
// execute bit, without which the kernel ignores it), or file capabilities.
struct ScanFile {
  const char* path;
  uint32_t mode, uid, gid;
  FileCaps caps;
};

// Calls found() for each such regular file under `root` (or `root` itself),
// in directory order, and failed() for each path it cannot read, and goes
// on. It stays on the mount `root` is on, follows no symlink, and skips
// /proc and /sys. Memory is fixed whatever the tree: one path buffer and, per
// level, the offset to resume its directory at; a directory is reopened by
// path after each subtree, so no descriptor stays open. Linux only; elsewhere
// failed() gets Error::unsupported.
void scan_tree(const char* root, void (*found)(const ScanFile& file, void* ctx),
               void (*failed)(const Result& r, void* ctx), void* ctx);

}  // namespace capguard

#endif  // CAPGUARD_SRC_FILES_H_
