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
#define _POSIX_C_SOURCE 200809L
#include <capguard.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
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

static int checks(void) {
  struct capguard_error err;
  struct capguard_sets self, proc, v, after;
  uint64_t caps = 0;
  char buf[64];
  check(strcmp(capguard_strerror(0), "ok") == 0, "capguard_strerror(0)");
  check(strcmp(capguard_strerror(CAPGUARD_EBADSIZE), "plan size unknown to this capguard") == 0,
        "capguard_strerror(CAPGUARD_EBADSIZE)");
  check(strcmp(capguard_strerror(-1), "unknown error") == 0 && strcmp(capguard_strerror(999), "unknown error") == 0,
        "capguard_strerror of codes that are none");
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
    check(ok && capguard_predict_exec(path, NULL, &e, &err) != 0 && err.what == path,
          "capguard_predict_exec of a text file: an error naming the command, not a buffer of its own");
    unlink(path);
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
