#!/bin/bash
# `capguard exec` from the starting states real deployments hand it, and its
# --user specs over fixture /etc/passwd and /etc/group files (TAP). Each state
# is built for real (setcap on a copy, setpriv, capsh --secbits, a nested
# capguard, a set-uid copy); what the program holds is read from its own
# /proc/self/status and capsh --print, never from capguard.
# usage: cli_exec_test.sh CAPGUARD
set -u
CG=$1
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
run() { out=$("$@" 2>/tmp/capguard-exec-err.$$); rc=$?; err=$(cat /tmp/capguard-exec-err.$$); }
work=$(mktemp -d)
trap 'rm -rf "$work" /tmp/capguard-exec-err.$$' EXIT
chmod 755 "$work"

root_states "exec from real starting states"

# What the program holds: the five sets, ids, groups, no_new_privs and the
# securebits, on one line.
probe() {
  echo "$(grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|Uid|Gid|Groups|NoNewPrivs):' /proc/self/status | tr '\t\n' '  ' | tr -s ' ')$(capsh --print | grep -o '^Securebits: [0-7]*/0x[0-9a-f]*' | cut -d/ -f2)"
}
export -f probe
# That line for caps HEX in every set, ids U:G, groups, no_new_privs, securebits.
held() {  # HEX UID GID GROUPS NNP SECBITS
  printf 'Uid: %s %s %s %s Gid: %s %s %s %s Groups: %s CapInh: %016x CapPrm: %016x CapEff: %016x CapBnd: %016x CapAmb: %016x NoNewPrivs: %s %s' \
    "$2" "$2" "$2" "$2" "$3" "$3" "$3" "$3" "$4" $(( $1 )) $(( $1 )) $(( $1 )) $(( $1 )) $(( $1 )) "$5" "$6" | tr -s ' '
}
bind=0x400  # cap_net_bind_service
marker=$work/ran
ran() { [ -e "$marker" ] && echo ran || echo "nothing ran"; rm -f "$marker"; }

mygroups=$(grep ^Groups: /proc/self/status | cut -f2 | sed 's/ *$//')
# Under qemu-user (CAPGUARD_QEMU, a cross build) the kernel execs qemu, not
# the copy: a copy's file capabilities and set-id bits give it nothing, and
# qemu answers statx(/proc/self/exe) with its own file.
qemu=${CAPGUARD_QEMU:-}
noqemu="qemu-user: the kernel takes credentials from qemu's file, not the copy's"

# --- Starting states ---
# Permitted but not effective: a setcap +p copy run as uid 1000.
if [ -n "$qemu" ]; then
  skip "setcap +p copy as uid 1000: effective raised first, then the drop" "$noqemu"
else
  cp "$CG" "$work/cg-fcaps"
  setcap cap_net_bind_service,cap_setpcap,cap_setuid,cap_setgid+p "$work/cg-fcaps"
  run setpriv --reuid=1000 --regid=1000 --clear-groups -- "$work/cg-fcaps" exec --keep net_bind_service -- bash -c probe
  expect "setcap +p copy as uid 1000: effective raised first, then the drop" "0 $(held $bind 1000 1000 '' 0 0x0)" "$rc $out" "$err"
fi
# ... and setpriv --euid=1000: root's permitted set, an empty effective one.
run setpriv --euid=1000 -- "$CG" exec --keep net_bind_service --user 1000:1000 -- bash -c probe
expect "setpriv --euid=1000: works, as libcap and setpriv manage" "0 $(held $bind 1000 1000 1000 0 0x0)" "$rc $out" "$err"
# no_new_privs already set by a parent.
run setpriv --no-new-privs -- "$CG" exec --keep net_bind_service --user 1000:1000 -- bash -c probe
expect "no_new_privs already set: kept, and the ambient set still raised" "0 $(held $bind 1000 1000 1000 1 0x0)" "$rc $out" "$err"
# An outer exec --lock (systemd's SecureBits=keep-caps-locked too), then an
# inner --user: no_setuid_fixup makes keep_caps unneeded.
run "$CG" exec --keep net_bind_service,setpcap,setuid,setgid --lock -- "$CG" exec --keep net_bind_service --user 1000:1000 -- bash -c probe
expect "nested: exec --lock, then exec --user" "0 $(held $bind 1000 1000 1000 0 0x2f)" "$rc $out" "$err"
run capsh --secbits=0x20 -- -c "$CG exec --keep net_bind_service --user 1000:1000 -- touch $marker"
expect "keep_caps locked off and no no_setuid_fixup: refused, nothing run" \
  "1 capguard: exec: SECBIT_KEEP_CAPS_LOCKED: set by the caller, this securebit forbids a step; capguard never clears it nothing ran" "$rc $err $(ran)"
