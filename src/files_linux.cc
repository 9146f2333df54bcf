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

static_assert(sizeof ExecFile::path == kPathMax);
constexpr size_t kCapsValueMax = 24;  // XATTR_CAPS_SZ_3, the largest security.capability
constexpr uint32_t kTypeMask = 0170000, kDir = 0040000, kRegular = 0100000;
constexpr int kDacOverride = 1, kDacReadSearch = 2;  // CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
// How many levels below its root scan_tree() walks, keeping an offset, an
// inode and a place in its entry buffer for each: 6 KiB of stack.
// The 4 KiB path holds 256 levels of 15-byte names; the deepest directory of
// this Debian 12 machine's root file system, with Python packages
// installed, is 19 levels down.
constexpr int kMaxDepth = 256;
// Directories kept open at once by scan_tree(), one per level: far below
// RLIMIT_NOFILE's usual 1,024.
constexpr int kOpenLevels = 32;
// scan_tree()'s directory entries, all levels' in one buffer (halved when
// the inodes came, to keep the stack bound of test/cli_stack_test.sh: 1%
// slower on /usr), and the least it reads at once: room for the longest
// name's 280-byte record.
constexpr size_t kEntryBuffer = 2048, kLeastRead = 512;

// Whether faccessat(2), which judges with the real ids, gives the answer
// execve(2) gets with the effective ones: only when the ids are the same
// and the capabilities that pass permission checks come out the same, as
// access_override_creds() (fs/open.c) leaves them: cleared for a real uid
// other than 0, the permitted set for 0, unless SECBIT_NO_SETUID_FIXUP.
bool real_ids_answer(const Creds& c) {
  CapSet bypass{uint64_t{1} << kDacOverride | uint64_t{1} << kDacReadSearch};
  CapSet now{c.caps[Set::effective].bits & bypass.bits};
  CapSet then = (c.securebits & abi::kSecbitNoSetuidFixup) != 0 ? now
                : c.uid == 0                                    ? CapSet{c.caps[Set::permitted].bits & bypass.bits}
                                                                : CapSet{};
  return c.uid == c.euid && c.gid == c.egid && now == then;
}

// One file of a chain being looked up.
struct Lookup {
  const Creds* caller;
  sys::FileStat st;  // the match's
  bool refused;      // faccessat2 was refused, and faccessat cannot stand in
};

// search_path()'s attempt: 0 when `path` is a regular file the caller may
// execute, as execve(2) judges (fs/exec.c, do_open_execat(): a regular
// file, on a mount without noexec, with execute permission). Judged on a
// descriptor that neither reads nor has the side effects of opening (a
// device, a FIFO), whose identity open_judged() compares with the one it
// then reads.
long executable(const char* path, void* ctx) {
  auto* l = static_cast<Lookup*>(ctx);
  l->refused = false;
  // An empty interpreter ("#!" and nothing) is the working directory to
  // open_exec(), whose getname_kernel() allows the empty name: EACCES.
  long fd = sys::open_path(*path == '\0' ? "." : path);
  if (fd < 0) return fd;
  long rc = sys::fd_stat(static_cast<int>(fd), &l->st);
  if (rc == 0 && (l->st.mode & kTypeMask) != kRegular) rc = -EACCES;
  if (rc == 0) rc = sys::may_exec_fd(static_cast<int>(fd)), l->refused = rc == -ENOSYS || rc == -EPERM;
  (void)sys::close(static_cast<int>(fd));
  // ENOSYS before Linux 5.8; EPERM from a seccomp filter older than it.
  if (l->refused && real_ids_answer(*l->caller))
    rc = sys::may_exec_real(path), l->refused = rc == -ENOSYS || rc == -EPERM;
  return rc;
}

// `path`, which executable() judged to be `*judged`, opened for reading:
// the same file (device and inode), or -ESTALE. `*judged` then becomes what
// this descriptor shows (for the last file of a chain, the one that runs):
// an idmapped mount shows the same inode with another owner than an
// ordinary one does.
long open_judged(const char* path, sys::FileStat* judged) {
  long fd = sys::open_read(path);
  if (fd < 0) return fd;
  sys::FileStat st{};
  long rc = sys::fd_stat(static_cast<int>(fd), &st);
  if (rc == 0 && (st.dev != judged->dev || st.ino != judged->ino)) rc = -ESTALE;
  if (rc == 0) {
    *judged = st;
    return fd;
  }
  (void)sys::close(static_cast<int>(fd));
  return rc;
}

