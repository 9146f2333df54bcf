/* capguard's C ABI: read, check and drop Linux capabilities from C and
 * from any language with a C FFI. C99; compiles as C++ too.
 *
 * No function allocates, throws or keeps state between calls. Masks are
 * 64-bit, bit N capability N, as the kernel keeps them. Each function that
 * can fail returns 0 or an error code, and fills `*err` when it is not
 * null; capguard_strerror() names the code. A pointer argument may be null
 * only where its comment says so; a null one elsewhere is undefined.
 * Codes are capguard's error numbers (capguard/error.h); new ones are only
 * added at the end. A call may change errno.
 * Thread: the calling thread's credentials, as the kernel keeps them per
 * thread. */
#ifndef CAPGUARD_H_
#define CAPGUARD_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CAPGUARD_API __attribute__((visibility("default")))

/* The five sets, indices into capguard_sets.set, in the order the kernel
 * prints them in /proc/PID/status. */
enum {
  CAPGUARD_INHERITABLE = 0,
  CAPGUARD_PERMITTED = 1,
  CAPGUARD_EFFECTIVE = 2,
  CAPGUARD_BOUNDING = 3,
  CAPGUARD_AMBIENT = 4,
  CAPGUARD_SET_COUNT = 5
};

/* A choice of sets, for capguard_violations(): bit (1 << index). */
#define CAPGUARD_DEFAULT_SETS ((1u << CAPGUARD_EFFECTIVE) | (1u << CAPGUARD_PERMITTED) | (1u << CAPGUARD_AMBIENT))
#define CAPGUARD_ALL_SETS 0x1fu

struct capguard_sets {
  uint64_t set[CAPGUARD_SET_COUNT];
};

/* What failed. `code` is 0 for none; `set` and `cap` what it is about, or
 * -1; `sys_errno` the errno of the system call that failed, or 0; `what` the
 * call or file, static text, or NULL. */
struct capguard_error {
  int code;
  int set;
  int cap;
  int sys_errno;
  const char* what;
};

/* The error of a plan whose `size` is not sizeof(struct capguard_plan) of
 * a version of this header that this capguard knows. */
#define CAPGUARD_EBADSIZE 1000

/* The phrase for `code`, e.g. "cannot set the uid"; never NULL.
 * Async-signal-safe. */
CAPGUARD_API const char* capguard_strerror(int code);

/* The calling thread's five sets, asked of the kernel (capget and prctl; no
 * /proc). Async-signal-safe. */
CAPGUARD_API int capguard_read_self(struct capguard_sets* out, struct capguard_error* err);

/* The five sets of `pid`'s main thread, from /proc/PID/status.
 * Async-signal-safe. */
CAPGUARD_API int capguard_read_pid(long pid, struct capguard_sets* out, struct capguard_error* err);

/* The capabilities of `state` outside `allow`, in the sets `sets` chooses
 * (the others empty), in `*out`. Returns the first set that has one, in the
 * kernel's order, or -1 when none has. Async-signal-safe. */
CAPGUARD_API int capguard_violations(const struct capguard_sets* state, uint64_t allow, unsigned sets,
                                     struct capguard_sets* out);

/* The refusal line for `violations` (capguard_violations()'s `out`) into
 * `buf`, NUL-terminated and cut to fit: one logfmt line naming the set, the
 * capability and the operator's fix, with its newline. Returns the length it
 * needs, without the NUL: a result >= `size` means it was cut. 6 KiB always
 * suffice. Under systemd the fix is the unit's lines, as capguard(3) says:
 * it reads `environ` and the caller's ids and securebits to tell.
 * Async-signal-safe. */
CAPGUARD_API size_t capguard_format_violation(const struct capguard_sets* violations, uint64_t allow, char* buf,
                                              size_t size);

/* "cap_net_bind_service" for 10, NULL for a bit capguard has no name for.
 * Async-signal-safe. */
CAPGUARD_API const char* capguard_cap_name(int cap);

/* A comma list of names (any case, with or without "cap_") or bit numbers
 * 0..63, "none" or "all", NUL-terminated, as a mask. Async-signal-safe. */
CAPGUARD_API int capguard_parse_caps(const char* list, uint64_t* out, struct capguard_error* err);

/* `caps` as a comma list of names into `buf`, as capguard_format_violation()
 * fills a buffer. Async-signal-safe. */
CAPGUARD_API size_t capguard_format_caps(uint64_t caps, char* buf, size_t size);

