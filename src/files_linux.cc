// File capabilities and the files execve(2) would run: the Linux calls
// behind capguard/filecaps.h and src/files.h.
#include <errno.h>
#include <fcntl.h>

#include "capguard/execve.h"
#include "files.h"
#include "sys.h"
#include "text.h"

namespace capguard {
namespace {

constexpr size_t kPathMax = sizeof ExecFile::path;
constexpr uint32_t kTypeMask = 0170000, kDir = 0040000, kRegular = 0100000, kSymlink = 0120000;

// The interpreter a "#!" line names (fs/binfmt_script.c: the first word
// after "#!", blanks skipped), copied into `out`; false when the file has no
// such line. -errno when it cannot be read.
long interpreter(const char* path, char (&out)[kPathMax]) {
  char head[256];  // BINPRM_BUF_SIZE: the kernel reads no more
  long fd = sys::open_read(path);
  if (fd == -EACCES) return 0;  // execute-only: the kernel reads it, we cannot
  if (fd < 0) return fd;
  long n = sys::read(static_cast<int>(fd), head, sizeof head);
  (void)sys::close(static_cast<int>(fd));
  if (n < 2 || head[0] != '#' || head[1] != '!') return n < 0 ? n : 0;
  long i = 2;
  while (i < n && (head[i] == ' ' || head[i] == '\t')) ++i;
  long end = i;
  while (end < n && head[end] != ' ' && head[end] != '\t' && head[end] != '\n' && head[end] != '\0') ++end;
  if (end == i) return -ENOEXEC;
  text::Writer w(out, sizeof out);
  w.put(head + i, static_cast<size_t>(end - i));
  (void)w.finish();
  return 1;
}

// search_path()'s attempt: `path`, when the caller may execute it and it is
// a regular file, with its mode and owner, in ExecFile `ctx`.
long executable(const char* path, void* ctx) {
  auto* out = static_cast<ExecFile*>(ctx);
  sys::FileStat st{};
  long rc = sys::may_exec(path);
  if (rc == 0) rc = sys::file_stat(path, &st);
  if (rc == 0 && (st.mode & kTypeMask) != kRegular) rc = -EACCES;
  if (rc < 0) return rc;
  out->mode = st.mode, out->uid = st.uid, out->gid = st.gid;
  text::Writer w(out->path, sizeof out->path);
  if (path != out->path) w.put(path), (void)w.finish();
  return 0;
}

}  // namespace

Result read_file_caps(const char* path, FileCaps* out, Links links) {
  uint8_t value[24];  // XATTR_CAPS_SZ_3, the largest
  long n = links == Links::follow ? sys::getxattr(path, value, sizeof value)
                                  : sys::lgetxattr(path, value, sizeof value);
  // No attribute, or a filesystem that keeps none.
  if (n == -ENODATA || n == -EOPNOTSUPP) {
    *out = FileCaps{};
    return Result::success();
  }
  if (n < 0) return Result::sys_failure(Error::getxattr, path, n);
  return parse_file_caps(value, static_cast<size_t>(n), out).with_what(path);
}

Result find_exec_file(const char* command, char* const envp[], ExecFile* out) {
  // A "#!" line's interpreter is opened as written: relative to the working
  // directory when it has no slash, never through PATH.
  char here_path[] = "PATH=.";
  char* here[] = {here_path, nullptr};
  // The kernel's depth limit: a fifth interpreter that is a script too is
  // refused with ELOOP (fs/exec.c, exec_binprm()).
  for (int depth = 0;; ++depth) {
    Result r = search_path(depth == 0 ? command : out->path, depth == 0 ? envp : here, executable, out);
    if (!r.ok()) return depth == 0 ? r : r.with_what(out->path);  // the interpreter
    char next[kPathMax];
    long rc = interpreter(out->path, next);
    if (rc < 0) return Result::sys_failure(Error::exec_failed, "execve", rc);
    if (rc == 0) break;
    if (depth == 5) return Result::sys_failure(Error::exec_failed, "execve", -ELOOP);
    for (size_t i = 0; i < sizeof next; ++i) out->path[i] = next[i];
  }
  long rc = sys::nosuid(out->path);
  if (rc < 0) return Result::sys_failure(Error::statfs, out->path, rc);
  out->nosuid = rc == 1;
  Result r = read_file_caps(out->path, &out->caps);
  // Capabilities whose rootid owns neither this user namespace nor an
  // ancestor: getxattr refuses to show them (cap_inode_getsecurity()), and
  // execve ignores them (get_vfs_caps_from_disk()).
  if (r.sys_errno == EOVERFLOW) out->caps = {{}, {}, false, 3, kForeignRootid};
  return r.sys_errno == EOVERFLOW ? Result::success() : r;
}

void scan_tree(const char* root, void (*found)(const ScanFile& file, void* ctx),
               void (*failed)(const Result& r, void* ctx), void* ctx) {
  char path[kPathMax];
  text::Writer w(path, sizeof path);
  w.put(root);
  size_t len = w.finish();
  if (len >= sizeof path) return failed(Result::sys_failure(Error::open, root, -ENAMETOOLONG), ctx);
  // Each level adds at least two bytes to the path.
  uint16_t lens[kPathMax / 2];  // per level: the length of its path
  int64_t offsets[kPathMax / 2];
  int depth = 0;
  lens[0] = static_cast<uint16_t>(len), offsets[0] = 0;
  uint64_t dev = 0;  // the root's filesystem
  // The file at `path`, `name` in directory `dir` (AT_FDCWD for the root);
  // true when it is a directory to walk into: on the root's mount.
  auto visit = [&](int dir, const char* name) {
    sys::FileStat st{};
    long rc = sys::link_stat(dir, name, &st);
    Result r = rc < 0 ? Result::sys_failure(Error::stat, path, rc) : Result::success();
    if (r.ok() && dir == AT_FDCWD) dev = st.dev;
    if (r.ok() && dir == AT_FDCWD && (st.mode & kTypeMask) == kSymlink) r = Result::failure(Error::symlink_root);
    if (r.ok() && (st.mode & kTypeMask) == kDir) return dir == AT_FDCWD || (!st.mount_root && st.dev == dev);
    ScanFile file{path, st.mode, st.uid, st.gid, {}};
    if (r.ok() && (st.mode & kTypeMask) == kRegular) r = read_file_caps(path, &file.caps, Links::no_follow);
    if (!r.ok()) failed(r.what == nullptr ? r.with_what(path) : r, ctx);
    if (r.ok() && (st.mode & kTypeMask) == kRegular &&
        (file.caps.revision != 0 || is_setuid(st.mode) || is_setgid(st.mode)))
      found(file, ctx);
    return false;
  };
  if (!visit(AT_FDCWD, path)) return;
  for (;;) {
    long fd = sys::open_dir(path);
    bool down = false;
    if (fd < 0) failed(Result::sys_failure(Error::open, path, fd), ctx);
    long n = fd < 0 ? 0 : sys::seek(static_cast<int>(fd), offsets[depth]);
    abi::Dirent buf[4096 / sizeof(abi::Dirent)];
    while (!down && n >= 0 && fd >= 0 && (n = sys::read_dir(static_cast<int>(fd), buf, sizeof buf)) > 0) {
      for (long at = 0; at < n && !down;) {
        const auto* d = reinterpret_cast<const abi::Dirent*>(reinterpret_cast<const char*>(buf) + at);
        at += d->reclen;
        offsets[depth] = d->off;
        const char* name = d->name;
        if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
        if (d->type != abi::kDtUnknown && d->type != abi::kDtDir && d->type != abi::kDtReg) continue;
        text::Writer child(path + len, sizeof path - len);
        child.append(len > 0 && path[len - 1] == '/' ? "" : "/", name);
        if (len + child.finish() >= sizeof path) {
          path[len] = '\0';
          failed(Result::sys_failure(Error::open, path, -ENAMETOOLONG), ctx);
          continue;
        }
        len += child.written();
        down = visit(static_cast<int>(fd), name);
        if (down) ++depth, lens[depth] = static_cast<uint16_t>(len), offsets[depth] = 0;
        if (!down) path[len = lens[depth]] = '\0';
      }
    }
    if (n < 0 && fd >= 0) failed(Result::sys_failure(Error::read, path, n), ctx);
    if (fd >= 0) (void)sys::close(static_cast<int>(fd));
    if (down) continue;
    if (depth == 0) return;
    path[len = lens[--depth]] = '\0';
  }
}

}  // namespace capguard
