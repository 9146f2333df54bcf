/* The C ABI (include/capguard.h) from C99, built by test/install_test.sh
 * against the installed library through pkg-config, shared and static.
 * usage: c_api_test checks     TAP lines for every function (bad input
 *                              among them, as root: nothing changes)
 *        c_api_test predict COMMAND  what COMMAND would hold, as
 *                              /proc/PID/status prints the sets
 *        c_api_test exec|spawn  as root: the drop of test/install_test.sh's
 *                              CLI comparison (net_bind_service, uid and gid
 *                              1000, no_new_privs) in a forked child, or by
 *                              capguard_spawn(), which then runs
 *                              `cat /proc/self/status`. */
#define _GNU_SOURCE /* setgroups(2) */
#include <capguard.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

static int n, failed;

static void check(int ok, const char* name) {
  ++n;
  if (!ok) ++failed;
  printf("%sok %d - %s\n", ok ? "" : "not ", n, name);
}

static int same(const struct capguard_sets* a, const struct capguard_sets* b) {
  return memcmp(a, b, sizeof *a) == 0;
}

/* What `capguard exec --keep net_bind_service --user 1000:1000
 * --no-new-privs` does: with a GROUP, it is the one supplementary group. */
static struct capguard_plan drop_plan(void) {
  static const uint32_t group = 1000;
  struct capguard_plan plan = CAPGUARD_PLAN_INIT;
  plan.keep = (uint64_t)1 << 10; /* cap_net_bind_service */
  plan.uid = plan.gid = 1000;
  plan.groups = &group;
  plan.group_count = 1;
  plan.no_new_privs = 1;
  return plan;
}

/* What a forked child reports: a code, then the sets and securebits it
 * holds, or the error it was given and the text its `what` names. */
struct report {
  int code;
  struct capguard_sets sets;
  long securebits;
  struct capguard_error err;
  char what[64];
};

/* Runs `fn` in a forked child, which fills `*r` and exits; 0 when it did. */
static int in_child(void (*fn)(struct report*, const void*), const void* arg, struct report* r) {
  int fds[2], status;
  pid_t pid;
  memset(r, 0, sizeof *r);
  if (pipe(fds) != 0) return -1;
  if ((pid = fork()) == 0) {
    fn(r, arg);
    if (r->err.what != NULL) snprintf(r->what, sizeof r->what, "%s", r->err.what);
    _exit(write(fds[1], r, sizeof *r) == (ssize_t)sizeof *r ? 0 : 1);
  }
  close(fds[1]);
  status = read(fds[0], r, sizeof *r) == (ssize_t)sizeof *r ? 0 : -1;
  close(fds[0]);
  waitpid(pid, NULL, 0);
  return status;
}

/* The plan applied, then what the thread holds. */
static void apply_plan(struct report* r, const void* plan) {
  r->code = capguard_apply_on_calling_thread(plan, &r->err);
  capguard_read_self(&r->sets, NULL);
  r->securebits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
}

/* capguard_exec() of a plan whose size is wrong: it must return, having run
 * nothing and changed nothing. */
static void exec_bad_size(struct report* r, const void* arg) {
  struct capguard_plan plan = CAPGUARD_PLAN_INIT;
  char* argv[] = {"true", NULL};
  (void)arg;
  plan.size = sizeof plan - 1;
  r->code = capguard_exec(&plan, "true", argv, environ, &r->err);
  capguard_read_self(&r->sets, NULL);
}

/* capguard_predict_exec() where capget(2) fails (a seccomp filter): the
 * error names the call, not the command. */
static void predict_without_capget(struct report* r, const void* arg) {
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_capget, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof filter / sizeof filter[0], filter};
  struct capguard_prediction e;
  (void)arg;
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
    r->code = -1;
    return;
  }
  r->code = capguard_predict_exec("true", NULL, &e, &r->err);
}