/* What a program will start with: `error` is the errno execve(2) will fail
 * with (EPERM: file capabilities, `missing`, it cannot be granted), or 0;
 * the five sets and the effective ids when it runs. */
struct capguard_prediction {
  int error;
  uint64_t missing;
  struct capguard_sets caps;
  uint32_t uid, gid;
};

/* The error when what a program will hold cannot be told (`what` says
 * why): capguard refuses to run such a program. */
#define CAPGUARD_EUNKNOWN 1001

/* What `command` will hold if the calling thread execve(2)s it now:
 * searched in the PATH of `envp` (NULL: /usr/local/bin:/bin:/usr/bin) when
 * it has no slash, followed through its "#!" lines, with the kernel's rules
 * (set-uid, file capabilities, root, ambient). The answer is for the file
 * found now: whoever runs `command` later looks it up again, and a file an
 * attacker can replace in between may be another (capguard check runs the
 * very file it judged, through a descriptor). Not async-signal-safe: it may
 * fork to ask a new user namespace about a file's rootid. */
CAPGUARD_API int capguard_predict_exec(const char* command, char* const envp[], struct capguard_prediction* out,
                                       struct capguard_error* err);

/* What the inheritable and ambient sets become. */
enum {
  CAPGUARD_INHERIT_AUTOMATIC = 0, /* ambient when the target is not root, else none */
  CAPGUARD_INHERIT_NONE = 1,
  CAPGUARD_INHERIT_INHERITABLE = 2, /* inheritable = keep, ambient empty */
  CAPGUARD_INHERIT_AMBIENT = 3      /* inheritable = ambient = keep */
};

/* A drop: bounding, permitted and effective become exactly `keep`. Set
 * `size` to sizeof(struct capguard_plan): later versions add fields at the
 * end. CAPGUARD_PLAN_INIT fills the defaults: nothing kept, ids and groups
 * left, no flags. */
struct capguard_plan {
  size_t size;
  uint64_t keep;
  int inherit; /* CAPGUARD_INHERIT_* */
  int64_t uid; /* real, effective and saved uid; -1 leaves them */
  int64_t gid; /* the same for the gid; required with a uid */
  const uint32_t* groups;
  int64_t group_count; /* 0..256 sets groups[0..count); -1 leaves them, or clears them when the uid changes */
  int no_new_privs;    /* nonzero: set no_new_privs */
  int lock;            /* nonzero: securebits so that uid 0 gains nothing, locked */
};
#define CAPGUARD_PLAN_INIT \
  { sizeof(struct capguard_plan), 0, CAPGUARD_INHERIT_AUTOMATIC, -1, -1, NULL, -1, 0, 0 }

/* Fills `*plan` as CAPGUARD_PLAN_INIT does, for languages that cannot use
 * the macro: a plan of zeros would switch to uid and gid 0. */
CAPGUARD_API void capguard_plan_init(struct capguard_plan* plan);

/* Applies `plan` to the calling thread, in the one order the kernel allows,
 * then reads every set, id and flag back: any difference is an error, and
 * there is no partial success. Refuses, before changing anything, what
 * cannot be kept (a capability not permitted or outside the bounding set),
 * a bad plan, a wrong `size`. Other threads of the process keep their
 * credentials: call it in a process with one thread, or between fork and
 * exec. On an error after the first change the thread may be left partly
 * changed: run nothing then. Async-signal-safe. */
CAPGUARD_API int capguard_apply_on_calling_thread(const struct capguard_plan* plan, struct capguard_error* err);

/* Forks; the child applies `plan` and execs `file` (searching PATH in
 * `envp` when it has no slash) with `argv` and `envp`. On success `*pid` is
 * the child's, running the command; on an error the child ran nothing and
 * has been reaped. Not async-signal-safe: it forks. */
CAPGUARD_API int capguard_spawn(const struct capguard_plan* plan, const char* file, char* const argv[],
                                char* const envp[], long* pid, struct capguard_error* err);

/* capguard_apply_on_calling_thread(), then execve of `file` as
 * capguard_spawn() runs it: returns only on an error, which may come after
 * the drop (`file` not found): for the child of a fork. Async-signal-safe.
 * Neither this nor capguard_spawn() predicts what `file` will regain
 * (capguard_predict_exec() does, as the calling thread): set no_new_privs so
 * that a set-uid or file-capability program regains nothing. */
CAPGUARD_API int capguard_exec(const struct capguard_plan* plan, const char* file, char* const argv[],
                               char* const envp[], struct capguard_error* err);

#ifdef __cplusplus
}
#endif

#endif /* CAPGUARD_H_ */
