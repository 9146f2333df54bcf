// execve(2)'s credential rules as pure code: each rule cites the kernel
// function it follows.
#include "capguard/execve.h"

#include <errno.h>

#include "plan.h"

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
  // or the effective gid is not one the caller has (in_group_p()). With
  // no_new_privs, a program whose ids change or that gains permitted
  // capabilities runs with the real ids, and keeps no more than the caller had.
  bool setid = e.uid != c.euid || e.gid != c.egid;
  for (int i = 0; i < c.group_count && setid && e.uid == c.euid; ++i) setid = e.gid != c.groups[i];
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