/* capguard_predict_exec() of a set-gid copy of /bin/true, group 4242, by a
 * caller with 300 supplementary groups: whether the group is among them
 * cannot be told (capguard reads 256). */
static void predict_unknown(struct report* r, const void* arg) {
  static uint32_t groups[300];
  char buf[4096];
  struct capguard_prediction e;
  int from = open("/bin/true", O_RDONLY), to = open(arg, O_WRONLY | O_CREAT | O_EXCL, 0700), i;
  ssize_t n;
  r->code = -1;
  while (from >= 0 && to >= 0 && (n = read(from, buf, sizeof buf)) > 0)
    if (write(to, buf, (size_t)n) != n) return;
  for (i = 0; i < 300; ++i) groups[i] = 100000 + (uint32_t)i;
  if (from < 0 || to < 0 || fchown(to, (uid_t)-1, 4242) != 0 || fchmod(to, 02755) != 0 || close(to) != 0 ||
      setgroups(300, groups) != 0)
    return;
  r->code = capguard_predict_exec(arg, NULL, &e, &r->err);
}

/* Whether the running kernel is 6.17 or later, which tells set-gid by the
 * effective ids (commit 337490f0007f). */
static int kernel_617(void) {
  struct utsname u;
  int major = 0, minor = 0;
  return uname(&u) == 0 && sscanf(u.release, "%d.%d", &major, &minor) == 2 && (major > 6 || (major == 6 && minor >= 17));
}

