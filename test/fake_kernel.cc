// The sys layer (src/sys.h) of the fault tests: every call answers from the
// running test's FakeKernel (fake_kernel.h), in place of sys_posix.cc and
// sys_linux.cc.
#include "fake_kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <string>

#include "sys.h"

namespace capguard {
namespace {

test::FakeKernel* k = nullptr;  // the running test's

// What statx(2) answers next, from `stats`.
long next_stat(sys::FileStat* out) {
  if (k->stats.empty()) return -EBADF;
  *out = k->stats.front();
  k->stats.pop_front();
  return 0;
}

// The chain's directory `depth` levels below its root, "/r": its path is
// "/r" and "/d" that many times.
int chain_depth(const std::string& path) { return static_cast<int>(path.size() - 2) / 2; }
long chain_stat(int depth, sys::FileStat* out) {
  *out = {040755, 0, 0, 1, static_cast<uint64_t>(1 + depth), false};
  return 0;
}
long chain_open(const std::string& path) {
  int depth = chain_depth(path);
  if (auto emfile = k->emfile_at.find(depth); emfile != k->emfile_at.end()) return k->emfile_at.erase(emfile), -EMFILE;
  EXPECT_EQ(k->chain_open.count(k->file_fd + depth), 0u) << path << " opened twice";
  ++k->opens;
  k->chain_open[k->file_fd + depth] = path;
  k->chain_read.erase(k->file_fd + depth);
  return k->file_fd + depth;
}

// getdents64(2)'s records of `names` in `buf`, each of its type in `types`
// (unknown past its end): EINVAL, as the kernel's, when the first does not
// fit.
long put_entries(const std::vector<std::string>& names, abi::Dirent* buf, size_t n,
                 const std::vector<uint8_t>& types = {}) {
  size_t at = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    auto* d = reinterpret_cast<abi::Dirent*>(reinterpret_cast<char*>(buf) + at);
    auto reclen = static_cast<uint16_t>((offsetof(abi::Dirent, name) + name.size() + 1 + 7) / 8 * 8);
    if (at == 0 && reclen > n) return -EINVAL;
    EXPECT_LE(at + reclen, n);
    memset(d, 0, reclen);
    d->reclen = reclen;
    d->type = i < types.size() ? types[i] : abi::kDtUnknown;
    at += reclen;
    d->off = static_cast<int64_t>(at);
    memcpy(d->name, name.c_str(), name.size() + 1);
  }
  return static_cast<long>(at);
}

// What was asked to run, kept in the FakeKernel.
void exec_asked(const std::string& path, char* const argv[]) {
  k->exec_path = path;
  k->exec_argv.clear();
  for (char* const* a = argv; *a != nullptr; ++a) k->exec_argv.push_back(*a);
}

}  // namespace

void test::use_fake_kernel(FakeKernel* kernel) { k = kernel; }

