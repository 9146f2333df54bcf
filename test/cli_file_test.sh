#!/bin/bash
# capguard file, scan, and the post-execve checks of check and exec (TAP),
# over files given capabilities with setcap and setfattr, set-id bits with
# chmod, and trees with symlink loops, mounts and unreadable directories.
# The oracles are getcap's text and the kernel's own exec.
# usage: cli_file_test.sh CAPGUARD
set -u
CG=$(realpath "$1")
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
readme=$(realpath "$(dirname "${BASH_SOURCE[0]}")/../README.md")
run() { out=$("$@" 2>/tmp/capguard-file-err.$$); rc=$?; err=$(cat /tmp/capguard-file-err.$$); }

root_states "file capabilities and set-id files"
work=$(mktemp -d)
trap 'rm -rf "$work" /tmp/capguard-file-err.$$' EXIT
chmod 755 "$work"
cd "$work" || exit 1
last=$(cat /proc/sys/kernel/cap_last_cap)

# --- file: getcap's text, byte for byte ---
# Random values written raw (revision 2 and 3, the effective flag, bits past
# the kernel's last) and random setcap texts.
cp /bin/true f
RANDOM=42
word() { printf '%02x%02x%02x%02x' $((RANDOM % 256)) $((RANDOM % 256)) $((RANDOM % 256)) $((RANDOM % 256)); }
differ=0 tried=0
for i in $(seq 300); do
  if ((i % 3 == 0)); then
    # setcap takes the effective flag for all or none.
    caps=() sets=(p i ip) e=
    ((RANDOM % 2)) && e=e
    for c in $(shuf -i 0-"$last" -n $((RANDOM % 6 + 1)) --random-source=<(yes $i)); do caps+=("$c+$e${sets[RANDOM % 3]}"); done
    setcap "${caps[*]}" f 2>/dev/null || continue
  else
    flag=$((RANDOM % 2)) rev=$((RANDOM % 2 + 2))
    value=0x0${flag}00000${rev}$(word)$(word)$(word)$(word)  # the first word little-endian
    ((rev == 3)) && value+=$(word)
    setfattr -n security.capability -v "$value" f 2>/dev/null || continue
  fi
  tried=$((tried + 1))
  [ "$(getcap f)" = "$("$CG" file f)" ] || { differ=$((differ + 1)); not_ok "file f = getcap f" "getcap: $(getcap f)" "capguard: $("$CG" file f)"; }
done
expect "file equals getcap over random file capabilities" "0 differ, 300 tried" "$differ differ, $tried tried"

setcap -n 1000 cap_net_raw+ep f
run "$CG" file --json f
expect "file --json: a v3 value and its rootid" \
  '0 {"schema":1,"path":"f","permitted":["cap_net_raw"],"inheritable":[],"effective":["cap_net_raw"],"revision":3,"rootid":1000}' "$rc $out"
setcap cap_chown+p f && ln -s f link && mkdir dir && cp /bin/true plain
run "$CG" file f plain link dir missing f
expect "file: nothing for a plain file, a symlink, a directory; the missing one named, exit 1" \
  "1 f cap_chown=p
f cap_chown=p capguard: file: missing: cannot read the file capabilities: ENOENT (errno 2)" "$rc $out $err"
run "$CG" file; expect "file without a PATH is a usage error" "2 capguard: file: expected a PATH" "$rc $err"
run "$CG" file --jsn f; expect "file with an unknown option" "2 capguard: file: unknown option: --jsn" "$rc $err"
# Lines longer than any buffer: a path of 3,800 control characters, each
# six bytes once escaped, goes out whole.
long=$work/long
for i in $(seq 19); do long+=/$(printf '\001%.0s' $(seq 199)); done
mkdir -p "$long" && cp f "$long/f" && setcap cap_chown+p "$long/f"
path_of() { python3 -X utf8 -c 'import json, os, sys; sys.stdout.buffer.write(os.fsencode(json.loads(sys.stdin.buffer.read().decode())["path"]))'; }
run "$CG" file --json "$long/f"
expect "file --json: a line of over 16 KiB, whole" "0 1 $long/f" "$rc $((${#out} > 16384)) $(path_of <<<"$out")"
run "$CG" scan --json "$long"
expect "scan --json: the same, whole" "0 $long/f" "$rc $(path_of <<<"$out")"

