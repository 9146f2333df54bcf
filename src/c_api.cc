// The C ABI of include/capguard.h, over the C++ library: conversions only.
#include "capguard.h"
#include "capguard/caps.h"
#include "capguard/drop.h"
#include "capguard/error.h"
#include "capguard/exec.h"
#include "capguard/execve.h"
#include "capguard/format.h"
#include "capguard/guard.h"
#include "capguard/names.h"
#include "sys.h"
#include "text.h"

namespace capguard {
namespace {

static_assert(CAPGUARD_SET_COUNT == kSetCount && CAPGUARD_AMBIENT == static_cast<int>(Set::ambient));
static_assert(CAPGUARD_INHERIT_AMBIENT == static_cast<int>(Inherit::ambient));

// `r`'s code, after filling `*err` when it is not null; on success with
// no error at all (a success's `what` may name a buffer of the callee's).
int report(const Result& r, capguard_error* err) {
  if (err != nullptr) *err = {static_cast<int>(r.code), r.set, r.cap, r.sys_errno, r.ok() ? nullptr : r.what};
  return static_cast<int>(r.code);
}

State to_state(const capguard_sets& s) {
  State out;
  for (int i = 0; i < kSetCount; ++i) out.sets[i].bits = s.set[i];
  return out;
}

capguard_sets from_state(const State& s) {
  capguard_sets out = {};
  for (int i = 0; i < kSetCount; ++i) out.set[i] = s.sets[i].bits;
  return out;
}

// `*plan` as a Plan: 0, or the code that refuses it before anything
// changes (in `*err` too, when it is not null).
int to_plan(const capguard_plan& plan, Plan* out, capguard_error* err) {
  if (plan.size != sizeof plan) {
    if (err != nullptr) *err = {CAPGUARD_EBADSIZE, -1, -1, 0, "capguard_plan.size"};
    return CAPGUARD_EBADSIZE;
  }
  if (plan.inherit < CAPGUARD_INHERIT_AUTOMATIC || plan.inherit > CAPGUARD_INHERIT_AMBIENT)
    return report(Result::failure(Error::bad_plan).with_what("capguard_plan.inherit"), err);
  out->keep.bits = plan.keep;
  out->inherit = static_cast<Inherit>(plan.inherit);
  out->uid = plan.uid;
  out->gid = plan.gid;
  out->groups = plan.groups;
  out->group_count = plan.group_count;
  out->no_new_privs = plan.no_new_privs != 0;
  out->lock = plan.lock != 0;
  return 0;
}

}  // namespace
}  // namespace capguard

using namespace capguard;  // NOLINT(google-build-using-namespace): the C functions below only convert

const char* capguard_strerror(int code) {
  if (code == CAPGUARD_EBADSIZE) return "plan size unknown to this capguard";
  if (code == CAPGUARD_EUNKNOWN) return "cannot tell what it will hold";
  return code >= 0 && code < 256 ? error_message(static_cast<Error>(code)) : "unknown error";
}

int capguard_read_self(capguard_sets* out, capguard_error* err) {
  State s;
  Result r = read_thread_syscalls(&s);
  if (r.ok()) *out = from_state(s);
  return report(r, err);
}

int capguard_read_pid(long pid, capguard_sets* out, capguard_error* err) {
  State s;
  Result r = read_pid(pid, &s);
  if (r.ok()) *out = from_state(s);
  return report(r, err);
}

int capguard_violations(const capguard_sets* state, uint64_t allow, unsigned sets, capguard_sets* out) {
  State v = violations(to_state(*state), CapSet{allow}, static_cast<SetMask>(sets & kAllSets));
  *out = from_state(v);
  return first_set(v);
}

size_t capguard_format_violation(const capguard_sets* violations, uint64_t allow, char* buf, size_t size) {
  return format_violation(to_state(*violations), CapSet{allow}, buf, size);
}

const char* capguard_cap_name(int cap) { return cap_name(cap); }

int capguard_parse_caps(const char* list, uint64_t* out, capguard_error* err) {
  CapSet caps;
  Word bad;
  Result r = parse_cap_list(list, text::length(list), &caps, &bad);
  if (r.ok()) *out = caps.bits;
  return report(r, err);
}

size_t capguard_format_caps(uint64_t caps, char* buf, size_t size) { return format_list(CapSet{caps}, buf, size); }

int capguard_predict_exec(const char* command, char* const envp[], capguard_prediction* out, capguard_error* err) {
  Creds creds;
  ExecFile file;
  Result r = read_creds(&creds);
  if (r.ok()) r = find_exec_file(command, envp, creds, &file);
  // An error may name a file by `file`'s buffers, gone on return: by
  // `command` instead.
  auto* at = reinterpret_cast<const char*>(&file);
  if (r.what >= at && r.what < at + sizeof file) r = r.with_what(command);
  if (!r.ok()) return report(r, err);
  (void)sys::close(file.fd);
  Exec e = predict_exec(creds, file);
  if (e.unknown != nullptr) {
    if (err != nullptr) *err = {CAPGUARD_EUNKNOWN, -1, -1, 0, e.unknown};
    return CAPGUARD_EUNKNOWN;
  }
  *out = {e.error, e.missing.bits, from_state(e.caps), e.uid, e.gid};
  return report(r, err);
}

void capguard_plan_init(capguard_plan* plan) { *plan = CAPGUARD_PLAN_INIT; }

int capguard_apply_on_calling_thread(const capguard_plan* plan, capguard_error* err) {
  Plan p;
  int code = to_plan(*plan, &p, err);
  return code != 0 ? code : report(apply_on_calling_thread(p), err);
}

int capguard_spawn(const capguard_plan* plan, const char* file, char* const argv[], char* const envp[], long* pid,
                   capguard_error* err) {
  Plan p;
  int code = to_plan(*plan, &p, err);
  return code != 0 ? code : report(spawn(p, file, argv, envp, pid), err);
}

int capguard_exec(const capguard_plan* plan, const char* file, char* const argv[], char* const envp[],
                  capguard_error* err) {
  Plan p;
  int code = to_plan(*plan, &p, err);
  if (code != 0) return code;
  Result r = apply_on_calling_thread(p);
  return report(r.ok() ? exec_path(file, argv, envp) : r, err);
}