// Whether capabilities that getxattr shows here with a rootid other than 0
// count: the kernel honours a rootid that is the root of this user
// namespace or of any ancestor (commoncap.c, rootid_owns_currentns()), but
// shows one that maps to a uid here as that uid, whatever it is above. A
// child in a new user namespace, without mappings, asks the kernel: there
// the rootid maps to nothing, and getxattr (cap_inode_getsecurity()) shows
// it as revision 2 when it is this namespace's or an ancestor's root, and
// refuses with EOVERFLOW otherwise. 1 counts, 0 does not; or an error, with
// `*call` the call that failed.
long counts_here(int fd, const char** call) {
  int fds[2];
  long rc = sys::pipe_cloexec(fds);
  *call = "pipe2";
  if (rc < 0) return rc;
  long pid = sys::fork_bare();
  if (pid == 0) {
    long answer[2] = {sys::unshare_user(), 0};  // unshare(2)'s result, then fgetxattr(2)'s
    if (answer[0] == 0) {
      uint8_t value[kCapsValueMax];
      answer[1] = sys::fgetxattr(fd, value, sizeof value);
    }
    (void)sys::write_all(fds[1], reinterpret_cast<const char*>(answer), sizeof answer);
    sys::exit_now(0);
  }
  (void)sys::close(fds[1]);
  long answer[2] = {-EIO, 0};  // a child that died says nothing
  while (pid > 0 && sys::read(fds[0], answer, sizeof answer) == -EINTR) {
  }
  (void)sys::close(fds[0]);
  *call = "clone";
  if (pid < 0) return pid;
  // ECHILD: SIGCHLD ignored, the child reaped already; its answer is in.
  while (sys::wait_pid(pid) == -EINTR) {
  }
  *call = "unshare(CLONE_NEWUSER)";
  if (answer[0] < 0) return answer[0];
  *call = "fgetxattr in a new user namespace";
  return answer[1] >= 0 ? 1 : answer[1] == -EOVERFLOW ? 0 : answer[1];
}

// The capabilities a getxattr(2) of security.capability that returned `n`
// into `value` gives: none for no attribute or a filesystem that keeps
// none, which execve(2) reads with the same call and takes alike
// (commoncap.c, get_vfs_caps_from_disk()); the value parsed; or the error,
// with `what` the file.
Result caps_from_xattr(long n, const uint8_t* value, const char* what, FileCaps* out) {
  *out = FileCaps{};
  if (n == -ENODATA || n == -EOPNOTSUPP) return Result::success();
  if (n < 0) return Result::sys_failure(Error::getxattr, what, n);
  return parse_file_caps(value, static_cast<size_t>(n), out).with_what(what);
}

}  // namespace

Result read_file_caps(const char* path, FileCaps* out, Links links) {
  uint8_t value[kCapsValueMax];
  long n = links == Links::follow ? sys::getxattr(path, value, sizeof value)
                                  : sys::lgetxattr(path, value, sizeof value);
  return caps_from_xattr(n, value, path, out);
}