# A securebit someone set is never cleared: --lock adds its bits ...
run capsh --secbits=0x40 -- -c "$CG exec --keep none --lock -- bash -c probe"
expect "--lock adds to SECBIT_NO_CAP_AMBIENT_RAISE, never clears it" "0 $(held 0 0 0 "$mygroups" 0 0x6f)" "$rc $out" "$err"
# ... and an ambient set it forbids is refused before anything changes.
run capsh --secbits=0x40 -- -c "$CG exec --keep net_bind_service --lock --user 1000:1000 -- touch $marker"
expect "no_cap_ambient_raise and an ambient set to raise: refused, nothing run" \
  "1 capguard: exec: SECBIT_NO_CAP_AMBIENT_RAISE: set by the caller, this securebit forbids a step; capguard never clears it (cap_net_bind_service) nothing ran" "$rc $err $(ran)"
run capsh --secbits=0x2 -- -c "$CG exec --keep none --lock -- touch $marker"
expect "noroot locked off: --lock cannot set it, refused, nothing run" \
  "1 capguard: exec: SECBIT_NOROOT_LOCKED: set by the caller, this securebit forbids a step; capguard never clears it nothing ran" "$rc $err $(ran)"
# A set-uid or set-gid capguard runs nothing for another user (gosu refuses too).
for bit in u+s g+s; do
  cp "$CG" "$work/cg-setid" && chmod "$bit" "$work/cg-setid"
  if [ -n "$qemu" ]; then
    skip "chmod $bit copy run by uid 1000: exec and check -- COMMAND refused" "$noqemu"
    continue
  fi
  run setpriv --reuid=1000 --regid=1000 --clear-groups -- "$work/cg-setid" exec --keep none --user 0:0 -- touch "$marker"
  expect "chmod $bit copy run by uid 1000: exec refused, nothing run" \
    "1 capguard: exec: /proc/self/exe: set-uid or set-gid, and run by another user: refusing to run a program (chmod u-s,g-s) nothing ran" "$rc $err $(ran)"
  run setpriv --reuid=1000 --regid=1000 --clear-groups -- "$work/cg-setid" check --allow all --sets all -- touch "$marker"
  expect "chmod $bit copy run by uid 1000: check -- COMMAND refused, nothing run" \
    "1 capguard: check: /proc/self/exe: set-uid or set-gid, and run by another user: refusing to run a program (chmod u-s,g-s) nothing ran" "$rc $err $(ran)"
  run setpriv --reuid=1000 --regid=1000 --clear-groups -- "$work/cg-setid" check --allow none --sets bounding
  expect "chmod $bit copy run by uid 1000: check without COMMAND is not refused, and checks" \
    "1 set=bounding cap=cap_chown bit=0" "$rc $(grep -o 'set=[a-z]* cap=[a-z_0-9]* bit=[0-9]*' <<<"$err")"
done
run "$work/cg-setid" exec --keep none --user 1000:1000 -- bash -c probe
expect "the set-id copy run by its owner works" "0 $(held 0 1000 1000 1000 0 0x0)" "$rc $out" "$err"

# --- "all" ---
run "$CG" exec --keep all --user 1000:1000 -- bash -c probe
all=0x$(grep CapPrm /proc/self/status | cut -f2)
expect "--keep all keeps every capability held" "0 $(held "$all" 1000 1000 1000 0 0x0)" "$rc $out" "$err"
run "$CG" check --allow ALL --sets all -- true; expect "--allow ALL passes every set" "0 " "$rc $err"

# --- User specs over fixture files, bind-mounted in a private mount namespace ---
mount_ns "user specs over fixture files"
cat >"$work/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin

games:x:5:60:games:/usr/games:/usr/sbin/nologin
#carol:x:3000:3000::/home/carol:/bin/sh
0day:x:2000:2000::/home/0day:/bin/sh
nohome:x:2100:2100
cut:x:2200
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$work/group" <<'EOF'
root:x:0:
daemon:x:1:
wheel:x:10:root,nobody
games:x:60:
#staff:x:50:games
users:x:100:games,nobody,gamesx
gx:x:70:gamesx,xgames,game
nogroup:x:65534:
EOF
# in_fixture COMMAND...: runs it with the fixture files as /etc/passwd and /etc/group.
in_fixture() {
  unshare -m --propagation private bash -c 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec "$@"' \
    - "$work/passwd" "$work/group" "$@"
}
# user SPEC: uid:gid:groups:HOME of the program run as SPEC, or the refusal.
user() {
  run in_fixture "$CG" exec --keep none --user "$1" -- bash -c \
    'echo "$(id -u):$(id -g):$(grep ^Groups: /proc/self/status | cut -f2 | sed "s/ *$//"):$HOME"'
  echo "$rc $out$err"
}
# The specs of gosu's own test cases (Dockerfile.test-debian), on these
# fixtures: ids and HOME as gosu gives them, groups as initgroups(3) and
# setpriv --init-groups do (with the primary gid); "1000" alone is refused
# where gosu would take the caller's gid.
while IFS='|' read -r spec want; do
  expect "--user '$spec'" "$want" "$(HOME=/caller user "$spec")"