# --- check -- COMMAND: the sets COMMAND will hold ---
cp /bin/true ep && setcap cap_net_raw+ep ep
cp /bin/true suid && chmod u+s suid
as1000=(setpriv --reuid 1000 --regid 1000 --clear-groups)
run "${as1000[@]}" "$CG" check --allow none -- ./ep
expect "check: file capabilities outside LIST refused before exec, source and fix named, as the README shows" \
  "1 $(grep '^capguard: level=error .* source=file:./ep ' "$readme")" "$rc $err"
run "${as1000[@]}" "$CG" check --allow none --sets bounding -- ./suid
expect "check --sets bounding: the bounding set is the caller's, not a source" "1 " "$rc $(grep -o ' source=' <<<"$err")"
run "${as1000[@]}" "$CG" check --allow none -- ./suid
expect "check: set-uid root refused, source and fix named" \
  "1 source=setuid-root:./suid fix=\"chmod u-s ./suid," "$rc $(grep -o 'source=.*fix="[^ ]* [^ ]* [^ ]*' <<<"$err")"
run "${as1000[@]}" "$CG" check --allow net_raw -- ./ep
expect "check: within LIST, COMMAND runs" "0 " "$rc $err"
run "${as1000[@]}" --no-new-privs "$CG" check --allow none -- ./ep
expect "check: under no_new_privs the file grants nothing, COMMAND runs" "0 " "$rc $err"
run "${as1000[@]}" --bounding-set -net_raw "$CG" check --allow none -- ./ep
expect "check: a capability-dumb COMMAND the kernel would refuse: 126, named" \
  "126 capguard: check: ./ep: execve would fail: EPERM (errno 1): its file capabilities have the effective flag, and cap_net_raw would not be granted: in neither the bounding set nor both inheritable sets; add it to the container's capabilities, or remove them (setcap -r)" \
  "$rc $err"
run "${as1000[@]}" "$CG" check --allow none -- ./nosuch
expect "check: COMMAND not found: 127" "127 capguard: check: ./nosuch: execve: command not found: ENOENT (errno 2)" "$rc $err"
# A caller that already has no_new_privs is predicted with it: the dry run
# of exec, and check's refusal, agree with the kernel's exec (a set-uid-3000
# and a file-capability copy of cat print their own status).
cp /bin/cat nnp-suid && chown 3000 nnp-suid && chmod 4755 nnp-suid && cp /bin/cat nnp-fcap && setcap cap_net_raw+ep nnp-fcap
for nnp in "" --no-new-privs; do
  euid=3000 ignored="" caps=0000000000002000 status=1
  [ -n "$nnp" ] && euid=1000 ignored=" ignored: no_new_privs" caps=0000000000000000 status=0
  run setpriv $nnp "$CG" exec --keep none --user 1000:1000 --dry-run -- ./nnp-suid
  expect "setpriv ${nnp:-(nothing)}: exec --dry-run -- a set-uid-3000 program: euid $euid" \
    "0 uid: $euid$ignored" "$rc $(grep -E '^(uid|ignored):' <<<"$out" | tr '\n' ' ' | sed 's/ $//')"
  if [ -n "${CAPGUARD_QEMU:-}" ]; then
    skip "setpriv ${nnp:-(nothing)}: the kernel agrees: euid $euid" \
      "qemu-user before 8.0 has no execveat, and without it no file uid 3000 can write runs (check_escape tests that)"
  else
    run setpriv $nnp "$CG" exec --keep none --user 1000:1000 -- ./nnp-suid /proc/self/status
    expect "setpriv ${nnp:-(nothing)}: the kernel agrees: euid $euid" "0 $euid" "$rc $(awk '/^Uid:/ { print $3 }' <<<"$out")"
  fi
  run "${as1000[@]}" $nnp "$CG" check --allow none -- ./nnp-fcap /proc/self/status
  expect "uid 1000, ${nnp:-(nothing)}: check --allow none -- a cap_net_raw+ep program: exit $status" \
    "$status $([ $status = 0 ] && echo "CapPrm:	$caps")" "$rc $(grep '^CapPrm' <<<"$out")"