Result find_exec_file(const char* command, char* const envp[], const Creds& caller, ExecFile* out) {
  Lookup l{&caller, {}, false};
  out->depth = 0;
  out->fd = -1;
  auto fail = [out](Result r) {
    if (out->fd >= 0) (void)sys::close(out->fd);
    out->fd = -1;
    return r;
  };
  for (;;) {
    Result r = Result::success();
    const char* path = out->depth == 0 ? out->path : out->interpreters[out->depth - 1].text;
    if (out->depth == 0) {
      r = search_path(command, envp, out->path, executable, &l);
    } else if (long rc = executable(path, &l); rc < 0) {
      // A "#!" line's interpreter is opened as written, relative to the
      // working directory when it has no slash, never through PATH.
      Error e = rc == -ENOENT || rc == -ENOTDIR ? Error::exec_not_found
                : rc == -EACCES                 ? Error::exec_denied
                                                : Error::exec_failed;
      r = Result::sys_failure(e, path, rc);
    }
    if (l.refused) r = Result::sys_failure(Error::access, "faccessat2", -r.sys_errno);
    if (!r.ok()) return fail(r);
    if (out->fd >= 0) (void)sys::close(out->fd);  // a script: its interpreter runs
    out->fd = -1;
    long fd = open_judged(path, &l.st);
    if (fd < 0) return fail(Result::sys_failure(fd == -ESTALE ? Error::replaced : Error::unreadable, path, fd));
    out->fd = static_cast<int>(fd);
    out->mode = l.st.mode, out->uid = l.st.uid, out->gid = l.st.gid;
    char head[kScriptHead] = {};  // what the file does not fill stays NUL, as in the kernel's buffer
    long n;
    while ((n = sys::read(out->fd, head, sizeof head)) == -EINTR) {
    }
    if (n < 0) return fail(Result::sys_failure(Error::unreadable, path, n));
    Interpreter line;
    long rc = parse_script_line(head, &line);
    if (rc < 0) return fail(Result::sys_failure(Error::exec_failed, path, rc));
    // Anything else is the kernel's ENOEXEC, or binfmt_misc's to run with
    // credentials capguard does not predict (an interpreter's, or, run by a
    // close-on-exec descriptor, none: ENOENT).
    if (rc == 0 && !(head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F'))
      return fail(Result::sys_failure(Error::not_elf, path, -ENOEXEC));
    if (rc == 0) break;
    if (out->depth == kMaxInterpreters) return fail(Result::sys_failure(Error::exec_failed, path, -ELOOP));
    out->interpreters[out->depth++] = line;
  }
  long rc = sys::nosuid(out->fd);
  if (rc < 0) return fail(Result::sys_failure(Error::statfs, out->name(), rc));
  out->nosuid = rc == 1;
  uint8_t value[kCapsValueMax];
  long n = sys::fgetxattr(out->fd, value, sizeof value);
  // Capabilities whose rootid owns neither this user namespace nor an
  // ancestor: getxattr refuses to show them (cap_inode_getsecurity()), and
  // execve ignores them. Any other failure (EINVAL for a revision 1 value,
  // which execve honours) is a refusal.
  Result r = caps_from_xattr(n == -EOVERFLOW ? -ENODATA : n, value, out->name(), &out->caps);
  if (n == -EOVERFLOW) out->caps = {{}, {}, false, 3, kForeignRootid};
  if (r.ok() && out->caps.revision == 3 && out->caps.rootid != 0 && out->caps.rootid != kForeignRootid) {
    const char* call;
    rc = counts_here(out->fd, &call);
    if (rc < 0) r = Result::sys_failure(Error::rootid, call, rc);
    out->caps.rootid = rc == 1 ? 0 : kForeignRootid;
  }
  return r.ok() ? r : fail(r);
}

Result exec_file(ExecFile& f, char** argv, size_t room, char* const envp[]) {
  // fs/binfmt_script.c: each "#!" line puts its interpreter's path and
  // argument before the path the script was run by, in place of argv[0]:
  // the last interpreter's words come first.
  size_t need = 0;
  for (int i = 0; i < f.depth; ++i) need += f.interpreters[i].arg != 0 ? 2 : 1;
  if (need > room) return Result::failure(Error::too_many_interpreters);
  char** at = argv - need;
  for (int i = f.depth - 1; i >= 0; --i) {
    *at++ = f.interpreters[i].text;
    if (f.interpreters[i].arg != 0) *at++ = f.interpreters[i].text + f.interpreters[i].arg;
  }
  if (f.depth > 0) argv[0] = f.path;
  long rc = sys::execve_fd(f.fd, argv - need, envp);
  // No execveat (qemu-user before 8.0, Linux before 3.19): the same open
  // file through its /proc/self/fd link, which the kernel follows to the
  // file itself, not to a path; only on a proc filesystem, not one faked,
  // and only for a file owned by root (as `fd` shows it) and writable by
  // neither group nor others: the kernel reads it again there, and a "#!"
  // line written into it since would run an interpreter never checked,
  // which execveat of a close-on-exec descriptor refuses (ENOENT,
  // fs/binfmt_script.c).
  if (rc == -ENOSYS && f.uid == 0 && (f.mode & 022) == 0 && sys::fs_type("/proc/self/fd") == abi::kProcMagic) {
    char link[sizeof "/proc/self/fd/2147483647"];
    text::Writer w(link, sizeof link);
    w.append("/proc/self/fd/", text::Decimal{static_cast<uint64_t>(f.fd)});
    (void)w.finish();
    rc = sys::execve(link, argv - need, envp);
  }
  return Result::sys_failure(Error::exec_failed, "execve", rc);
}

void scan_tree(const char* root, void (*found)(const ScanFile& file, void* ctx),
               void (*failed)(const Result& r, void* ctx), void* ctx) {
  char path[kPathMax];
  text::Writer w(path, sizeof path);
  w.put(root);
  size_t len = w.finish();
  if (len >= sizeof path) return failed(Result::sys_failure(Error::open, root, -ENAMETOOLONG), ctx);
  uint16_t lens[kMaxDepth + 1];  // per level: the length of its path
  int64_t offsets[kMaxDepth + 1];
  // Per level: its directory's inode, as the walk first found it. Each
  // open is checked against it, so that a directory put in another's place
  // (or a symlink in an ancestor's, for one opened by path) is not walked.
  uint64_t inos[kMaxDepth + 1];
  // Per level up to kOpenLevels: its directory, kept open while a subtree
  // below is walked. A level is opened by name in its parent's; one whose
  // parent is not kept is opened by path, deeper ones reopened by path.
  int fds[kOpenLevels];
  // Entries read and not yet walked, per level: buf[from, to). The levels
  // share buf as a stack: a level's entries wait there while the subtrees
  // before them are walked, so that a directory come back to is not read
  // again, which costs ext4 a rebuild of its hash order (ext4_dx_readdir()).
  // A level reads into half the room above its parent's, leaving its
  // children room; one that finds less than kLeastRead left takes the whole
  // buffer, and the levels below it read theirs again from their offsets.
  // Per level, kAtEnd: its descriptor stands where its entries end;
  // kOpened: it was opened before, so a new descriptor starts over.
  alignas(abi::Dirent) char buf[kEntryBuffer];
  uint16_t from[kMaxDepth + 1], to[kMaxDepth + 1];
  constexpr uint8_t kAtEnd = 1, kOpened = 2;
  uint8_t state[kMaxDepth + 1];
  int depth = 0;
  lens[0] = static_cast<uint16_t>(len), offsets[0] = 0, fds[0] = -1, from[0] = to[0] = 0, state[0] = kAtEnd;
  uint64_t dev = 0;      // the root's filesystem
  bool xattr_at = true;  // until getxattrat(2) is found missing
  sys::FileStat st{};    // visit()'s last file, or the directory just opened
  // The file at `path`, `name` in directory `dir`, or the root (AT_FDCWD),
  // which is followed if a symlink, as find -H and getcap do; true when it
  // is a directory to walk into: on the root's mount.
  auto visit = [&](int dir, const char* name) {
    long rc = dir == AT_FDCWD ? sys::file_stat(name, &st) : sys::link_stat(dir, name, &st);
    // Removed since its directory was read, as while the subtrees listed
    // before it were walked: nothing to report.
    if (rc == -ENOENT && dir != AT_FDCWD) return false;
    Result r = rc < 0 ? Result::sys_failure(Error::stat, path, rc) : Result::success();
    if (r.ok() && dir == AT_FDCWD) dev = st.dev;
    if (r.ok() && (st.mode & kTypeMask) == kDir) return dir == AT_FDCWD || (!st.mount_root && st.dev == dev);
    ScanFile file{path, st.mode, st.uid, st.gid, {}, false};
    bool regular = r.ok() && (st.mode & kTypeMask) == kRegular;
    if (regular) {
      // The attribute of the file just stated, by name in its directory;
      // by path only on kernels before 6.13 (ENOSYS, or EPERM from a
      // seccomp filter older than getxattrat), as getcap reads it.
      uint8_t value[kCapsValueMax];
      long n = dir == AT_FDCWD ? sys::getxattr(path, value, sizeof value)
               : xattr_at      ? sys::getxattr_at(dir, name, value, sizeof value)
                               : -ENOSYS;
      if (dir != AT_FDCWD && (n == -ENOSYS || n == -EPERM))
        xattr_at = false, n = sys::lgetxattr(path, value, sizeof value);
      r = caps_from_xattr(n, value, path, &file.caps);
    }
    if (!r.ok()) failed(r, ctx);
    // A value getxattr refuses may still count at execve: a revision 1
    // value is EINVAL to cap_inode_getsecurity() (security/commoncap.c) and
    // read by get_vfs_caps_from_disk(). The file is listed all the same.
    file.caps_unknown = regular && !r.ok();
    if (regular && (file.caps.revision != 0 || file.caps_unknown || is_setuid(st.mode) || is_setgid(st.mode)))
      found(file, ctx);
    return false;
  };
  if (!visit(AT_FDCWD, path)) return;
  inos[0] = st.ino;
  // proc and sysfs hold the kernel's interfaces, not programs (and /proc a
  // tree per process). visit() enters no other mount, so the root's file
  // system is that of every directory the walk reaches.
  long type = sys::fs_type(path);
  if (type < 0) return failed(Result::sys_failure(Error::fs_type, path, type), ctx);
  if (type == abi::kProcMagic || type == abi::kSysfsMagic)
    return failed(Result::failure(Error::pseudo_fs).with_what(path), ctx);
  for (;;) {
    long fd = depth < kOpenLevels ? fds[depth] : -1;
    bool down = false, fresh = fd < 0;
    int parent = depth > 0 && depth <= kOpenLevels ? fds[depth - 1] : -1;
    if (fresh && parent >= 0) fd = sys::open_dir(parent, path + lens[depth - 1] + (path[lens[depth - 1]] == '/'));
    if (fresh && parent < 0) fd = depth == 0 ? sys::open_read(path) : sys::open_dir(AT_FDCWD, path);
    // Out of descriptors (a low RLIMIT_NOFILE): the kept ones are given back,
    // to be reopened by path.
    int kept = depth < kOpenLevels ? depth : kOpenLevels;
    for (int i = 0; fd == -EMFILE && i < kept; ++i) {
      if (fds[i] >= 0) (void)sys::close(fds[i]);
      fds[i] = -1;
      if (i == kept - 1) fd = sys::open_dir(AT_FDCWD, path);
    }
    if (fresh && fd >= 0) {
      long rc = sys::fd_stat(static_cast<int>(fd), &st);
      if (rc == 0 && (st.dev != dev || st.ino != inos[depth])) rc = -ESTALE;
      if (rc < 0) (void)sys::close(static_cast<int>(fd)), fd = rc;
    }
    if (fresh && (state[depth] & kOpened) != 0) state[depth] = 0;
    state[depth] |= kOpened;
    if (fd == -ESTALE) failed(Result::failure(Error::replaced).with_what(path), ctx);
    if (fd < 0 && fd != -ESTALE) failed(Result::sys_failure(Error::open, path, fd), ctx);
    long n = 0;
    while (!down && fd >= 0) {
      if (from[depth] == to[depth]) {
        if ((state[depth] & kAtEnd) == 0 && (n = sys::seek(static_cast<int>(fd), offsets[depth])) < 0) break;
        state[depth] |= kAtEnd;
        size_t base = depth == 0 ? 0 : to[depth - 1];
        if (sizeof buf - base < kLeastRead) {
          for (int i = 0; i < depth; ++i) {
            if (from[i] != to[i]) state[i] &= static_cast<uint8_t>(~kAtEnd);
            from[i] = to[i] = 0;
          }
          base = 0;
        }
        size_t room = sizeof buf - base;
        if (room / 2 >= kLeastRead) room /= 2;
        n = sys::read_dir(static_cast<int>(fd), reinterpret_cast<abi::Dirent*>(buf + base), room);
        if (n <= 0) break;
        from[depth] = static_cast<uint16_t>(base), to[depth] = static_cast<uint16_t>(base + static_cast<size_t>(n));
      }
      const auto* d = reinterpret_cast<const abi::Dirent*>(buf + from[depth]);
      from[depth] = static_cast<uint16_t>(from[depth] + d->reclen);
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
      // A directory deeper than that is named, never skipped unsaid.
      if (down && depth == kMaxDepth) {
        failed(Result::failure(Error::too_deep).with_what(path), ctx);
        down = false;
      }
      if (down)
        ++depth, lens[depth] = static_cast<uint16_t>(len), offsets[depth] = 0, inos[depth] = st.ino,
                 from[depth] = to[depth] = 0, state[depth] = kAtEnd;
      if (!down) path[len = lens[depth]] = '\0';
    }
    if (n < 0 && fd >= 0) failed(Result::sys_failure(Error::read, path, n), ctx);
    int level = down ? depth - 1 : depth;
    bool keep = down && level < kOpenLevels;
    if (keep) fds[level] = static_cast<int>(fd);
    if (fd >= 0 && !keep) (void)sys::close(static_cast<int>(fd));
    if (down && depth < kOpenLevels) fds[depth] = -1;
    if (down) continue;
    if (depth == 0) return;
    path[len = lens[--depth]] = '\0';
  }
}

}  // namespace capguard