done <<'EOF'
0|0 0:0:0 10:/root
0:0|0 0:0:0:/root
root|0 0:0:0 10:/root
0:root|0 0:0:0:/root
root:0|0 0:0:0:/root
root:root|0 0:0:0:/root
0:1000|0 0:1000:1000:/root
1000:1000|0 1000:1000:1000:/
root:1000|0 0:1000:1000:/root
1000:root|0 1000:0:0:/
1000:daemon|0 1000:1:1:/
games|0 5:60:60 100:/usr/games
games:daemon|0 5:1:1:/usr/games
0:|0 0:0:0 10:/root
nobody|0 65534:65534:10 100 65534:/nonexistent
0day|0 2000:2000:2000:/home/0day
2000|0 2000:2000:2000:/home/0day
nohome|0 2100:2100:2100:/
1000|2 capguard: exec: --user 1000: /etc/passwd: no entry gives its group; write UID:GID
bogus|2 capguard: exec: --user bogus: /etc/passwd: no such user
carol|2 capguard: exec: --user carol: /etc/passwd: no such user
3000|2 capguard: exec: --user 3000: /etc/passwd: no entry gives its group; write UID:GID
cut|2 capguard: exec: --user cut: /etc/passwd: no such user
0:bogus|2 capguard: exec: --user 0:bogus: /etc/group: no such group
0:0day|2 capguard: exec: --user 0:0day: /etc/group: no such group
|2 capguard: exec: --user : not USER, UID, USER:GROUP or UID:GID
:0|2 capguard: exec: --user :0: not USER, UID, USER:GROUP or UID:GID
EOF
# The rest of the environment is passed on untouched.
run in_fixture env -i A=1 HOME=/caller Z=2 "$CG" exec --keep none --user games -- /usr/bin/env
# qemu-user hands the program its environment in reverse order.
[ -n "$qemu" ] && out=$(sort <<<"$out")
expect "HOME replaced in its place, the rest of the environment untouched" "0 A=1 HOME=/usr/games Z=2" "$rc $(echo $out)" "$err"
# Without HOME it is added before the rest, and COMMAND's arguments move
# into the slot of the "--" before them.
run in_fixture env -i A=1 Z=2 "$CG" exec --keep none --user games -- /usr/bin/env -u A
[ -n "$qemu" ] && out=$(sort <<<"$out")
expect "HOME added, COMMAND's arguments intact" "0 HOME=/usr/games Z=2" "$rc $(echo $out)" "$err"
# Without --user, HOME is the caller's.
run env -i A=1 HOME=/caller "$CG" exec --keep none -- /usr/bin/env
[ -n "$qemu" ] && out=$(sort <<<"$out")
expect "no --user: HOME left as it is" "0 A=1 HOME=/caller" "$rc $(echo $out)" "$err"
# More groups than capguard sets is a usage error, before anything changes.
run "$CG" exec --keep none --groups "$(seq -s, 0 300)" -- true
expect "--groups with 301 groups: exit 2" "2 capguard: exec: --groups: more supplementary groups than capguard sets (256)" "$rc $err"
# setpriv --init-groups gives the same supplementary groups (initgroups(3)),
# on a group file without the comment line: glibc's getgrnam() skips it, but
# its initgroups() reads "#staff" as a group.
sed -i '/^#/d' "$work/group"
for u in root games nobody daemon; do
  want=$(in_fixture setpriv --reuid="$u" --regid="$(in_fixture id -g "$u")" --init-groups grep ^Groups: /proc/self/status)
  expect "--user $u: the groups setpriv --init-groups gives" "$want" "$(in_fixture "$CG" exec --keep none --user "$u" -- grep ^Groups: /proc/self/status)"
done
# No /etc/passwd at all (a scratch image): UID:GID still works, names fail.
run unshare -m --propagation private bash -c "mount -t tmpfs none /etc && $CG exec --keep none --user 1000:1000 -- /usr/bin/id -G"
expect "no /etc/passwd: UID:GID works" "0 1000" "$rc $out" "$err"
run unshare -m --propagation private bash -c "mount -t tmpfs none /etc && $CG exec --keep none --user root -- true"
expect "no /etc/passwd: a name is refused" "2 capguard: exec: --user root: /etc/passwd: no such user" "$rc $err"

# The bounding set is probed once between capguard's execve and the
# target's, by the read-back (one PR_CAPBSET_READ for each capability, and
# the EINVAL past the last), besides kernel_last_cap()'s binary search (7):
# the drop asks nothing first, and exec reads the caller's bounding set only
# for --keep all. Strace counts each kind of call.
if [ -n "$qemu" ]; then
  skip "exec: the bounding set probed once, by the read-back" "qemu-user: strace would count qemu's calls, not capguard's"
else
  strace -f -o "$work/calls" "$CG" exec --keep none --user 1000:1000 -- /bin/true
  before() { awk 'NR > 1 && / execve(at)?\(/ { exit } NR > 1' "$work/calls"; }
  last=$(cat /proc/sys/kernel/cap_last_cap)
  expect "exec: the bounding set probed once, by the read-back ($(before | wc -l) calls before the target's execve)" \
    "$((last + 2 + 7)) $((last + 2))" "$(before | grep -c PR_CAPBSET_READ) $(before | grep -c PR_CAPBSET_DROP)"
fi
done_testing