done
# A set-gid program run by a caller in over 256 groups, more than capguard
# keeps: whether its group is the caller's cannot be told, so nothing runs.
cp /bin/true sgid-5000 && chgrp 5000 sgid-5000 && chmod 2755 sgid-5000
unknown="cannot tell what it will hold: set-gid: whether its group is one of the caller's, who has over 256 supplementary groups"
for c in "show --exec|3|show --exec" "check --allow all --|126|check" "exec --keep none --|126|exec"; do
  IFS='|' read -r args status named <<<"$c"
  run setpriv --groups "$(seq -s, 1 257)" -- "$CG" $args ./sgid-5000
  expect "in 257 groups: $args a set-gid program: $status, named" "$status capguard: $named: ./sgid-5000: $unknown" "$rc $out$err"
done
# A PATH entry that is a file (ENOTDIR) does not end the search.
: >"$work/afile"
run env PATH="$work/afile:/usr/bin:/bin" "$CG" check --allow all -- true
expect "check: a PATH entry that is a file is passed over" "0 " "$rc $out$err"
# show --exec names itself in every refusal, as check and exec do.
: >noexec && chmod 644 noexec
run "${as1000[@]}" "$CG" show --exec ./nosuch
expect "show --exec: COMMAND not found: 3, the command named" \
  "3 capguard: show --exec: ./nosuch: execve: command not found: ENOENT (errno 2)" "$rc $out$err"
run "${as1000[@]}" "$CG" show --exec ./noexec
expect "show --exec: COMMAND not executable: 3, the command named" \
  "3 capguard: show --exec: ./noexec: execve: command not executable: EACCES (errno 13)" "$rc $out$err"
echo 'echo ran' >script && chmod 755 script
run "${as1000[@]}" "$CG" check --allow none -- ./script
expect "check: a script without #! is refused, ENOEXEC: 126" \
  "126 capguard: check: ./script: not an ELF file or a #! script: binfmt_misc's choice of interpreter is not predicted: ENOEXEC (errno 8)" \
  "$rc $err"
# ELF's magic is four bytes; one of them wrong is no ELF file to the kernel.
printf '\177XLF\0\0\0\0' >magic1 && printf 'XELF\0\0\0\0' >magic0 && printf '\177ELX\0\0\0\0' >magic3 &&
  chmod 755 magic1 magic0 magic3
for f in magic1 magic0 magic3; do
  run "${as1000[@]}" "$CG" check --allow none -- "./$f"
  expect "check: $f, ELF's magic with one byte wrong, is refused, ENOEXEC: 126" "126 capguard: check: ./$f: not an ELF \
file or a #! script: binfmt_misc's choice of interpreter is not predicted: ENOEXEC (errno 8)" "$rc $err"
done
: >empty && chmod 755 empty
run "${as1000[@]}" "$CG" check --allow none -- ./empty
expect "check: an empty file is refused as the kernel refuses it, ENOEXEC: 126" \
  "126 capguard: check: ./empty: not an ELF file or a #! script: binfmt_misc's choice of interpreter is not predicted: ENOEXEC (errno 8)" \
  "$rc $err"

# --- exec: refused before any change when the kernel would refuse ---
run "$CG" exec --keep none --user 1000:1000 -- ./ep
expect "exec: a capability-dumb COMMAND outside --keep refused, nothing changed" \
  "1 capguard: exec: ./ep: execve would fail: EPERM (errno 1): its file capabilities have the effective flag, and cap_net_raw would not be granted: in neither the bounding set nor both inheritable sets; add it to --keep, or remove them (setcap -r)" \
  "$rc $err"