namespace sys {

long open_read(const char* path) {
  if (k->chain > 0) return chain_open(path);
  k->last_path = path;
  if (k->open_errors.count(path)) return k->open_errors[path];
  if (!k->open_results.empty()) {
    long rc = k->open_results.front();
    k->open_results.pop_front();
    return rc;
  }
  ++k->opens;
  k->pos = 0;
  k->open_file = k->files.count(path) ? k->files[path] : k->file;
  return k->file_fd;
}

long read(int fd, void* buf, size_t n) {
  if (fd >= 5) {  // a read end (odd): spawn()'s and check_plan()'s pipe, run_as_init()'s `done`
    EXPECT_TRUE(fd % 2 == 1 && k->pipe_ends.count(fd)) << "a read of " << fd << ", no open read end";
    EXPECT_GT(n, 0u) << "a read of nothing";
    if (k->pipe_reads.empty()) {
      if (k->pipe_ended) {  // again after the end: a loop that would read forever
        ADD_FAILURE() << "a read past the end";
        abort();
      }
      k->pipe_ended = true;
      return 0;
    }
    auto [rc, bytes] = k->pipe_reads.front();
    k->pipe_reads.pop_front();
    if (rc < 0) return rc;
    n = std::min(n, bytes.size());
    memcpy(buf, bytes.data(), n);
    return static_cast<long>(n);
  }
  EXPECT_EQ(fd, k->file_fd);
  if (!k->read_results.empty()) {
    long rc = k->read_results.front();
    k->read_results.pop_front();
    if (rc != 0) return rc;
  }
  n = std::min({n, k->read_max, k->open_file.size() - k->pos});
  memcpy(buf, k->open_file.data() + k->pos, n);
  k->pos += n;
  return static_cast<long>(n);
}

long close(int fd) {
  if (k->pipe_ends.erase(fd)) return 0;
  if (k->dirs_open.erase(fd)) return ++k->closes, 0;
  if (k->chain_open.erase(fd)) return ++k->closes, 0;
  if (fd != k->file_fd) {
    EXPECT_LT(fd, 0) << "a close of a descriptor not opened here";
    return -EBADF;
  }
  ++k->closes;
  return 0;
}

long write(int fd, const void* buf, size_t n) {
  if (fd >= 5) {  // a write end (even): run_as_init()'s `go`
    EXPECT_TRUE(fd % 2 == 0 && k->pipe_ends.count(fd)) << "a write to " << fd << ", no open write end";
    return k->go_bytes += n, static_cast<long>(n);
  }
  EXPECT_EQ(fd, 2);
  k->stderr_text.append(static_cast<const char*>(buf), n);
  return static_cast<long>(n);
}
long getpid() { return k->pid; }
long file_stat(const char* path, FileStat* out) {
  if (k->chain > 0) return chain_stat(chain_depth(path), out);
  if (strcmp(path, "/proc/self/exe") != 0) return next_stat(out);
  out->mode = static_cast<uint32_t>(k->exe_mode);
  return k->exe_mode < 0 ? k->exe_mode : 0;
}
long open_path(const char* path) { return k->files.count(path) ? ++k->opens, k->file_fd : -ENOENT; }
long fd_stat(int fd, FileStat* out) {
  if (k->chain > 0) {
    long rc = chain_stat(fd - k->file_fd, out);
    if (fd - k->file_fd == k->replaced_at) out->ino += 1000;
    return rc;
  }
  EXPECT_EQ(fd, k->file_fd);
  return next_stat(out);
}
long read_link(const char* path, char* buf, size_t n) {
  if (k->fail.count("read_link")) return k->fail["read_link"];
  if (!k->links.count(path)) return -ENOENT;
  n = std::min(n, k->links[path].size());
  memcpy(buf, k->links[path].data(), n);
  return static_cast<long>(n);
}
long may_exec_fd(int) { return 0; }
long may_exec_real(const char*) { return -ENOENT; }
long nosuid(int fd) {
  EXPECT_EQ(fd, k->file_fd);
  return k->nosuid;
}
long fgetxattr(int fd, void* buf, size_t n) {
  EXPECT_EQ(fd, k->file_fd);
  if (k->xattr.empty()) return -ENODATA;
  if (n < k->xattr.size()) return -ERANGE;
  memcpy(buf, k->xattr.data(), k->xattr.size());
  return static_cast<long>(k->xattr.size());
}
long execve_fd(int fd, char* const argv[], char* const*) {
  exec_asked("fd " + std::to_string(fd), argv);
  return k->execveat_result;
}
long fork_bare() { return k->clone_result; }
long unshare_user() { return -EPERM; }
long fs_type(const char*) { return k->fs_type; }
long link_stat(int dir, const char* name, FileStat* out) {
  for (const auto& leaf : k->leaves)
    if (leaf.name == name && dir - k->file_fd == k->chain) {
      if (leaf.mode < 0) return leaf.mode;
      *out = {static_cast<uint32_t>(leaf.mode), 0, 0, 1, 1000, false};
      return 0;
    }
  if (k->chain == 0 || strcmp(name, "d") != 0 || !k->chain_open.count(dir)) return -ENOENT;
  return chain_stat(dir - k->file_fd + 1, out);
}
long open_dir(int dir, const char* name) {
  if (dir == AT_FDCWD && k->dirs.count(name)) {
    int fd = k->dir_fd;
    while (k->dirs_open.count(fd)) ++fd;
    k->dirs_open[fd] = name;
    k->dirs_read.erase(fd);
    return ++k->opens, fd;
  }
  if (k->chain == 0) return -ENOENT;
  if (dir == AT_FDCWD) return chain_open(name);
  EXPECT_EQ(k->chain_open.count(dir), 1u) << "a directory opened in " << dir << ", not open";
  return chain_open(k->chain_open[dir] + "/" + name);
}
// Back to the start, or past the one entry.
long seek(int fd, int64_t offset) {
  EXPECT_EQ(k->chain_open.count(fd), 1u);
  if (offset == 0) k->chain_read.erase(fd);
  if (offset != 0) k->chain_read.insert(fd);
  return offset;
}
// "d", a directory, then the end; the deepest has no entry.
long read_dir(int fd, abi::Dirent* buf, size_t n) {
  if (k->dirs_open.count(fd)) {
    if (!k->dirs_read.insert(fd).second) return k->fail.count("read_dir") ? k->fail["read_dir"] : 0;
    return put_entries(k->dirs[k->dirs_open[fd]], buf, n);
  }
  EXPECT_EQ(k->chain_open.count(fd), 1u);
  if (fd - k->file_fd == k->unreadable_at) return -EIO;
  if (!k->chain_read.insert(fd).second) return 0;
  if (fd - k->file_fd == k->chain) {
    std::vector<std::string> names;
    std::vector<uint8_t> types;
    for (const auto& leaf : k->leaves) names.push_back(leaf.name), types.push_back(leaf.type);
    return put_entries(names, buf, n, types);
  }
  constexpr uint16_t kReclen = 24;  // offsetof(Dirent, name) + "d" + NUL, rounded up to 8
  EXPECT_GE(n, kReclen);
  memset(buf, 0, kReclen);  // the name's NUL too
  buf->ino = static_cast<uint64_t>(fd - k->file_fd + 2);
  buf->off = 1;
  buf->reclen = kReclen;
  buf->type = abi::kDtDir;
  buf->name[0] = 'd';
  return kReclen;
}
long getxattr(const char*, void*, size_t) { return -ENODATA; }
long lgetxattr(const char*, void*, size_t) { return -ENODATA; }
long getxattr_at(int, const char*, void*, size_t) { return -ENODATA; }
long uname(struct utsname* out) {
  snprintf(out->release, sizeof out->release, "%s", k->release.c_str());
  return 0;
}
long personality() { return k->personality; }
long execve(const char* path, char* const argv[], char* const*) {
  exec_asked(path, argv);
  return -ENOENT;
}

namespace {

uint64_t get(uint32_t abi::CapData::*field) { return uint64_t{k->cap_data[1].*field} << 32 | k->cap_data[0].*field; }
void put(uint32_t abi::CapData::*field, uint64_t v) {
  k->cap_data[0].*field = static_cast<uint32_t>(v);
  k->cap_data[1].*field = static_cast<uint32_t>(v >> 32);
}
bool effective_has(int cap) { return (get(&abi::CapData::effective) >> cap) & 1; }

// A credential-changing call: records it, then fails as scripted, or as the
// kernel would without `cap` in the effective set (-1: none needed), or is
// ignored. Returns true when the change should happen.
bool change(const std::string& call, long* rc, int cap = -1) {
  k->calls.push_back(call);
  *rc = k->fail.count(call) ? k->fail[call] : cap >= 0 && !effective_has(cap) ? -EPERM : 0;
  return *rc == 0 && !k->ignore.count(call);
}

// A read scripted to fail: `call` at any time, `call` + "_late" only after
// a change (in the read-back).
long read_fails(const std::string& call) {
  if (k->fail.count(call)) return k->fail[call];
  return !k->calls.empty() && k->fail.count(call + "_late") ? k->fail[call + "_late"] : 0;
}

constexpr int kSetgid = 6, kSetuid = 7, kSetpcap = 8;

}  // namespace

long capget(abi::CapHeader* header, abi::CapData data[abi::kCapWords]) {
  EXPECT_EQ(header->version, abi::kCapVersion3);
  EXPECT_EQ(header->pid, 0);
  if (k->capget_result != 0) return k->capget_result;
  if (long rc = read_fails("capget")) return rc;
  data[0] = k->cap_data[0];
  data[1] = k->cap_data[1];
  return 0;
}

long capset(abi::CapHeader* header, const abi::CapData data[abi::kCapWords]) {
  EXPECT_EQ(header->version, abi::kCapVersion3);
  auto word = [&](uint32_t abi::CapData::*f) { return uint64_t{data[1].*f} << 32 | data[0].*f; };
  uint64_t e = word(&abi::CapData::effective), p = word(&abi::CapData::permitted), i = word(&abi::CapData::inheritable);
  long rc;
  bool go = change("capset", &rc);
  // cap_capset(): permitted only shrinks, effective within it, inheritable
  // within the old inheritable and bounding sets.
  if (rc == 0 &&
      ((p & ~get(&abi::CapData::permitted)) || (e & ~p) || (i & ~(get(&abi::CapData::inheritable) | k->bounding))))
    return -EPERM;
  if (go) {
    put(&abi::CapData::effective, e);
    put(&abi::CapData::permitted, p);
    if (!k->ignore.count("capset_inheritable")) put(&abi::CapData::inheritable, i);
    k->ambient &= p & get(&abi::CapData::inheritable);
  }
  return rc;
}

long prctl(int option, unsigned long arg2, unsigned long arg3) {
  ++k->prctls;
  long rc = 0;
  switch (option) {
    case abi::kPrCapbsetRead:
      if (k->bounding_error != 0) return k->bounding_error;
      if (static_cast<long>(arg2) > k->last_cap) return -EINVAL;
      return (k->bounding >> arg2) & 1;
    case abi::kPrCapbsetDrop:
      // cap_prctl_drop(): EPERM without CAP_SETPCAP, then EINVAL past the last.
      if (effective_has(kSetpcap) && static_cast<long>(arg2) > k->last_cap) return -EINVAL;
      if (change("bounding_drop", &rc, kSetpcap)) k->bounding &= ~(1ull << arg2);
      return rc;
    case abi::kPrSetSecurebits:
      if (change("securebits", &rc, kSetpcap)) k->securebits = static_cast<long>(arg2);
      return rc;
    case abi::kPrGetSecurebits:
      return (rc = read_fails("get_securebits")) < 0 ? rc : k->securebits;
    case abi::kPrSetKeepcaps:
      // cap_task_prctl(): keep_caps is securebit 4, fixed once bit 5 locks it.
      if (change(arg2 ? "keepcaps_on" : "keepcaps_off", &rc) && (k->securebits & 0x20) != 0) rc = -EPERM;
      if (rc == 0 && !k->ignore.count(arg2 ? "keepcaps_on" : "keepcaps_off"))
        k->securebits = (k->securebits & ~0x10L) | (arg2 ? 0x10L : 0);
      return rc;
    case abi::kPrSetNoNewPrivs:
      if (change("no_new_privs", &rc)) k->no_new_privs = 1;
      return rc;
    case abi::kPrSetChildSubreaper:
      if (change("subreaper", &rc)) k->subreaper = arg2 != 0;
      return rc;
    case abi::kPrGetNoNewPrivs:
      return (rc = read_fails("get_no_new_privs")) < 0 ? rc : k->no_new_privs;
    case abi::kPrCapAmbient:
      if (arg2 == abi::kPrCapAmbientClearAll) {
        if (change("ambient_clear", &rc)) k->ambient = 0;
        return rc;
      }
      if (arg2 == abi::kPrCapAmbientRaise) {
        bool go = change("ambient_raise", &rc);
        // cap_task_prctl(): only what is permitted and inheritable.
        if (rc == 0 && !((get(&abi::CapData::permitted) & get(&abi::CapData::inheritable)) >> arg3 & 1)) return -EPERM;
        if (go) k->ambient |= 1ull << arg3;
        return rc;
      }
      EXPECT_EQ(arg2, static_cast<unsigned long>(abi::kPrCapAmbientIsSet));
      if (k->ambient_error != 0 && arg3 >= k->ambient_error_from) return k->ambient_error;
      return (k->ambient >> arg3) & 1;
    default:
      ADD_FAILURE() << "unexpected prctl " << option;
      return -EINVAL;
  }
}

long setgroups(size_t n, const uint32_t* groups) {
  long rc;
  if (change("setgroups", &rc, kSetgid)) {
    k->groups.assign(groups, groups + n);
    std::sort(k->groups.begin(), k->groups.end());
  }
  return rc;
}
long getgroups(size_t n, uint32_t* groups) {
  if (long rc = read_fails("getgroups")) return rc;
  if (n == 0) return static_cast<long>(k->groups.size());
  if (n < k->groups.size()) return -EINVAL;
  std::copy(k->groups.begin(), k->groups.end(), groups);
  return static_cast<long>(k->groups.size());
}
long setresgid(uint32_t gid) {
  long rc;
  if (change("setresgid", &rc, kSetgid)) k->gids[0] = k->gids[1] = k->gids[2] = gid;
  return rc;
}
long setresuid(uint32_t uid) {
  long rc;
  if (!change("setresuid", &rc, kSetuid)) return rc;
  // cap_emulate_setxuid(): leaving uid 0 clears permitted and effective
  // unless keep_caps, and ambient always, unless no_setuid_fixup (bit 2).
  bool was_root = k->uids[0] == 0 || k->uids[1] == 0 || k->uids[2] == 0;
  if (was_root && uid != 0 && !(k->securebits & 4)) {
    if (!(k->securebits & 0x10)) put(&abi::CapData::permitted, 0);
    put(&abi::CapData::effective, 0);
    k->ambient = 0;
  }
  k->uids[1] = uid;
  if (!k->ignore.count("setresuid_real")) k->uids[0] = uid;
  if (!k->ignore.count("setresuid_saved")) k->uids[2] = uid;
  return rc;
}
long getresgid(uint32_t ids[3]) {
  std::copy(k->gids, k->gids + 3, ids);
  return read_fails("getresgid");
}
long getresuid(uint32_t ids[3]) {
  std::copy(k->uids, k->uids + 3, ids);
  return read_fails("getresuid");
}
long pipe_cloexec(int fds[2]) {
  long rc;
  if (!change(k->pipe_ends.empty() ? "pipe" : "pipe#2", &rc)) return rc;
  // The first pair with neither end open: a leaked end is never handed out
  // again, so the fixture finds it.
  for (fds[0] = 5; k->pipe_ends.count(fds[0]) || k->pipe_ends.count(fds[0] + 1);) fds[0] += 2;
  fds[1] = fds[0] + 1;
  k->pipe_ends.insert({fds[0], fds[1]});
  k->pipe_ended = false;
  return rc;
}
long fork() { return k->fork_result; }  // the fake runs no child: only the parent's side
long wait_pid(long pid) {
  k->waited = pid;
  return pid;
}
void exit_now(int) { abort(); }
long block_signals(sigset_t*) { return ++k->signal_masks, read_fails("block_signals"); }
long set_signal_mask(const sigset_t*) { return ++k->signal_masks, 0; }
void default_signal_handlers() { ADD_FAILURE() << "only the child resets signal handlers"; }
long mask_signals(uint64_t set, uint64_t* old) {
  if (old != nullptr) *old = k->signal_mask;
  k->signal_mask = set;
  return 0;
}
long default_signal(int) { return 0; }
long reap_any(int* status) {
  if (k->reaps.empty()) return -ECHILD;
  auto [pid, st] = k->reaps.front();
  k->reaps.pop_front();
  *status = st;
  return pid;
}
long wait_signal(uint64_t set) {
  k->waited_for = set;
  if (k->signals.empty()) return -EINTR;
  int sig = k->signals.front();
  k->signals.pop_front();
  return sig;
}
long kill(long pid, int sig) { return k->kills.push_back({pid, sig}), 0; }
long set_process_group(long pid) {
  k->process_group = pid;
  return k->fail.count("setpgid") ? k->fail["setpgid"] : 0;
}
long set_foreground(int fd, long pid) {
  k->foreground = {fd, pid};
  return k->fail.count("tcsetpgrp") ? k->fail["tcsetpgrp"] : -ENOTTY;
}

}  // namespace sys
}  // namespace capguard
