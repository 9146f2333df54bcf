#!/bin/bash
# `check --allow LIST -- COMMAND` from the attacker's side (issue 16, TAP):
# COMMAND must never start holding a capability outside LIST. Each state is
# built for real (setcap, setpriv, unshare, a seccomp filter, a fake /proc, a
# raw attribute written with debugfs, a symlink swapped under capguard), and
# what COMMAND held is read from inside it: COMMAND is a copy of cat given
# file capabilities, printing its own /proc/self/status. An escape is
# cap_net_raw (bit 13) in its permitted or effective set while LIST lacks it.
# usage: check_escape_test.sh CAPGUARD DENY_FACCESSAT2
set -u
CG=$(realpath "$1") DENY=$(realpath "$2")
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

root_states "check -- COMMAND against real attacks"
work=$(mktemp -d)
swapper=
trap '[ -n "$swapper" ] && kill "$swapper"; rm -rf "$work"' EXIT
chmod 755 "$work"
cd "$work" || exit 1
run() { out=$("$@" 2>"$work/.err"); rc=$?; err=$(<"$work/.err"); }
as1000=(setpriv --reuid 1000 --regid 1000 --clear-groups)

# What the program held, from the status it printed ($out), or that it
# never ran.
held() {
  [[ $out =~ CapPrm:.([0-9a-f]+).*CapEff:.([0-9a-f]+) ]] || { echo "never ran"; return; }
  echo "ran CapPrm=${BASH_REMATCH[1]} CapEff=${BASH_REMATCH[2]}"
}
net_raw="ran CapPrm=0000000000002000 CapEff=0000000000002000"
nothing="ran CapPrm=0000000000000000 CapEff=0000000000000000"
# The words among WORD... that stderr names: for a violation line, whose
# whole text cli_test.sh and cli_file_test.sh pin.
named() {
  local w found=()
  for w in "$@"; do [[ $err == *"$w"* ]] && found+=("$w"); done
  echo "names ${found[*]}"
}
# The errno name execve(2) gives uid 1000 for PATH: perl's exec, no shell in
# between.
exec_errno() { "${as1000[@]}" perl -e 'exec {$ARGV[0]} @ARGV; print((grep { $!{$_} } keys %!)[0])' "$1"; }
# A copy of cat at PATH, given file capabilities by `setcap SETCAP_ARG...`
# unless there is none.
program() {  # PATH [SETCAP_ARG...]
  mkdir -p "$(dirname "$1")" && cp /bin/cat "$1" && { [ $# = 1 ] || setcap "${@:2}" "$1"; } ||
    { echo "Bail out! cannot build $1"; exit 1; }
}
program ep cap_net_raw+ep
program p cap_net_raw+p

# --- 1. An execute-only script: capguard cannot read its #! line, the kernel can ---
printf '#!%s /proc/self/status\n' "$work/ep" >script && chmod 711 script
run "${as1000[@]}" ./script
expect "execute-only script: the kernel runs its #! program with cap_net_raw" "$net_raw" "$(held)"
run "${as1000[@]}" "$CG" check --allow none -- ./script
expect "execute-only script: 126, its interpreter never runs, the script and EACCES named" \
  "126 never ran; capguard: check: ./script: cannot read it to tell what it runs: EACCES (errno 13)" "$rc $(held); $err"

# --- 2. PATH=p1:p2, p1/app an ELF whose loader (PT_INTERP) cannot run ---
# cat's loader path patched in place to one of the same length, relative to
# the working directory, where the kernel then looks for it.
ld=$(readelf -l /bin/cat | sed -n 's/.*interpreter: \(.*\)]/\1/p')
padded() { local s=$1; while [ ${#s} -lt ${#ld} ]; do s+=x; done; echo "$s"; }
touch not-a-dir
cp "$ld" "$(padded ./loader-0644)" && chmod 644 "$(padded ./loader-0644)"
program p2/app cap_net_raw+ep
for v in "ENOENT 2 ./no-such-loader 127" "ENOTDIR 20 ./not-a-dir/ld 126" "EACCES 13 ./loader-0644 126"; do
  read -r errno number interp want <<<"$v"
  program p1/app
  LC_ALL=C sed -i "s|$ld|$(padded "$interp")|" p1/app
  expect "p1/app, loader $interp: the kernel's execve fails with $errno" "$errno" "$(exec_errno p1/app)"
  run "${as1000[@]}" env PATH="$work/p1:$work/p2" "$CG" check --allow none -- app /proc/self/status
  # 127 for ENOENT only, as shells give.
  expect "PATH=p1:p2, p1/app's loader fails with $errno: $want, p2/app never runs, p1/app and $errno named" \
    "$want never ran; capguard: check: $work/p1/app: execve: cannot execute command: $errno (errno $number)" \
    "$rc $(held); $err"
done

# --- 3. faccessat2 refused by seccomp, real uid 0 and effective uid 1000 ---
# r1/app runs for real uid 0 only; faccessat (the real ids) says it runs,
# and the kernel refuses it to euid 1000.
program r1/app
chmod 700 r1/app
program r2/app cap_net_raw+ep
check_r=(env PATH="$work/r1:$work/r2" "$CG" check)
expect "the filter: faccessat2 fails with EPERM, faccessat works" \
  "faccessat2: Operation not permitted, faccessat: 0" "$("$DENY" --probe)"
run "$DENY" setpriv --euid 1000 --securebits +noroot -- "${check_r[@]}" --allow none -- app /proc/self/status
expect "no faccessat2, real uid 0, euid 1000, PATH=r1:r2: refused, r2/app never runs, faccessat2 named" \
  "126 never ran; capguard: check: app: faccessat2: cannot ask if the effective ids may execute it: EPERM (errno 1)" \
  "$rc $(held); $err"
# Real and effective uid 1000 under the same filter: r1/app is not
# executable, so r2/app is COMMAND. The filter sees the host's calls, which
# under qemu-user are qemu's, not capguard's (qemu's faccessat is faccessat2).
noqemu="qemu-user: the filter sees qemu's calls, not capguard's"
if [ -n "${CAPGUARD_QEMU:-}" ]; then
  skip "no faccessat2, uid 1000" "$noqemu"
else
  run "$DENY" "${as1000[@]}" "${check_r[@]}" --allow none -- app /proc/self/status
  expect "no faccessat2, uid 1000: r2/app's cap_net_raw refused, exit 1" \
    "1 never ran; names cap=cap_net_raw r2/app" "$rc $(held); $(named cap=cap_net_raw r2/app)" "stderr: $err"
  run "$DENY" "${as1000[@]}" "${check_r[@]}" --allow net_raw -- app /proc/self/status
  expect "no faccessat2, uid 1000, --allow net_raw: r2/app runs holding cap_net_raw" "0 $net_raw" "$rc $(held)" \
    "stderr: $err"
  # faccessat refused too: nothing can stand in for faccessat2.
  run "$DENY" --deny-faccessat "${as1000[@]}" "$CG" check --allow none -- /bin/true
  expect "no faccessat2 nor faccessat, uid 1000: refused, faccessat2 named" \
    "126 capguard: check: /bin/true: faccessat2: cannot ask if the effective ids may execute it: EPERM (errno 1)" \
    "$rc $err"
  # Real uid 0 under noroot, with a capability that passes permission checks
  # permitted but not effective (a copy of capguard with it +p): faccessat
  # would judge with the permitted set, so it cannot stand in.
  for cap in cap_dac_override cap_dac_read_search; do
    cp "$CG" "cg-$cap" && setcap "$cap=p" "cg-$cap" || { echo "Bail out! cannot build cg-$cap"; exit 1; }
    run "$DENY" setpriv --securebits +noroot -- "./cg-$cap" check --allow all -- /bin/true
    expect "no faccessat2, uid 0, $cap permitted and not effective: refused, faccessat2 named" \
      "126 capguard: check: /bin/true: faccessat2: cannot ask if the effective ids may execute it: EPERM (errno 1)" \
      "$rc $err"
  done
fi

# --- 4. A symlink swapped between check and exec ---
# perl's loop of symlink(2) and rename(2): `ln -s && mv -T` in a shell loop
# swapped too slowly to hit the window once in 1,000 runs.
program race-plain
program race-ep cap_net_raw+ep
ln -s race-plain cmd
perl -e 'for (;;) { for my $t ("race-ep", "race-plain") { symlink($t, "tmp") && rename("tmp", "cmd") or die "$!" } }' &
swapper=$!
# One uid 1000 shell runs the checks, one line each: the exit status and
# what the program held. At most 200 seconds.
outcomes=$("${as1000[@]}" timeout 200 bash -c "$(declare -f held)"'
  for _ in $(seq 1000); do out=$("$0" check --allow none -- ./cmd /proc/self/status 2>/dev/null); echo "$? $(held)"; done' "$CG")
kill "$swapper" && wait "$swapper" 2>/dev/null
swapper=
runs=$(grep -c . <<<"$outcomes")
plain=$(grep -cxF "0 $nothing" <<<"$outcomes")
refused=$(grep -cx "1 never ran" <<<"$outcomes")
# Bit 13 set: the fourth hex digit from the right has its 2 bit. Effective
# is within permitted, so CapPrm decides.
escaped=$(grep -cE 'CapPrm=[0-9a-f]{12}[2367abef]' <<<"$outcomes")
echo "# race: $runs runs: $escaped held cap_net_raw, $plain ran plain, $refused refused," \
  "$((runs - escaped - plain - refused)) other"
expect "race: 1,000 runs, none holding cap_net_raw" "1000 runs, 0 escaped" "$runs runs, $escaped escaped" \
  "besides ran plain and refused: $(grep -vxF -e "0 $nothing" -e "1 never ran" <<<"$outcomes" | sort | uniq -c | head -5 | paste -sd'|')"
expect "race: both sides of the swap seen (ran plain, refused)" "yes yes" \
  "$( ((plain > 0)) && echo yes || echo no) $( ((refused > 0)) && echo yes || echo no)"

# --- 4b. The same swap, held open by strace, with standard input closed ---
# The lookup's O_PATH open and then the read both get descriptor 0. strace
# holds check after the first, while a set-uid root copy is renamed over
# the file: the file read must still be the file judged, or nothing runs.
if [ -n "${CAPGUARD_QEMU:-}" ]; then
  skip "a set-uid file renamed over COMMAND between its lookup and its read" "qemu-user: strace would hold qemu's calls, not capguard's"
else
  cp /bin/cat swap && cp /bin/cat swap-suid && chmod 4755 swap-suid
  swap_check=("${as1000[@]}" sh -c 'exec "$0" check --allow none -- ./swap /proc/self/status <&-' "$CG")
  strace -f -o swap.calls -e trace=openat "${swap_check[@]}" >/dev/null 2>&1
  at=$(grep openat swap.calls | grep -n '"./swap".*O_PATH' | head -1 | cut -d: -f1)
  (strace -f -o swap.held -e trace=openat -e inject=openat:delay_exit=1500000:when="$at" "${swap_check[@]}" >swap.out 2>&1) &
  for i in $(seq 100); do grep -q '"./swap".*O_PATH' swap.held 2>/dev/null && break; sleep 0.05; done
  mv -f swap-suid swap
  wait $!
  expect "a set-uid file renamed over COMMAND between its lookup and its read, stdin closed: refused, never ran" \
    "126 capguard: check: ./swap: replaced while being checked: (errno 116)" "$? $(<swap.out)"
fi

# --- 4c. The same inode through an idmapped mount, swapped in ---
# A set-uid root copy shows as owned by uid 1000 through an idmapped bind of
# its directory. cmd links to it there: set-uid 1000, nothing to refuse.
# strace holds check after the lookup's O_PATH open while uid 1000 relinks
# cmd to the same inode through the ordinary directory: the same device and
# inode, another owner, which the held run's trace shows (1000, then 0).
# The owner that counts is the one the descriptor that runs shows: refused.
idmap_case() {  # in a private mount namespace: what check did, unheld and held
  # A child in a new user namespace mapping its root to 1000 gives the idmap.
  python3 -c 'import ctypes, os, signal, sys
libc, L = ctypes.CDLL(None, use_errno=True), ctypes.c_long
CLONE_NEWUSER, PR_SET_PDEATHSIG, AT_FDCWD, AT_EMPTY_PATH = 0x10000000, 1, -100, 0x1000
OPEN_TREE_CLONE, MOUNT_ATTR_IDMAP, MOVE_MOUNT_F_EMPTY_PATH = 1, 0x100000, 4
SYS_open_tree, SYS_move_mount, SYS_mount_setattr = 428, 429, 442  # the same on every architecture
def call(name, *args):
    rc = libc.syscall(*args)
    if rc < 0:
        raise OSError(ctypes.get_errno(), name + ": " + os.strerror(ctypes.get_errno()))
    return rc
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    libc.prctl(L(PR_SET_PDEATHSIG), L(signal.SIGKILL))
    os.write(w, b"0" if libc.unshare(L(CLONE_NEWUSER)) == 0 else b"1")
    signal.pause()
try:
    if os.read(r, 1) != b"0":
        raise OSError(0, "unshare(CLONE_NEWUSER) failed")
    for f, text in ("uid_map", b"0 1000 1"), ("setgroups", b"deny"), ("gid_map", b"0 1000 1"):
        fd = os.open("/proc/%d/%s" % (pid, f), os.O_WRONLY)
        os.write(fd, text)
        os.close(fd)
    ns = os.open("/proc/%d/ns/user" % pid, os.O_RDONLY)
    tree = call("open_tree", L(SYS_open_tree), L(AT_FDCWD), sys.argv[1].encode(), L(OPEN_TREE_CLONE | os.O_CLOEXEC))
    attr = (ctypes.c_uint64 * 4)(MOUNT_ATTR_IDMAP, 0, 0, ns)
    call("mount_setattr", L(SYS_mount_setattr), L(tree), b"", L(AT_EMPTY_PATH), attr, L(32))
    call("move_mount", L(SYS_move_mount), L(tree), b"", L(AT_FDCWD), sys.argv[2].encode(), L(MOVE_MOUNT_F_EMPTY_PATH))
except OSError as e:
    sys.exit("idmapped mount: %s" % e.strerror)
finally:
    os.kill(pid, signal.SIGKILL)' id-src id-mapped || return
  ln -s ../id-mapped/suid id-u/cmd && chown -h 1000:1000 id-u/cmd
  local check=("${as1000[@]}" sh -c 'cd id-u && exec "$0" check --allow none -- ./cmd /proc/self/status' "$CG")
  out=$(strace -f -o id.calls -e trace=openat,statx "${check[@]}" 2>/dev/null)
  echo -n "unheld: $? $(held); "
  # The statx that follows the O_PATH open of ./cmd, counted among its process's.
  local pid at i
  pid=$(awk '/"\.\/cmd".*O_PATH/ { print $1; exit }' id.calls)
  at=$(awk -v pid="$pid" '$1 != pid { next } /statx\(/ { n++ } /"\.\/cmd".*O_PATH/ { found = 1 }
    found && /statx\(/ { print n; exit }' id.calls)
  [[ $at =~ ^[1-9][0-9]*$ ]] || { echo "no statx after the O_PATH open of ./cmd in id.calls"; return; }
  (strace -f -v -o id.held -e trace=openat,statx -e inject=statx:delay_exit=2000000:when="$at" "${check[@]}" \
    >id.out 2>id.err
    echo "rc=$?" >>id.out) &
  for i in $(seq 100); do [ -f id.held ] && [ "$(grep -c 'statx(' id.held)" -ge "$at" ] && break; sleep 0.05; done
  "${as1000[@]}" sh -c 'cd id-u && ln -s ../id-src/suid new && mv -T new cmd'
  wait $!
  out=$(<id.out)
  # The owner each descriptor of ./cmd showed: the O_PATH one, then the one read.
  echo "held: ${out##*rc=} $(held); owners $(awk '/"\.\/cmd"/ && /openat/ { want = 1; next }
    want && /statx\(/ && match($0, /stx_uid=[0-9]+/) { printf "%s ", substr($0, RSTART + 8, RLENGTH - 8); want = 0 }' id.held)$(
    grep -o 'source=[^ ]*' id.err)"
}
if [ -n "${CAPGUARD_QEMU:-}" ]; then
  skip "an idmapped mount's owner swapped in" "qemu-user: strace would hold qemu's calls, not capguard's"
else
  mkdir id-src id-mapped id-u && cp /bin/cat id-src/suid && chmod 4755 id-src/suid && chown 1000:1000 id-u
  got=$(unshare -m --propagation private bash -c "$(declare -f idmap_case held; declare -p as1000 CG); idmap_case" 2>&1)
  if [[ $got == "idmapped mount: "* ]]; then
    skip "an idmapped mount's owner swapped in" "$got"
  else
    expect "the same inode relinked from an idmapped mount (owner 1000) to its own (root) between the two opens: refused" \
      "unheld: 0 $nothing; held: 1 never ran; owners 1000 0 source=setuid-root:./cmd" "$got"
  fi
fi

# --- 5. A fake /proc: a tmpfs over it saying every set is empty ---
# The real procfs stays reachable at realproc, where COMMAND reads itself.
mkdir realproc
fake_status=$("${as1000[@]}" cat /proc/self/status | sed 's/^\(Cap[A-Za-z]*:\t\).*/\10000000000000000/')
fake_proc() {  # COMMAND...: runs it in a private mount namespace, under the fake /proc
  unshare -m --propagation private bash -c 'mount --bind /proc realproc && mount -t tmpfs -o mode=755 none /proc &&
    mkdir -p /proc/self /proc/thread-self /proc/sys/kernel && echo "$1" >/proc/self/status &&
    echo "$1" >/proc/thread-self/status && cat realproc/sys/kernel/cap_last_cap >/proc/sys/kernel/cap_last_cap &&
    shift && exec "$@"' - "$fake_status" "$@"
}
expect "fake /proc: it says the bounding set is empty" "CapBnd:	0000000000000000" "$(fake_proc grep ^CapBnd: /proc/self/status)"
run "${as1000[@]}" "$CG" check --allow none -- ./p realproc/self/status
expect "real /proc: ./p (cap_net_raw+p) refused, exit 1" "1 never ran; names set=permitted cap=cap_net_raw" \
  "$rc $(held); $(named set=permitted cap=cap_net_raw)" "stderr: $err"
refusal=$err
run fake_proc "${as1000[@]}" "$CG" check --allow none -- ./p realproc/self/status
expect "fake /proc: ./p refused as under the real one, never runs" "1 never ran $refusal" "$rc $(held) $err"
# exec takes the caller's sets into its plan too: --keep all keeps what the
# caller holds.
for keep in none net_raw all; do
  run "$CG" exec --keep "$keep" --dry-run -- ./p
  real="$rc ${out//$'\n'/; }"
  run fake_proc "$CG" exec --keep "$keep" --dry-run -- ./p
  expect "fake /proc: exec --keep $keep --dry-run predicts what it does under the real /proc" "$real" \
    "$rc ${out//$'\n'/; }" "stderr: $err"
done

# The bounding set comes from the kernel, never from /proc: not under the
# fake, nor with a fake file bound over capguard's own thread's status, as
# lxcfs binds its files. Believed, the empty bounding set they show would
# pass check and leave exec nothing to drop.
printf '%s\n' "$fake_status" >fake-status
over_status() {  # COMMAND...: runs it with fake-status bound over its own process's and thread's status
  unshare -m --propagation private bash -c 'mount --bind fake-status /proc/$$/status &&
    mount --bind fake-status /proc/$$/task/$$/status && exec "$@"' - "$@"
}
expect "a file bound over the thread's status: it says the bounding set is empty" "CapBnd:	0000000000000000" \
  "$(over_status grep ^CapBnd: /proc/thread-self/status)"
run "$CG" check --allow none --sets bounding
refusal=$err
for fake in fake_proc over_status; do
  run "$fake" "$CG" check --allow none --sets bounding
  expect "$fake: check --sets bounding refused as under the real /proc" "1 $refusal" "$rc $err"
  if [ -n "${CAPGUARD_QEMU:-}" ] && [ "$fake" = fake_proc ]; then
    skip "$fake: exec --keep none drops the whole bounding set" \
      "qemu-user before 8.0 has no execveat, and under a fake /proc capguard runs no file by its path"
    continue
  fi
  run "$fake" "$CG" exec --keep none -- capsh --print
  expect "$fake: exec --keep none drops the whole bounding set" "0 Bounding set =" "$rc $(grep ^Bounding <<<"$out")" \
    "stderr: $err"
done

# Without execveat (qemu-user before 8.0), the file runs through its
# /proc/self/fd link, but only where /proc is a proc filesystem.
if [ -n "${CAPGUARD_QEMU:-}" ]; then
  skip "no execveat" "$noqemu"
else
  run "$DENY" --no-execveat "$CG" check --allow all -- /bin/echo by link
  expect "no execveat: the file runs through /proc/self/fd" "0 by link" "$rc $out$err"
  run fake_proc "$DENY" --no-execveat "$CG" check --allow all -- /bin/echo by link
  expect "no execveat, a fake /proc: refused, nothing runs" \
    "126 capguard: check: /bin/echo: execve: cannot execute command: ENOSYS (errno 38)" "$rc $out$err"
  # The kernel reads the file again by its link: a "#!" line written into
  # it after the check would run an interpreter never checked. Only a file
  # that no one but root can write runs so.
  cp /bin/echo echo-1000 && chown 1000 echo-1000 && cp /bin/echo echo-775 && chmod 775 echo-775 &&
    cp /bin/echo echo-757 && chmod 757 echo-757
  for f in echo-1000 echo-775 echo-757; do
    run "$DENY" --no-execveat "$CG" check --allow all -- "./$f" by link
    expect "no execveat, $f: someone but root may write it: refused, nothing runs" \
      "126 capguard: check: ./$f: execve: cannot execute command: ENOSYS (errno 38)" "$rc $out$err"
  done
fi

# --- 6. A rootid naming the root of an ancestor namespace ---
# ep's revision 2 value, written here, reads as revision 3 with rootid 5 in
# a namespace mapping 5 to host root, and the kernel honours it. v3's value
# for rootid 1000 reads the same in a namespace mapping 5 to host 1000, and
# the kernel ignores it: no namespace from there up has 1000 as its root.
program v3 -n 1000 cap_net_raw+ep
# In the namespace `USERNS...` builds, where ep's rootid 5 is an ancestor's
# root: refused for --allow none, run holding cap_net_raw for --allow net_raw.
# Under qemu-user, which keeps a thread of its own in every process, no
# process can enter a new user namespace (EINVAL): there capguard cannot ask
# and refuses.
cannot_ask() {  # NAME FILE
  expect "user namespace, $1, under qemu-user: refused, nothing runs" "126 never ran; capguard: check: $2: unshare(CLONE_NEWUSER): \
cannot tell if its rootid is an ancestor namespace's root: EINVAL (errno 22)" "$rc $(held); $err"
}
ancestor_root() {  # NAME USERNS...
  local name=$1
  shift
  echo "# $name: ep reads $("$@" "$CG" file --json ep)"
  run "$@" "$CG" check --allow none -- ./ep /proc/self/status
  [ -n "${CAPGUARD_QEMU:-}" ] && { cannot_ask "$name" ./ep; return; }
  expect "user namespace, $name: --allow none: refused, exit 1" "1 never ran; names cap=cap_net_raw source=file:./ep" \
    "$rc $(held); $(named cap=cap_net_raw source=file:./ep)" "stderr: $err"
  run "$@" "$CG" check --allow net_raw -- ./ep /proc/self/status
  expect "user namespace, $name: --allow net_raw: ep runs holding cap_net_raw, stderr empty" "0 $net_raw " \
    "$rc $(held) $err"
}
as5=(unshare -U --map-user=5 --map-group=5 --)
ancestor_root "5 is host root" "${as5[@]}"
# The kernel is asked from a child: with SIGCHLD ignored (inherited across
# execve), the child is reaped unasked, and its answer still comes.
ancestor_root "5 is host root, SIGCHLD ignored" "${as5[@]}" perl -e '$SIG{CHLD} = "IGNORE"; exec @ARGV or die'
as1=(unshare -U --map-user=1 --map-group=1 --)
ancestor_root "1 is host root" "${as1[@]}"
ancestor_root "nested, 5 is ns1's 1, which is host root" "${as1[@]}" "${as5[@]}"
echo "# 5 is host 1000: v3 reads $("${as1000[@]}" "${as5[@]}" "$CG" file --json v3)"
for allow in none net_raw; do
  run "${as1000[@]}" "${as5[@]}" "$CG" check --allow "$allow" -- ./v3 /proc/self/status
  [ -n "${CAPGUARD_QEMU:-}" ] && { cannot_ask "5 is host 1000, --allow $allow" ./v3; continue; }
  expect "user namespace, 5 is host 1000, v3's rootid 5 no ancestor's root: --allow $allow runs it holding nothing" \
    "0 $nothing" "$rc $(held)" "stderr: $err"
done
# Under `unshare -r`, rootid 1000 maps to nothing: getxattr refuses v3's
# value (EOVERFLOW) and the kernel ignores it, so no child is asked, and
# show --exec says why; ep's value, in a namespace mapping 5 to host root,
# is shown with rootid 5, and one child is asked.
if [ -n "${CAPGUARD_QEMU:-}" ]; then
  skip "user namespace: the children show --exec makes" "qemu-user: strace would see qemu's calls, not capguard's"
else
  run unshare -U -r strace -f -qq -e trace=clone "$CG" show --exec ./v3
  v3_show="$(grep '^ignored' <<<"$out") $(grep -c 'clone(' <<<"$err")"
  run "${as5[@]}" strace -f -qq -e trace=clone "$CG" show --exec ./ep
  expect "user namespace: show --exec of a value getxattr refuses says why and asks no child; of one it shows, one" \
    "ignored: rootid of another user namespace 0 | 1" "$v3_show | $(grep -c 'clone(' <<<"$err")"
fi
# The pipe to the child that asks cannot be made (ep's descriptor is 3, and
# the limit leaves one more), or the child dies without an answer: refused,
# naming the call; never a wait for an answer that cannot come. The filter
# goes on inside the namespace, where unshare(1) has made it (--keep-caps:
# installing it there needs CAP_SYS_ADMIN there).
if [ -n "${CAPGUARD_QEMU:-}" ]; then
  skip "user namespace, no pipe, or the child killed before it answers" \
    "qemu-user: its own descriptors and calls are counted and filtered with capguard's"
else
  limited() { run "${as5[@]}" sh -c 'ulimit -n "$1" && exec "$2" check --allow all -- ./ep /proc/self/status' - "$1" "$CG"; }
  limited 5
  no_pipe="$rc $(held); $err"
  limited 6
  expect "user namespace, ulimit -n 5: no pipe, refused, nothing runs; ulimit -n 6: ep runs" "126 never ran; capguard: \
check: ./ep: pipe2: cannot tell if its rootid is an ancestor namespace's root: EMFILE (errno 24) | 0 $net_raw; " \
    "$no_pipe | $rc $(held); $err"
  run timeout 10 unshare -U --map-user=5 --map-group=5 --keep-caps -- "$DENY" --kill-unshare "$CG" check --allow all -- \
    ./ep /proc/self/status
  expect "user namespace, the child killed before it answers: refused, nothing runs" "126 never ran; capguard: \
check: ./ep: unshare(CLONE_NEWUSER): cannot tell if its rootid is an ancestor namespace's root: EIO (errno 5)" \
    "$rc $(held); $err"
fi

# --- 7. A revision 1 value: honoured by execve, refused by getxattr ---
# setxattr refuses to write one (EINVAL): debugfs writes it raw into an ext4
# image, mounted read-only in a private mount namespace. 12 bytes: magic
# 0x01000000 little-endian, permitted cap_net_raw, inheritable none.
v1_mount() {  # COMMAND...: runs it in the image's root
  unshare -m --propagation private bash -c 'mount -o loop,ro img mnt && cd mnt && exec "$@"' - "$@"
}
mkdir mnt && printf '\0\0\0\1\0\040\0\0\0\0\0\0' >v1 && truncate -s 16M img && mkfs.ext4 -q img &&
  debugfs -w -R "write /bin/cat v1cat" img >/dev/null 2>&1 &&
  debugfs -w -R "ea_set -f v1 /v1cat security.capability" img >/dev/null 2>&1
if ! v1_mount true 2>/dev/null; then
  skip "revision 1 value" "the ext4 image could not be written with debugfs or loop-mounted"
else
  run v1_mount getfattr -n security.capability v1cat
  expect "revision 1 value: getxattr refuses to read it" "1 names Invalid argument" "$rc $(named 'Invalid argument')" \
    "stderr: $err"
  run v1_mount "${as1000[@]}" ./v1cat /proc/self/status
  expect "revision 1 value: the kernel grants cap_net_raw in permitted from it" \
    "ran CapPrm=0000000000002000 CapEff=0000000000000000" "$(held)" "stderr: $err"
  run v1_mount "${as1000[@]}" "$CG" check --allow none -- ./v1cat /proc/self/status
  expect "revision 1 value: check refuses with 126, never runs it, v1cat and EINVAL named" \
    "126 never ran; capguard: check: ./v1cat: cannot read the file capabilities: EINVAL (errno 22)" "$rc $(held); $err"
fi

# --- 8. exec --dry-run says what exec would do ---
# The dry run applies the plan in a child: a step the kernel refuses (here
# the bounding drop, without cap_setpcap) is refused alike, and before
# COMMAND is looked up, as the real run refuses it.
for plan in "uid 1000|${as1000[*]}|--keep net_raw|/bin/true" "root||--keep 63|/bin/true" \
  "uid 1000|${as1000[*]}|--keep none --user nobody|/bin/true" "uid 1000|${as1000[*]}|--keep net_raw|./missing"; do
  IFS='|' read -r who as keep command <<<"$plan"
  run $as "$CG" exec $keep -- "$command"
  real="$rc $err"
  expect "$who, exec $keep -- $command: refused, exit 1, nothing on stdout" "1 " "$rc $out"
  run $as "$CG" exec $keep --dry-run -- "$command"
  expect "$who, exec $keep --dry-run -- $command: the same exit status and stderr, nothing on stdout" \
    "$real stdout: " "$rc $err stdout: ${out//$'\n'/; }"
done

# exec --user looks COMMAND up again as the new user: a script only root
# may execute, whose #! line holds a secret, is refused as execve refuses
# it, and its interpreter never sees the line.
printf '#!/bin/echo TOKEN=s3cret\n' >rootonly && chmod 700 rootonly
run "$CG" exec --keep none --user nobody -- ./rootonly
expect "exec --user nobody: a root-only script refused, its #! line unread by nobody" \
  "126 capguard: exec: ./rootonly: execve: command not executable: EACCES (errno 13)" "$rc $out$err"

# --- 9. A caller with 300 supplementary groups ---
groups=$(seq -s, 1 300)
run setpriv --reuid 1000 --regid 1000 --groups "$groups" -- "$CG" check --allow none -- /bin/true
expect "300 supplementary groups: check -- /bin/true runs it" "0 " "$rc $err"
run setpriv --reuid 1000 --regid 1000 --groups "$groups" -- "$CG" show --exec /bin/true
expect "300 supplementary groups: show --exec /bin/true works" "0 " "$rc $err"

# --- 10. scan while an attacker changes the tree ---
# strace holds scan for 2 s after its statx of NAME in $work/sw/root/a/b's
# walk (the how-manieth call, counted in a run before), while the test
# changes the tree. What scan lists must be the file it walked: never one a
# symlink put in an ancestor's place leads to, and never a directory put in
# a walked one's place.
if [ -n "${CAPGUARD_QEMU:-}" ]; then
  skip "scan while the tree is changed" "qemu-user: strace would hold qemu's calls, not capguard's"
  skip "scan without getxattrat" "$noqemu"
else
  tree() {
    rm -rf "$work/sw" && mkdir -p "$work/sw/root/a/b" "$work/sw/decoy/b" &&
      cp /bin/true "$work/sw/root/a/b/x" && chmod 4755 "$work/sw/root/a/b/x" &&
      setcap cap_net_raw+ep "$work/sw/root/a/b/x" && cp /bin/true "$work/sw/decoy/b/x" &&
      chmod 2755 "$work/sw/decoy/b/x" && setcap cap_sys_admin+ep "$work/sw/decoy/b/x"
  }
  held_at() {  # NAME NOFILE CHANGE...
    local name=$1 nofile=$2 n i
    shift 2
    tree && strace -o "$work/sw/calls" -e trace=statx "$CG" scan "$work/sw/root" >/dev/null
    n=$(grep -n "^statx([0-9]*, \"$name\"" "$work/sw/calls" | cut -d: -f1)
    (ulimit -n "$nofile" && exec strace -o "$work/sw/held" -e trace=statx \
      -e inject=statx:delay_exit=2000000:when="$n" "$CG" scan "$work/sw/root" >"$work/sw/out" 2>&1) &
    for i in $(seq 100); do grep -q "\"$name\"" "$work/sw/held" 2>/dev/null && break; sleep 0.05; done
    "$@"
    wait $!
    rc=$? out=$(<"$work/sw/out")
  }
  to_decoy() { mv "$work/sw/root/a" "$work/sw/away" && ln -s ../decoy "$work/sw/root/a"; }
  real="$work/sw/root/a/b/x setuid=0 setgid=- caps=\"cap_net_raw=ep\""
  held_at b 1024 to_decoy
  expect "scan: an ancestor swapped for a symlink before a directory is opened: the directory walked is the one found" \
    "0 $real" "$rc $out"
  held_at x 1024 to_decoy
  expect "scan: an ancestor swapped for a symlink before a file's attribute is read: that file's" "0 $real" "$rc $out"
  # Five descriptors: a/b is opened by path, its ancestors' given back.
  held_at b 5 to_decoy
  expect "scan: the same, b opened by path (ulimit -n 5): not walked, both named, exit 3" \
    "3 capguard: scan: $work/sw/root/a/b: replaced while being checked
capguard: scan: $work/sw/root/a: cannot open: ENOTDIR (errno 20)" "$rc $out"
  to_new() { mv "$work/sw/root/a/b" "$work/sw/away" && mkdir "$work/sw/root/a/b" && cp -a "$work/sw/decoy/b/x" "$work/sw/root/a/b/"; }
  held_at b 1024 to_new
  expect "scan: a directory put in a found one's place: not walked, named, exit 3" \
    "3 capguard: scan: $work/sw/root/a/b: replaced while being checked" "$rc $out"
  # Before Linux 6.13 (ENOSYS), or under a filter older than getxattrat
  # (EPERM): the attribute read by path, the same text.
  tree
  for flag in --no-getxattrat --deny-getxattrat; do
    run "$DENY" "$flag" "$CG" scan "$work/sw"
    expect "scan, getxattrat $flag: the attributes read by path" "0 $work/sw/decoy/b/x setuid=- setgid=0 \
caps=\"cap_sys_admin=ep\"
$real" "$rc $(sort <<<"$out")$err"
  done
  # One directory kept open per level, 32 levels down: a chain 32 deep is
  # opened once per directory, by name in its parent's, and read without a
  # seek; one 33 deep reopens the level past the bound, by path, and seeks
  # it to where its entries end. With standard input closed the root is kept
  # on descriptor 0, and is not opened again either.
  for depth in 32 33; do
    d=$work/deep$depth && mkdir "$d" && for i in $(seq "$depth"); do d=$d/d; done && mkdir -p "$d"
    strace -o "$work/deep$depth.calls" -e trace=openat,lseek "$CG" scan "$work/deep$depth" >/dev/null
  done
  strace -o "$work/deep32-closed.calls" -e trace=openat,lseek "$CG" scan "$work/deep32" >/dev/null <&-
  calls() { echo "$(grep -c O_DIRECTORY "$1") $(grep -c 'AT_FDCWD.*O_DIRECTORY' "$1") $(grep -c lseek "$1")"; }
  expect "scan: a chain 32 deep opens each directory once by name and seeks none, 33 deep reopens one by path and \
seeks it; stdin closed, the same" "32 0 0 | 34 1 1 | 32 0 0" \
    "$(calls "$work/deep32.calls") | $(calls "$work/deep33.calls") | $(calls "$work/deep32-closed.calls")"
fi

done_testing