run "$CG" exec --keep net_raw --user 1000:1000 -- ./ep
expect "exec: with the capability kept, COMMAND runs" "0 " "$rc $err"
# --dry-run against the real run of the same plan: the five sets, as show
# prints them, from the program's /proc/self/status.
probe=$work/probe
cp /bin/cat "$probe"
setcap cap_chown,cap_net_raw+ep "$probe"
held() {
  local names=(inheritable permitted effective bounding ambient) i=0
  for k in CapInh CapPrm CapEff CapBnd CapAmb; do
    v=$("$CG" decode "$(grep "^$k:" <<<"$status" | cut -f2)" | cut -d= -f2)
    echo "${names[i]}:${v:+ $v}"
    i=$((i + 1))
  done
  echo "uid: $(grep ^Uid: <<<"$status" | cut -f3)"
  echo "gid: $(grep ^Gid: <<<"$status" | cut -f3)"
}
for plan in "--keep net_raw,chown --user 1000:1000" "--keep net_raw,chown,setpcap" \
  "--keep net_raw,chown,kill --user 1000:1000 --no-new-privs" "--keep all --lock" "--keep net_raw,chown --user 0:1000 --lock"; do
  run "$CG" exec $plan --dry-run -- "$probe" /proc/self/status
  status=$("$CG" exec $plan -- "$probe" /proc/self/status)
  expect "exec $plan --dry-run: what the real run then holds" "0 $(held)" "$rc $(head -7 <<<"$out")" "$err"
done
# A plan the kernel refuses: capguard says so first; setpriv, doing the same
# drop, gets the kernel's EPERM.
run "$CG" exec --keep none --user 1000:1000 --dry-run -- "$probe"
expect "exec --dry-run: a plan the kernel would refuse is refused, exit 1" "1 EPERM" "$rc $(grep -o 'EPERM (' <<<"$err" | tr -d ' (')"
run setpriv --reuid 1000 --regid 1000 --clear-groups --bounding-set=-all --inh-caps=-all -- "$probe" /dev/null
expect "... as the kernel does" "126 Operation not permitted" "$rc $(grep -o 'Operation not permitted' <<<"$err")"
run "$CG" exec --keep none --user 1000:1000 --dry-run -- ./nosuch
expect "exec --dry-run: COMMAND not found, 127" "127" "$rc"
printf '#!/nonexistent/interp\n' >sc && chmod 755 sc
run "$CG" check --allow all -- ./sc
expect "check: a script's missing interpreter is named" "127 capguard: check: ./sc: /nonexistent/interp: command not found: ENOENT (errno 2)" "$rc $err"
# An interpreter the kernel cannot execute (EACCES), or below a file
# (ENOTDIR): each with its exit status and errno.
printf '#!/etc/passwd\n' >sc-eacces && printf '#!/etc/passwd/x\n' >sc-enotdir && chmod 755 sc-eacces sc-enotdir
run "$CG" check --allow all -- ./sc-eacces
eacces="$rc $err"
run "$CG" check --allow all -- ./sc-enotdir
expect "check: a script's interpreter not executable, or below a file: 126 EACCES, 127 ENOTDIR" \
  "126 capguard: check: ./sc-eacces: /etc/passwd: command not executable: EACCES (errno 13) | 127 capguard: check: \
./sc-enotdir: /etc/passwd/x: command not found: ENOTDIR (errno 20)" "$eacces | $rc $err"

# --- scan: a tree with what it must report, and what it must not enter ---
t=$work/tree
deep=$t/$(printf 'd/%.0s' $(seq 256))  # the deepest directory scan walks
mkdir -p "$t/etc" "$t/mnt" "$t/bind" "$t/closed/inner" "$deep"
cp /bin/true "$t/suid-root" && chmod 4755 "$t/suid-root"
cp /bin/true "$t/etc/suid-1000" && chown 1000 "$t/etc/suid-1000" && chmod 4755 "$t/etc/suid-1000"
cp /bin/true "$t/etc/sgid" && chgrp 50 "$t/etc/sgid" && chmod 2755 "$t/etc/sgid"
cp /bin/true "$t/etc/sgid-no-gx" && chmod 2745 "$t/etc/sgid-no-gx"
cp /bin/true "$t/etc/plain"
cp /bin/true "$deep/fcap" && setcap cap_net_bind_service,cap_chown+ep "$deep/fcap"
cp /bin/true "$t/closed/inner/suid" && chmod 4755 "$t/closed/inner/suid" && chmod 700 "$t/closed"
ln -s . "$t/loop" && ln -s .. "$t/etc/up" && ln -s suid-root "$t/link"
# Every capability the running kernel has but $1, as scan lists them beyond
# LIST, each in quotes $2.
all_but() { "$CG" list | awk -v c="$1" -v q="$2" '$3 == "yes" && $2 != c { printf "%s%s%s%s", n++ ? "," : "", q, $2, q }'; }
# On another filesystem, and on a bind mount of this one: not entered.
scan() {
  unshare -m --propagation private bash -c 'mount -t tmpfs none "$1/mnt" && cp -a "$1/suid-root" "$1/mnt/" &&
    mount --bind "$1/etc" "$1/bind" && shift && ulimit -s 200 && exec "$@"' - "$t" "$@"
}
listing="$t/suid-root setuid=0 setgid=- caps=-
$t/etc/sgid setuid=- setgid=50 caps=-
$t/etc/suid-1000 setuid=1000 setgid=- caps=-
$deep""fcap setuid=- setgid=- caps=\"cap_chown,cap_net_bind_service=ep\"
$t/closed/inner/suid setuid=0 setgid=- caps=-"
run scan "$CG" scan "$t"
expect "scan: each set-id or file-capability file once, nothing through symlinks or other mounts" \
  "0 $(sort <<<"$listing")" "$rc $(sort <<<"$out")" "$err"