static int checks(void) {
  struct capguard_error err;
  struct capguard_sets self, proc, v, after;
  uint64_t caps = 0;
  char buf[64];
  check(strcmp(capguard_strerror(0), "ok") == 0, "capguard_strerror(0)");
  check(strcmp(capguard_strerror(CAPGUARD_EBADSIZE), "plan size unknown to this capguard") == 0,
        "capguard_strerror(CAPGUARD_EBADSIZE)");
  check(strcmp(capguard_strerror(CAPGUARD_EUNKNOWN), "cannot tell what it will hold") == 0,
        "capguard_strerror(CAPGUARD_EUNKNOWN)");
  check(strcmp(capguard_strerror(-1), "unknown error") == 0 && strcmp(capguard_strerror(256), "unknown error") == 0 &&
            strcmp(capguard_strerror(999), "unknown error") == 0,
        "capguard_strerror of codes that are none: -1, 256 (0 to a byte), 999");
  check(strcmp(capguard_cap_name(0), "cap_chown") == 0 && strcmp(capguard_cap_name(40), "cap_checkpoint_restore") == 0 &&
            capguard_cap_name(63) == NULL && capguard_cap_name(-1) == NULL,
        "capguard_cap_name: bit 0, the last named (40), 63 and -1");
  check(capguard_parse_caps("NET_BIND_SERVICE,cap_chown,63", &caps, &err) == 0 &&
            caps == ((uint64_t)1 << 10 | 1 | (uint64_t)1 << 63),
        "capguard_parse_caps: names and bit 63");
  check(capguard_parse_caps("bogus", &caps, &err) != 0 && err.code != 0 &&
            caps == ((uint64_t)1 << 10 | 1 | (uint64_t)1 << 63),
        "capguard_parse_caps: an unknown name is an error, the mask untouched");
  check(capguard_format_caps(1 | (uint64_t)1 << 10, buf, sizeof buf) == 30 &&
            strcmp(buf, "cap_chown,cap_net_bind_service") == 0,
        "capguard_format_caps");
  check(capguard_format_caps(1 | (uint64_t)1 << 10, buf, 5) == 30 && strcmp(buf, "cap_") == 0,
        "capguard_format_caps: cut to fit, NUL-terminated, the length it needs");
  check(capguard_read_self(&self, &err) == 0 && err.code == 0 && err.what == NULL && err.set == -1,
        "capguard_read_self: no error filled in");
  {
    struct capguard_plan a = CAPGUARD_PLAN_INIT, b;
    memset(&b, 0xff, sizeof b);
    capguard_plan_init(&b);
    check(a.size == b.size && a.keep == b.keep && a.inherit == b.inherit && a.uid == b.uid && a.gid == b.gid &&
              a.groups == b.groups && a.group_count == b.group_count && a.no_new_privs == b.no_new_privs &&
              a.lock == b.lock && b.uid == -1 && b.group_count == -1,
          "capguard_plan_init() fills what CAPGUARD_PLAN_INIT does");
  }
  {
    /* An executable that is neither ELF nor #!: the error names the file. */
    struct capguard_prediction e;
    char path[] = "/tmp/c_api_test.XXXXXX";
    int fd = mkstemp(path);
    int ok = fd >= 0 && write(fd, "text\n", 5) == 5 && fchmod(fd, 0755) == 0 && close(fd) == 0;
    int next = dup(0);
    memset(&e, 0xab, sizeof e);
    close(next);
    check(ok && capguard_predict_exec(path, NULL, &e, &err) != 0 && err.what == path,
          "capguard_predict_exec of a text file: an error naming the command, not a buffer of its own");
    check(((const unsigned char*)&e)[0] == 0xab && e.uid == 0xabababab, "... and `*out` untouched");
    check(capguard_predict_exec("true", NULL, &e, &err) == 0 && dup(0) == next && close(next) == 0,
          "capguard_predict_exec of a program: its file closed after");
    unlink(path);
  }
  {
    struct report r;
    check(in_child(predict_without_capget, NULL, &r) == 0 && r.code != 0 && r.code != -1 &&
              strcmp(r.what, "capget") == 0 && r.err.sys_errno == EPERM,
          "capguard_predict_exec when capget(2) fails: an error naming the call");
  }
  check(capguard_read_pid((long)getpid(), &proc, &err) == 0 && same(&self, &proc),
        "capguard_read_pid(getpid()): the same five sets");
  check(capguard_read_pid(0x7ffffffe, &proc, &err) != 0 && err.sys_errno != 0 && err.what != NULL,
        "capguard_read_pid of no process: an error naming the file and errno");
  self.set[CAPGUARD_PERMITTED] = 1 | (uint64_t)1 << 10;
  self.set[CAPGUARD_BOUNDING] = (uint64_t)1 << 63;
  self.set[CAPGUARD_EFFECTIVE] = self.set[CAPGUARD_INHERITABLE] = self.set[CAPGUARD_AMBIENT] = 0;
  check(capguard_violations(&self, (uint64_t)1 << 10, CAPGUARD_DEFAULT_SETS, &v) == CAPGUARD_PERMITTED &&
            v.set[CAPGUARD_PERMITTED] == 1 && v.set[CAPGUARD_BOUNDING] == 0,
        "capguard_violations: permitted's cap_chown, bounding not chosen");
  check(capguard_violations(&self, (uint64_t)1 << 10, CAPGUARD_ALL_SETS, &v) == CAPGUARD_PERMITTED &&
            v.set[CAPGUARD_BOUNDING] == (uint64_t)1 << 63,
        "capguard_violations: every set, bit 63 of bounding");
  check(capguard_violations(&self, ~(uint64_t)0, CAPGUARD_ALL_SETS, &v) == -1, "capguard_violations: none");
  self.set[CAPGUARD_INHERITABLE] = 1;
  check(capguard_violations(&self, (uint64_t)1 << 10, CAPGUARD_ALL_SETS, &v) == CAPGUARD_INHERITABLE &&
            v.set[CAPGUARD_INHERITABLE] == 1,
        "capguard_violations: inheritable, the first set, found and copied");
  self.set[CAPGUARD_INHERITABLE] = 0;
  {
    char line[6144];
    size_t len;
    capguard_violations(&self, (uint64_t)1 << 10, CAPGUARD_DEFAULT_SETS, &v);
    len = capguard_format_violation(&v, (uint64_t)1 << 10, line, sizeof line);
    check(len < sizeof line && strncmp(line, "capguard: level=error event=unexpected_capability set=permitted cap=cap_chown",
                                       76) == 0 && line[len - 1] == '\n',
          "capguard_format_violation: the refusal line");
  }
  if (getuid() != 0) {
    printf("ok %d - bad plans change nothing # SKIP needs root to tell\n", ++n);
    return failed;
  }
  capguard_read_self(&self, &err);
  {
    struct capguard_plan plan = drop_plan();
    uint32_t groups[257] = {0};
    plan.size = sizeof plan - 1;
    check(capguard_apply_on_calling_thread(&plan, &err) == CAPGUARD_EBADSIZE && err.code == CAPGUARD_EBADSIZE &&
              err.set == -1 && err.cap == -1 && err.sys_errno == 0 && strcmp(err.what, "capguard_plan.size") == 0,
          "a plan whose size is wrong: CAPGUARD_EBADSIZE");
    plan = drop_plan();
    plan.groups = groups;
    plan.group_count = 257;
    check(capguard_apply_on_calling_thread(&plan, &err) != 0 && err.code != CAPGUARD_EBADSIZE,
          "257 groups: an error of its own");
    plan = drop_plan();
    plan.size = sizeof plan + 8;
    check(capguard_apply_on_calling_thread(&plan, &err) == CAPGUARD_EBADSIZE, "a plan larger than known: CAPGUARD_EBADSIZE");
    plan = drop_plan();
    plan.inherit = 4;
    check(capguard_apply_on_calling_thread(&plan, &err) != 0 && strcmp(err.what, "capguard_plan.inherit") == 0,
          "an inherit mode out of range: an error naming it");
    plan.inherit = -1;
    check(capguard_apply_on_calling_thread(&plan, &err) != 0 && strcmp(err.what, "capguard_plan.inherit") == 0,
          "a negative inherit mode: the same");
    plan = drop_plan();
    groups[0] = 0xffffffffu; /* no group to the kernel */
    plan.groups = groups;
    plan.group_count = 1;
    check(capguard_apply_on_calling_thread(&plan, &err) != 0 && err.code == capguard_apply_on_calling_thread(&plan, NULL),
          "group (uint32_t)-1: refused before the drop");
    plan = drop_plan();
    plan.keep |= (uint64_t)1 << 63;
    check(capguard_apply_on_calling_thread(&plan, &err) != 0 && err.cap == 63,
          "capability 63, which no kernel has: an error naming it");
    check(capguard_read_self(&after, &err) == 0 && same(&self, &after) && getuid() == 0,
          "after the bad plans, the sets and ids are as they were");
    char* argv[] = {"true", NULL};
    long pid = -1;
    check(capguard_spawn(&plan, "true", argv, environ, &pid, &err) != 0 && err.cap == 63 && pid == -1,
          "capguard_spawn refuses the same, running nothing");
  }
  {
    /* Each inherit mode and the lock, applied in a child: what it holds. */
    struct { int inherit, lock; uint64_t inheritable, ambient; long securebits; } modes[] = {
        {CAPGUARD_INHERIT_NONE, 0, 0, 0, 0},
        {CAPGUARD_INHERIT_INHERITABLE, 0, 1 << 10, 0, 0},
        {CAPGUARD_INHERIT_AMBIENT, 1, 1 << 10, 1 << 10, 0x2f},
        {CAPGUARD_INHERIT_AUTOMATIC, 0, 1 << 10, 1 << 10, 0}, /* uid 1000: ambient */
    };
    size_t i;
    for (i = 0; i < sizeof modes / sizeof modes[0]; ++i) {
      struct capguard_plan plan = drop_plan();
      struct report r;
      char name[96];
      plan.inherit = modes[i].inherit;
      plan.lock = modes[i].lock;
      snprintf(name, sizeof name, "inherit mode %d, lock %d: inheritable, ambient and securebits as asked",
               modes[i].inherit, modes[i].lock);
      check(in_child(apply_plan, &plan, &r) == 0 && r.code == 0 && r.sets.set[CAPGUARD_PERMITTED] == 1 << 10 &&
                r.sets.set[CAPGUARD_INHERITABLE] == modes[i].inheritable &&
                r.sets.set[CAPGUARD_AMBIENT] == modes[i].ambient && r.securebits == modes[i].securebits,
            name);
    }
  }
  {
    struct report r;
    check(in_child(exec_bad_size, NULL, &r) == 0 && r.code == CAPGUARD_EBADSIZE && same(&r.sets, &self),
          "capguard_exec of a plan whose size is wrong: CAPGUARD_EBADSIZE, nothing run or changed");
  }
  if (!kernel_617()) {
    printf("ok %d - capguard_predict_exec that cannot tell: CAPGUARD_EUNKNOWN # SKIP a kernel before 6.17 tells set-gid by the real ids\n",
           ++n);
  } else {
    char path[] = "/tmp/c_api_test.setgid.XXXXXX";
    struct report r;
    int fd = mkstemp(path);
    int made = fd >= 0 && close(fd) == 0 && unlink(path) == 0;
    check(made && in_child(predict_unknown, path, &r) == 0 && r.code == CAPGUARD_EUNKNOWN &&
              r.err.code == CAPGUARD_EUNKNOWN && r.err.set == -1 && r.err.cap == -1 && r.err.sys_errno == 0 &&
              strncmp(r.what, "set-gid: whether its group", 26) == 0,
          "capguard_predict_exec that cannot tell: CAPGUARD_EUNKNOWN, every field");
    unlink(path);
  }
  return failed;
}

