// The Linux backend: the only code that asks the kernel for capabilities.
#include <errno.h>
#include <fcntl.h>

#include "capguard/caps.h"
#include "procs.h"
#include "read_file.h"
#include "release.h"
#include "status_parser.h"
#include "sys.h"
#include "text.h"

namespace capguard {
namespace {

// Feeds the status file at `path` to `parser` and, unless `out` is null,
// finishes it into `out`.
// Stops at the last Cap line: the read that would only find the end of the
// file is saved.
Result read_status(const char* path, StatusParser* parser, State* out) {
  Result r = read_file(path, [parser](const char* p, size_t n) {
    parser->feed(p, n);
    return !parser->done();
  });
  return r.ok() && out != nullptr ? parser->finish(out).with_what(path) : r;
}

// The bounding set, asked one capability at a time up to the last the
// kernel has: PR_CAPBSET_READ answers EINVAL past it (security/commoncap.c,
// cap_valid()). Every kernel has capability 0, so EINVAL there is an error,
// not an empty set.
Result probe_bounding(CapSet* out) {
  for (int cap = 0; cap < 64; ++cap) {
    long rc = sys::prctl(abi::kPrCapbsetRead, static_cast<unsigned long>(cap));
    if (rc == -EINVAL && cap > 0) break;
    if (rc < 0) return Result::sys_failure(Error::read_bounding, "prctl(PR_CAPBSET_READ)", rc).with_cap(cap);
    if (rc == 1) *out = out->with(cap);
  }
  return Result::success();
}

// The sets and effective uid of the status file at `path`, named `what` in
// errors, read by `parser`, which holds the rest. A file without its Uid or
// PPid line, a thread's too, is an error.
Result read_proc_status(const char* path, const char* what, Proc* p, StatusParser* parser) {
  Result r = read_status(path, parser, &p->state);
  if (r.ok() && (parser->uid() < 0 || parser->ppid() < 0)) r = Result::failure(Error::status_missing_line);
  p->uid = static_cast<uint32_t>(parser->uid());
  return r.with_what(what);
}

// The inode of the user namespace whose link is at `path`, from the
// link's text, "user:[INODE]" (fs/nsfs.c, ns_get_name()), which costs the
// kernel less than a stat of where it leads; 0 when the kernel does not let
// us read it (the ptrace rules) or it is not so.
uint64_t userns(const char* path) {
  char link[sizeof "user:[4294967295]"];
  long n = sys::read_link(path, link, sizeof link);
  uint64_t ino = 0;
  if (n > 7 && n < static_cast<long>(sizeof link) && text::starts_with(link, "user:[") && link[n - 1] == ']' &&
      text::parse_decimal(link + 6, static_cast<size_t>(n) - 7, 0xffffffff, &ino))
    return ino;
  return 0;
}

// A process or thread that ended between the directory's read and ours.
bool vanished(const Result& r) { return r.sys_errno == ENOENT || r.sys_errno == ESRCH; }

struct ProcWalk {
  void (*found)(const Proc& p, void* ctx);
  void (*failed)(long pid, const Result& r, void* ctx);
  void* ctx;
  long self;
};

// "/proc/PID" and `rest`, or "/proc/PID/task/TID/status" when `tid` is not 0.
constexpr size_t kProcPath = sizeof "/proc/2147483647/task/2147483647/status";
const char* proc_path(char* path, long pid, const char* rest, long tid = 0) {
  text::Writer w(path, kProcPath);
  w.append("/proc/", text::Decimal{static_cast<uint64_t>(pid)}, rest);
  if (tid != 0) w.append(text::Decimal{static_cast<uint64_t>(tid)}, "/status");
  (void)w.finish();
  return path;
}

Result for_each_id(const char* path, const char* what, const ProcWalk& walk, const Proc* process);

// Process `pid`, and its threads if it has more than one.
void visit(const ProcWalk& walk, long pid) {
  Proc p{pid, pid, 0, 0, 0, {}, {}};
  char path[kProcPath];
  StatusParser parser;
  Result r = read_proc_status(proc_path(path, pid, "/status"), "/proc/PID/status", &p, &parser);
  if (!r.ok()) return vanished(r) ? void() : walk.failed(pid, r, walk.ctx);
  if (parser.kernel_task()) return;
  p.ppid = parser.ppid();
  static_assert(sizeof p.name == StatusParser::kNameSize);
  __builtin_memcpy(p.name, parser.name(), sizeof p.name);
  p.userns = userns(proc_path(path, pid, "/ns/user"));
  walk.found(p, walk.ctx);
  // Capabilities are per thread: one may differ from the main thread.
  if (parser.threads() > 1) r = for_each_id(proc_path(path, pid, "/task"), "/proc/PID/task", walk, &p);
  if (!r.ok() && !vanished(r)) walk.failed(pid, r, walk.ctx);
}

// Thread `tid` of `process`, if its sets differ from the main thread's.
void visit_thread(const ProcWalk& walk, const Proc& process, long tid) {
  Proc t = process;
  t.tid = tid;
  char path[kProcPath];
  StatusParser parser;
  Result r = read_proc_status(proc_path(path, t.pid, "/task/", tid), "/proc/PID/task/TID/status", &t, &parser);
  if (!r.ok() && !vanished(r)) walk.failed(t.pid, r, walk.ctx);
  if (r.ok() && !(t.state == process.state)) walk.found(t, walk.ctx);
}

// Visits each entry of the directory at `path` (named `what`) whose name is
// a number: the processes of /proc, or the threads of `process`.
Result for_each_id(const char* path, const char* what, const ProcWalk& walk, const Proc* process) {
  long fd = sys::open_dir(AT_FDCWD, path);
  if (fd < 0) return Result::sys_failure(Error::open, what, fd);
  alignas(abi::Dirent) char buf[2048];
  long n;
  while ((n = sys::read_dir(static_cast<int>(fd), reinterpret_cast<abi::Dirent*>(buf), sizeof buf)) > 0)
    for (long at = 0; at < n;) {
      const auto* d = reinterpret_cast<const abi::Dirent*>(buf + at);
      at += d->reclen;
      uint64_t id;
      if (!text::parse_decimal(d->name, text::length(d->name), 0x7fffffff, &id)) continue;
      long i = static_cast<long>(id);
      if (process == nullptr && i != walk.self) visit(walk, i);
      if (process != nullptr && i != process->pid) visit_thread(walk, *process, i);
    }
  (void)sys::close(static_cast<int>(fd));
  return n < 0 ? Result::sys_failure(Error::read, what, n) : Result::success();
}

}  // namespace

Result walk_procs(void (*found)(const Proc& p, void* ctx), void (*failed)(long pid, const Result& r, void* ctx),
                  void* ctx) {
  long type = sys::fs_type("/proc");
  if (type < 0) return Result::sys_failure(Error::fs_type, "/proc", type);
  if (type != abi::kProcMagic) return Result::failure(Error::not_procfs).with_what("/proc");
  // The caller as this /proc numbers it, which getpid() does not when /proc
  // is another pid namespace's (unshare -p without --mount-proc): there it
  // would hide that namespace's process of the caller's pid, PID 1 too.
  // None (0) when the caller has no pid there: ENOENT (fs/proc/self.c,
  // proc_self_get_link()).
  char self[sizeof "2147483647"];  // a byte more than the largest pid: a cut text is no number
  long n = sys::read_link("/proc/self", self, sizeof self);
  uint64_t pid = 0;
  if (n < 0 && n != -ENOENT) return Result::sys_failure(Error::read, "/proc/self", n);
  if (n >= 0 && !text::parse_decimal(self, static_cast<size_t>(n), 0x7fffffff, &pid))
    return Result::failure(Error::not_procfs).with_what("/proc/self");
  return for_each_id("/proc", "/proc", {found, failed, ctx, static_cast<long>(pid)}, nullptr);
}

bool kernel_before(uint64_t want_major, uint64_t want_minor) {
  // Under the UNAME26 persona (setarch --uname-2.6), which any process may
  // take and its children inherit, the release uname gives is made up.
  long persona = sys::personality();
  if (persona < 0 || (persona & abi::kUname26) != 0) return false;
  struct utsname u;
  if (sys::uname(&u) < 0) return false;
  uint64_t major = 0, minor = 0;
  const char* p = u.release;
  size_t n = 0;
  while (p[n] >= '0' && p[n] <= '9') ++n;
  if (!text::parse_decimal(p, n, 1000, &major) || p[n] != '.') return false;
  p += n + 1;
  for (n = 0; p[n] >= '0' && p[n] <= '9';) ++n;
  return text::parse_decimal(p, n, 1000, &minor) && (major < want_major || (major == want_major && minor < want_minor));
}

Result read_thread(State* out) {
  StatusParser parser;
  Result r = read_status("/proc/thread-self/status", &parser, out);
  // ENOENT: /proc is not mounted, or predates thread-self (Linux 3.17), or
  // belongs to a pid namespace that cannot see us. No CapAmb line: the
  // kernel predates ambient capabilities (4.3). Either way the kernel still
  // answers for the calling thread.
  if ((r.code == Error::open && r.sys_errno == ENOENT) ||
      (r.code == Error::status_missing_line && r.set == static_cast<int>(Set::ambient)))
    return read_thread_syscalls(out);
  return r;
}

Result read_thread_syscalls(State* out, SetMask sets) {
  abi::CapHeader header = {abi::kCapVersion3, 0};
  abi::CapData data[abi::kCapWords] = {};
  long rc = sys::capget(&header, data);
  if (rc < 0) return Result::sys_failure(Error::read_caps, "capget", rc);
  auto join = [](uint32_t lo, uint32_t hi) { return CapSet{uint64_t{hi} << 32 | lo}; };
  State s;
  s[Set::inheritable] = join(data[0].inheritable, data[1].inheritable);
  s[Set::permitted] = join(data[0].permitted, data[1].permitted);
  s[Set::effective] = join(data[0].effective, data[1].effective);
  if ((sets & set_bit(Set::bounding)) != 0) {
    Result r = probe_bounding(&s[Set::bounding]);
    if (!r.ok()) return r;
  }
  // The kernel keeps ambient within permitted and inheritable
  // (security/commoncap.c: cap_task_prctl() refuses to raise anything else,
  // cap_capset() lowers what leaves either), so only those bits are asked.
  CapSet candidates{(sets & set_bit(Set::ambient)) != 0 ? s[Set::permitted].bits & s[Set::inheritable].bits : 0};
  for (int cap = 0; cap < 64; ++cap) {
    if (!candidates.has(cap)) continue;
    rc = sys::prctl(abi::kPrCapAmbient, abi::kPrCapAmbientIsSet, static_cast<unsigned long>(cap));
    // EINVAL on the first question from a kernel before 4.3: its ambient
    // set does not exist, so is empty. Anywhere else (a seccomp filter, say)
    // it is an error.
    if (rc == -EINVAL && cap == candidates.lowest() && kernel_before(4, 3)) break;
    if (rc < 0) return Result::sys_failure(Error::read_ambient, "prctl(PR_CAP_AMBIENT_IS_SET)", rc).with_cap(cap);
    if (rc == 1) s[Set::ambient] = s[Set::ambient].with(cap);
  }
  *out = s;
  return Result::success();
}

Result read_pid(long pid, State* out) {
  StatusParser parser;
  if (pid == 0) return read_status("/proc/self/status", &parser, out);
  if (pid < 0 || pid > 2147483647) return Result::sys_failure(Error::open, "/proc/PID/status", -EINVAL);
  char path[kProcPath];
  // `path` ends with this call: a failure names the file by its pattern.
  Result r = read_status(proc_path(path, pid, "/status"), &parser, out);
  return r.ok() ? r : r.with_what("/proc/PID/status");
}

Result count_threads(long* out) {
  StatusParser parser;
  Result r = read_status("/proc/self/status", &parser, nullptr);
  if (r.ok() && parser.threads() < 1) r = Result::failure(Error::status_no_threads).with_what("/proc/self/status");
  if (r.ok()) *out = parser.threads();
  return r;
}

Result kernel_last_cap(int* out) {
  // A binary search over PR_CAPBSET_READ, whose EINVAL past the last
  // capability (cap_valid()) comes from the kernel itself: six calls and one for capability 0, where
  // /proc/sys/kernel/cap_last_cap is a file a mount namespace can fake.
  int known = 0, unknown = 64;  // every kernel has capability 0
  while (unknown - known > 1) {
    int mid = (known + unknown) / 2;
    long rc = sys::prctl(abi::kPrCapbsetRead, static_cast<unsigned long>(mid));
    if (rc < 0 && rc != -EINVAL)
      return Result::sys_failure(Error::read_bounding, "prctl(PR_CAPBSET_READ)", rc).with_cap(mid);
    (rc == -EINVAL ? unknown : known) = mid;
  }
  long rc = sys::prctl(abi::kPrCapbsetRead, 0);
  if (rc < 0) return Result::sys_failure(Error::read_bounding, "prctl(PR_CAPBSET_READ)", rc).with_cap(0);
  *out = known;
  return Result::success();
}

}  // namespace capguard