# A btrfs subvolume has a device number of its own, though it is no mount
# root: another filesystem, not entered (as find -xdev).
if ! command -v mkfs.btrfs >/dev/null; then
  not_ok "mkfs.btrfs is installed" "install it: apt-get install btrfs-progs"
else
  truncate -s 128M "$work/btrfs" && mkfs.btrfs -q "$work/btrfs" >/dev/null && mkdir "$work/btr"
  run unshare -m --propagation private bash -c 'mount -o loop "$1/btrfs" "$1/btr" && btrfs -q subvolume create "$1/btr/sub" &&
    cp -a "$2" "$1/btr/" && cp -a "$2" "$1/btr/sub/" && exec "$3" scan "$1/btr"' - "$work" "$t/suid-root" "$CG"
  expect "scan: a btrfs subvolume below PATH not entered" "0 $work/btr/suid-root setuid=0 setgid=- caps=-" "$rc $out$err"
fi
run scan "${as1000[@]}" "$CG" scan "$t"
expect "scan: an unreadable directory named, the rest listed, exit 3" \
  "3 $(grep -v closed <<<"$listing" | sort) capguard: scan: $t/closed: cannot open: EACCES (errno 13)" "$rc $(sort <<<"$out") $err"
run scan "$CG" scan --allow chown,net_bind_service "$t/etc" "$deep"
expect "scan --allow: nothing beyond LIST, exit 0" \
  "0 $(sort <<<"$t/etc/sgid setuid=- setgid=50 caps=- beyond=