/* The drop, in a child that then runs `cat /proc/self/status`. */
static int run(int spawned) {
  struct capguard_plan plan = drop_plan();
  struct capguard_error err;
  char* argv[] = {"cat", "/proc/self/status", NULL};
  long pid = -1;
  int status;
  if (spawned) {
    if (capguard_spawn(&plan, "cat", argv, environ, &pid, &err) != 0) {
      fprintf(stderr, "capguard_spawn: %s: %s\n", err.what ? err.what : "", capguard_strerror(err.code));
      return 1;
    }
  } else if ((pid = fork()) == 0) {
    capguard_exec(&plan, "cat", argv, environ, &err);
    _exit(127);
  }
  return pid > 0 && waitpid((pid_t)pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char** argv) {
  static char out[1 << 16];
  setvbuf(stdout, out, _IOFBF, sizeof out); /* stdio's own buffer would be the only allocation */
  if (argc == 2 && strcmp(argv[1], "checks") == 0) {
    int bad = checks();
    printf("1..%d\n", n);
    return bad != 0;
  }
  if (argc == 3 && strcmp(argv[1], "predict") == 0) {
    struct capguard_prediction e;
    struct capguard_error err;
    char* envp[] = {"PATH=/usr/bin:/bin", NULL};
    int i;
    if (capguard_predict_exec(argv[2], envp, &e, &err) != 0) {
      fprintf(stderr, "capguard_predict_exec: %s: %s\n", err.what ? err.what : "", capguard_strerror(err.code));
      return 1;
    }
    printf("error %d\n", e.error);
    for (i = 0; i < CAPGUARD_SET_COUNT; ++i)
      printf("Cap%s:\t%016llx\n", (const char*[]){"Inh", "Prm", "Eff", "Bnd", "Amb"}[i], (unsigned long long)e.caps.set[i]);
    return 0;
  }
  if (argc == 2 && (strcmp(argv[1], "exec") == 0 || strcmp(argv[1], "spawn") == 0))
    return run(strcmp(argv[1], "spawn") == 0);
  fprintf(stderr, "usage: c_api_test checks | predict COMMAND | exec | spawn\n");
  return 2;
}
