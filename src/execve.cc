// execve(2)'s credential rules as pure code: each rule cites the kernel
// function it follows.
#include "capguard/execve.h"

#include <errno.h>

#include "files.h"
#include "plan.h"
#include "text.h"

namespace capguard {

Exec predict_exec(const Creds& c, const ExecFile& f) {
  Exec e;
  e.uid = c.euid;
  e.gid = c.egid;
  // fs/exec.c, bprm_fill_uid(): the set-id bits, unless the mount is nosuid
  // or no_new_privs is set.
  bool setid_bits = !f.nosuid && !c.no_new_privs;
  if (setid_bits && is_setuid(f.mode)) e.uid = f.uid;
  if (setid_bits && is_setgid(f.mode)) e.gid = f.gid;
  bool setuid_root = setid_bits && is_setuid(f.mode) && f.uid == 0 && c.euid != 0;
  if (!setid_bits && (is_setuid(f.mode) || is_setgid(f.mode))) e.ignored = f.nosuid ? "nosuid mount" : "no_new_privs";
  // commoncap.c get_file_caps(): none on a nosuid mount; get_vfs_caps_from_disk():
  // none when the rootid is not this namespace's root, and only the bits the
  // kernel knows.
  bool has_fcap = f.caps.revision != 0 && !f.nosuid && f.caps.rootid == 0;
  if (f.caps.revision != 0 && !has_fcap) e.ignored = f.nosuid ? "nosuid mount" : "rootid of another user namespace";
  CapSet known{~uint64_t{0} >> (63 - c.last_cap)};
  CapSet bounding = c.caps[Set::bounding], inheritable = c.caps[Set::inheritable];
  CapSet permitted;
  bool effective = false;
  if (has_fcap) {
    // bprm_caps_from_vfs_caps(): pP' = (X & fP) | (pI & fI); a program
    // with the effective flag that would not get all of fP is refused.
    CapSet fp{f.caps.permitted.bits & known.bits};
    permitted.bits = (bounding.bits & fp.bits) | (inheritable.bits & f.caps.inheritable.bits & known.bits);
    effective = f.caps.effective;
    if (effective && !fp.minus(permitted).empty()) {
      e.error = EPERM;
      e.missing = fp.minus(permitted);
      return e;
    }
  }
  // handle_privileged_root(): unless SECBIT_NOROOT, or file capabilities on
  // a set-uid-root program run by another user, root gets pP' = X | pI, and
  // an effective root uid the effective flag.
  bool root = false;
  if ((c.securebits & abi::kSecbitNoroot) == 0 && !(has_fcap && c.uid != 0 && e.uid == 0)) {
    root = c.uid == 0 || e.uid == 0;
    if (root) permitted.bits = bounding.bits | inheritable.bits;
    effective = effective || e.uid == 0;
  }
  // cap_bprm_creds_from_file(): the ids change when the effective uid does,
  // or the effective gid is not one the caller has (in_group_p()); before
  // Linux 6.17, when the new effective ids are not the caller's real ones.
  // With no_new_privs, a program whose ids change or that gains permitted
  // capabilities runs with the real ids, and keeps no more than the caller had.
  bool setid = c.real_id_rule ? e.uid != c.uid || e.gid != c.gid : e.uid != c.euid || e.gid != c.egid;
  bool by_group = !c.real_id_rule && setid && e.uid == c.euid;
  if (by_group && c.group_count > kMaxGroups)
    e.unknown = "set-gid: whether its group is one of the caller's, who has over 256 supplementary groups";
  for (int i = 0; i < c.group_count && i < kMaxGroups && by_group && setid; ++i) setid = e.gid != c.groups[i];
  if (c.no_new_privs && (setid || !permitted.minus(c.caps[Set::permitted]).empty())) {
    e.uid = c.uid;
    e.gid = c.gid;
    if (has_fcap && !permitted.minus(c.caps[Set::permitted]).empty()) e.ignored = "no_new_privs";
    permitted.bits &= c.caps[Set::permitted].bits;
  }
  // File capabilities or a set-id program clear the ambient set; pP' gains
  // pA', and pE' = fE ? pP' : pA'.
  CapSet ambient = has_fcap || setid ? CapSet{} : c.caps[Set::ambient];
  CapSet own = permitted.minus(ambient);
  e.reasons[static_cast<int>(root ? (setuid_root ? Reason::setuid_root : Reason::root) : Reason::file)] = own;
  e.reasons[static_cast<int>(Reason::ambient)] = ambient;
  permitted.bits |= ambient.bits;
  e.caps[Set::inheritable] = inheritable;
  e.caps[Set::permitted] = permitted;
  e.caps[Set::effective] = effective ? permitted : ambient;
  e.caps[Set::bounding] = bounding;
  e.caps[Set::ambient] = ambient;
  return e;
}

long parse_script_line(const char (&b)[kScriptHead], Interpreter* out) {
  // fs/binfmt_script.c, load_script(), with indices for its pointers; each
  // scan's bound is inclusive, as there.
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  if (b[0] != '#' || b[1] != '!') return 0;
  constexpr size_t kLast = kScriptHead - 1;  // buf_end
  size_t end = 0;                            // i_end
  while (end < kScriptHead && b[end] != '\n') ++end;
  if (end == kScriptHead) {
    // No newline: the interpreter's path must end within the buffer.
    size_t i = 2;
    while (i <= kLast && blank(b[i])) ++i;
    while (i <= kLast && !blank(b[i]) && b[i] != '\0') ++i;
    if (i > kLast) return -ENOEXEC;
    end = kLast;
  }
  while (blank(b[end - 1])) --end;
  size_t name = 2;
  while (name <= end && blank(b[name])) ++name;
  if (name >= end) return -ENOEXEC;
  size_t sep = name;  // i_sep, when <= end
  while (sep <= end && !blank(b[sep]) && b[sep] != '\0') ++sep;
  size_t arg = sep;  // i_arg, when the line has one: the rest, blanks skipped
  while (arg <= end && b[sep] != '\0' && blank(b[arg])) ++arg;
  bool has_arg = sep <= end && b[sep] != '\0' && arg <= end;
  // Each word ends at its NUL (copy_string_kernel()): the path at i_sep or
  // i_end, the argument at i_end.
  text::Writer w(out->text, sizeof out->text);
  w.put(b + name, (sep < end ? sep : end) - name);
  w.put('\0');
  out->arg = has_arg ? static_cast<uint16_t>(w.written()) : 0;
  for (size_t i = arg; has_arg && i < end && b[i] != '\0'; ++i) w.put(b[i]);
  (void)w.finish();
  return 1;
}

Plan init_plan(const Plan& service) {
  Plan p;  // keeps nothing: every set empty
  p.uid = service.uid;
  p.gid = service.gid;
  p.groups = service.groups;
  p.group_count = service.group_count;
  p.no_new_privs = true;
  return p;
}

Creds planned_creds(const Creds& now, const Plan& plan) {
  Creds c = now;
  if (plan.lock) c.securebits |= kLockBits;
  if (plan.uid >= 0) c.uid = c.euid = static_cast<uint32_t>(plan.uid);
  if (plan.gid >= 0) c.gid = c.egid = static_cast<uint32_t>(plan.gid);
  int64_t count = groups_to_set(plan);
  if (count >= 0) c.group_count = static_cast<int>(count);
  for (int64_t i = 0; i < count && i < kMaxGroups; ++i) c.groups[i] = plan.groups[i];
  c.caps = intended(plan, c.euid == 0 && (c.securebits & abi::kSecbitNoroot) == 0);
  c.no_new_privs = c.no_new_privs || plan.no_new_privs;
  return c;
}

}  // namespace capguard