$t/etc/suid-1000 setuid=1000 setgid=- caps=- beyond=
$deep""fcap setuid=- setgid=- caps=\"cap_chown,cap_net_bind_service=ep\" beyond=")" "$rc $(sort <<<"$out")"
run scan "$CG" scan --json --allow=chown "$deep" "$t/suid-root"
expect "scan --json --allow: beyond LIST, exit 1" \
  "1 {\"schema\":1,\"path\":\"$deep""fcap\",\"setuid\":null,\"setgid\":null,\"caps\":\"cap_chown,cap_net_bind_service=ep\",\"beyond\":[\"cap_net_bind_service\"]}
{\"schema\":1,\"path\":\"$t/suid-root\",\"setuid\":0,\"setgid\":null,\"caps\":null,\"beyond\":[$(all_but cap_chown '"')]}" "$rc $out"
deeper=$work/deeper/$(printf 'd/%.0s' $(seq 256))
mkdir -p "${deeper}too-deep" && cp /bin/true "${deeper}s" && cp /bin/true "${deeper}too-deep/s" &&
  chmod 4755 "${deeper}s" "${deeper}too-deep/s"
run "$CG" scan "$work/deeper"
# The path, too long for the error text, keeps its first 106 and last 107
# bytes (test/format_test.cc).
expect "scan: 256 levels below PATH walked, a deeper directory named and not entered, exit 3" \
  "3 ${deeper}s setuid=0 setgid=- caps=- capguard: scan: ${deeper:0:106}...${deeper: -99}too-deep: deeper than the 256 levels scan walks" \
  "$rc $out $err"
deep_walk="$rc $out $err"
# It keeps a directory open per level, up to 32; with fewer descriptors
# than that, it gives them back and reopens by path.
run bash -c 'ulimit -n 12 && exec "$@"' - "$CG" scan "$work/deeper"
expect "scan: the same under ulimit -n 12" "$deep_walk" "$rc $out $err"
# A directory 3,900 bytes long: a file whose path is 4,095 bytes, the
# longest a system call takes, is found; one a byte longer is not cut to
# another name but named, by its directory, as too long (its path cut to
# 107 bytes on each side in the message, test/format_test.cc).
dir4095=$work/path4095
while [ $((${#dir4095} + 101)) -le 3850 ]; do dir4095=$dir4095/$(printf 'x%.0s' $(seq 100)); done
dir4095=$dir4095/$(printf 'y%.0s' $(seq $((3900 - ${#dir4095} - 1))))
fits=$(printf 's%.0s' $(seq 194))
mkdir -p "$dir4095" && (cd "$dir4095" && cp /bin/true "$fits" && cp /bin/true "${fits}t" && chmod 4755 "$fits" "${fits}t")
run "$CG" scan "$work/path4095"
expect "scan: a path of 4,095 bytes found, one of 4,096 named as too long, exit 3" \
  "3 4095 $dir4095/$fits setuid=0 setgid=- caps=- capguard: scan: ${dir4095:0:107}...${dir4095: -107}: cannot open: ENAMETOOLONG (errno 36)" \
  "$rc $((${#dir4095} + 1 + ${#fits})) $out $err"
# A directory read in several batches, a subdirectory in each: the walk
# resumes each batch where it left off.
for i in $(seq 300); do
  d=$work/wide/$(printf 'directory-%03d-with-a-name-long-enough-to-fill-a-batch' "$i")
  mkdir -p "$d" && cp /bin/true "$d/s" && chmod 4755 "$d/s"
done
run "$CG" scan "$work/wide"
expect "scan: 300 subdirectories over several getdents batches, each file once" "0 300 300" \
  "$rc $(wc -l <<<"$out") $(sort -u <<<"$out" | grep -c '/s setuid=0 setgid=- caps=-$')"
# Only "." and ".." are skipped: names that merely start with dots are not.
mkdir -p "$work/dots/..d" && for f in ..x .x ...; do cp /bin/true "$work/dots/$f" && chmod 4755 "$work/dots/$f"; done
cp -a "$work/dots/..x" "$work/dots/..d/"
run "$CG" scan "$work/dots"
expect "scan: files named ..x, .x and ..., and a directory ..d, are walked" \
  "0 $work/dots/...|$work/dots/..d/..x|$work/dots/..x|$work/dots/.x|" "$rc $(sed 's/ setuid=.*//' <<<"$out" | sort | tr '\n' '|')"
# A bushy tree, 12 levels, long names: directories read in several
# batches, whose entries wait in the shared buffer while their subtrees are
# walked or, deeper, are read again. find is the oracle.
RANDOM=7
bushy() {  # DIR LEVEL
  local i
  for i in $(seq $((RANDOM % 12))); do
    : >"$1/$(printf 'f%02d%03d%0100d' "$2" "$i" 0)" && chmod 4755 "$1/$(printf 'f%02d%03d%0100d' "$2" "$i" 0)"
  done
  (($2 < 12)) || return
  for i in $(seq $((1 + RANDOM % (14 - $2) / 4))); do
    mkdir "$1/$(printf 'd%03d%0100d' "$i" 0)" && bushy "$1/$(printf 'd%03d%0100d' "$i" 0)" $(($2 + 1))
  done
}
mkdir "$work/bushy" && bushy "$work/bushy" 1
want=$(find "$work/bushy" -type f -perm -4000 | sort)
run "$CG" scan "$work/bushy"
expect "scan: a bushy tree of $(find "$work/bushy" -type d | wc -l) directories, every set-uid file of find's once" \
  "0 $want" "$rc $(sed 's/ setuid=.*//' <<<"$out" | sort)"
run bash -c 'ulimit -n 12 && exec "$@"' - "$CG" scan "$work/bushy"
expect "scan: the same under ulimit -n 12" "0 $want" "$rc $(sed 's/ setuid=.*//' <<<"$out" | sort)"
# A tall one: 40 levels, each with 5 KiB of entries, so that a deep level
# takes the whole buffer and the levels below read theirs again, and the
# levels past 32 are reopened. Names differ by level: an entry read from
# the wrong level's buffer would name no file.
d=$work/tall
for level in $(seq 40); do
  mkdir -p "$d" && for i in $(seq 40); do : >"$d/$(printf 's%02d-%02d%0100d' "$level" "$i" 0)"; done &&
    chmod 4755 "$d"/s* && d=$d/d
done
want=$(find "$work/tall" -type f -perm -4000 | sort)
run "$CG" scan "$work/tall"
expect "scan: 40 levels of 40 set-uid files, every one of find's once" "0 $want" "$rc $(sed 's/ setuid=.*//' <<<"$out" | sort)"
run bash -c 'ulimit -n 12 && exec "$@"' - "$CG" scan "$work/tall"
expect "scan: the same under ulimit -n 12" "0 $want" "$rc $(sed 's/ setuid=.*//' <<<"$out" | sort)"
# An entry removed after its directory was read (statx's ENOENT, injected
# for the third call: the second entry) is not reported, nor an error; the
# root's is.
if [ -n "${CAPGUARD_QEMU:-}" ]; then
  skip "scan: an entry gone since its directory was read" "qemu-user: strace would fail qemu's calls, not capguard's"
else
  mkdir "$work/gone" && : >"$work/gone/a" && : >"$work/gone/b" && chmod 4755 "$work/gone/"*
  run strace -o /dev/null -e inject=statx:error=ENOENT:when=3 "$CG" scan "$work/gone"
  expect "scan: an entry gone since its directory was read: the other listed, exit 0" "0 1" "$rc $(wc -l <<<"$out")$err"
  run strace -o /dev/null -e inject=statx:error=ENOENT:when=1 "$CG" scan "$work/gone"
  expect "scan: the root gone: named, exit 3" "3 capguard: scan: $work/gone: cannot read the file's mode: ENOENT (errno 2)" \
    "$rc $out$err"
fi
mkdir "$work/odd" && cp /bin/true "$work/odd/a b" && cp /bin/true "$work/odd/x
y" && chmod 4755 "$work/odd/"*
run "$CG" scan "$work/odd"
expect "scan: names with a space or a newline are quoted, one line each" \
  "0 \"$work/odd/a b\" setuid=0 setgid=- caps=-
\"$work/odd/x\\u000ay\" setuid=0 setgid=- caps=-" "$rc $(sort <<<"$out")"
# DEL, C1, U+2028, bytes that are not UTF-8 (one alone, a surrogate, a
# sequence cut short), beside a valid name and one that spells an escape.
names=($'\x7f' $'\xc2\x85' $'\xe2\x80\xa8' $'\xff' $'\xed\xa0\x80' $'a\xc3' $'\xc3\xa9' '\udcff')
mkdir "$work/names" && for name in "${names[@]}"; do cp /bin/true "$work/names/$name" && chmod 4755 "$work/names/$name"; done
run "$CG" scan "$work/names"
expect "scan: each name escaped, so none passes for another" "0 $(sort <<<"\"$work/names/\\u007f\" setuid=0 setgid=- caps=-
\"$work/names/\\u0085\" setuid=0 setgid=- caps=-
\"$work/names/\\u2028\" setuid=0 setgid=- caps=-
\"$work/names/\\udcff\" setuid=0 setgid=- caps=-
\"$work/names/\\udced\\udca0\\udc80\" setuid=0 setgid=- caps=-
\"$work/names/a\\udcc3\" setuid=0 setgid=- caps=-
$work/names/${names[6]} setuid=0 setgid=- caps=-
\"$work/names/\\\\udcff\" setuid=0 setgid=- caps=-")" "$rc $(sort <<<"$out")"
# Each --json line is UTF-8 (decoded strictly) and JSON, and its path the
# name's bytes again (PEP 383: os.fsencode).
run "$CG" scan --json "$work/names"
decoded=$(python3 -X utf8 -c '
import json, os, sys
for line in sys.stdin.buffer:
    sys.stdout.buffer.write(os.fsencode(json.loads(line.decode("utf-8"))["path"]) + b"\0")' <<<"$out" | sort -z | od -An -tx1)
expect "scan --json: valid UTF-8 JSON that decodes to the exact names" \
  "0 $(printf '%s\0' "${names[@]/#/$work/names/}" | sort -z | od -An -tx1)" "$rc $decoded"
# A symlink given as PATH is followed, as find -H and getcap follow it (a
# merged /usr's /bin); those met below it are not.
ln -s "$t" "$work/tree-link" && ln -s "$t/suid-root" "$work/file-link"
run scan "$CG" scan "$work/tree-link" "$work/file-link"
expect "scan: a symlink given as PATH, to a directory or a file, is followed" \
  "0 $(sort <<<"${listing//$t/$work/tree-link}
$work/file-link setuid=0 setgid=- caps=-")" "$rc $(sort <<<"$out")$err"
# "--" ends the options: a PATH may then start with "-".
cp -a "$t/suid-root" "$work/--odd" && setcap cap_net_raw+ep "$work/--odd"
run "$CG" file -- --odd
expect "file -- --odd: a PATH after --" "0 --odd cap_net_raw=ep" "$rc $out$err"
run "$CG" scan --allow all -- --odd
expect "scan --allow all -- --odd: a PATH after --, options before it" \
  "0 --odd setuid=0 setgid=- caps=\"cap_net_raw=ep\" beyond=" "$rc $out$err"
for cmd in file scan; do
  run "$CG" $cmd --
  expect "$cmd -- and no PATH: a usage error" "2 capguard: $cmd: expected a PATH" "$rc $out$err"
done
# A revision 1 value, which execve honours (get_vfs_caps_from_disk()) but
# getxattr refuses (EINVAL, cap_inode_getsecurity()) and setxattr will not
# write: debugfs puts it into an ext4 image, mounted in a mount namespace.
mkdir "$work/rev1" && cp /bin/true "$work/rev1/r1" && chgrp 50 "$work/rev1/r1" && chmod 2755 "$work/rev1/r1"
printf '\x01\x00\x00\x01\x00\x20\x00\x00\x00\x00\x00\x00' >"$work/rev1.value"  # cap_net_raw+ep
mkfs.ext4 -q -d "$work/rev1" "$work/rev1.img" 1M >/dev/null 2>&1 &&
  debugfs -w -R "ea_set -f $work/rev1.value /r1 security.capability" "$work/rev1.img" 2>/dev/null
on_image() { unshare -m bash -c 'mount -o loop "$1" "$2" && shift 2 && exec "$@"' - "$work/rev1.img" "$work/rev1" "$@"; }
if on_image true 2>/dev/null; then
  run on_image "$CG" scan "$work/rev1"
  expect "scan: capabilities getxattr refuses: the read failure named, the set-gid bit shown, caps=?, exit 3" \
    "3 $work/rev1/r1 setuid=- setgid=50 caps=? capguard: scan: $work/rev1/r1: cannot read the file capabilities: EINVAL (errno 22)" "$rc $out $err"
  run on_image "$CG" scan --json --allow net_raw "$work/rev1"
  expect "scan --json --allow: capabilities that cannot be read count as every capability, exit 1" \
    "1 {\"schema\":1,\"path\":\"$work/rev1/r1\",\"setuid\":null,\"setgid\":50,\"caps\":null,\"caps_unreadable\":true,\"beyond\":[$(all_but cap_net_raw '"')]}" "$rc $out"
else
  skip "scan: capabilities getxattr refuses" "cannot mount an ext4 image (no loop device?)"
fi
for p in /proc /sys /proc/1/; do
  run "$CG" scan --allow none "$p"
  expect "scan: $p is on proc or sysfs: named, not walked, exit 0" "0  capguard: scan: $p: proc or sysfs: not scanned" "$rc $out $err"
done
run "$CG" scan "$t/nosuch"
expect "scan: a missing PATH named, exit 3" "3 capguard: scan: $t/nosuch: cannot read the file's mode: ENOENT (errno 2)" "$rc $err"
run "$CG" scan; expect "scan without a PATH is a usage error" "2 capguard: scan: expected a PATH" "$rc $err"
run "$CG" scan --allow bogus "$t"
expect "scan with an unknown capability" "2" "$rc"

done_testing
