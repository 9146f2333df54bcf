#!/bin/bash
# `capguard ps` against processes built in known states (setpriv, capsh, a
# setcap copy, unshare -U, a thread that drops its own sets), side by side
# with libcap-ng's pscap, while processes come and go, as uid 1000, under
# hidepid, and over a /proc that is not procfs (TAP).
# usage: ps_test.sh CAPGUARD
set -u
CG=$1
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
run() { out=$("$@" 2>/tmp/capguard-ps-err.$$); rc=$?; err=$(cat /tmp/capguard-ps-err.$$); }
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work" /tmp/capguard-ps-err.$$' EXIT
chmod 1777 "$work"  # where processes of uid 1000 say they have started

# Usage errors come before /proc is read.
run "$CG" ps extra
expect "a word is refused" "2 capguard: ps: unexpected argument: extra" "$rc $err"
run "$CG" ps --sets=effective,bogus
expect "an unknown set is refused" \
  '2 capguard: ps: unknown set in --sets: "bogus" (effective, permitted, inheritable, bounding, ambient, all)' "$rc $err"
run "$CG" ps --allow=cap_bogus
expect "an unknown capability is refused" '2 capguard: ps: unknown capability in --allow: "cap_bogus" (see capguard list)' "$rc $err"

root_states "ps of processes in known states"

# started NAME COMMAND...: runs COMMAND in the background, as process NAME
# (its pid in $NAME), once it has started: the file it writes is there.
started() {
  local name=$1
  shift
  rm -f "$work/up"
  "$@" &
  pids+=($!)
  printf -v "$name" %s $!
  for _ in $(seq 100); do [ -e "$work/up" ] && return; sleep 0.05; done
  echo "# $name did not start" >&2
}
up="touch $work/up; exec sleep 600"
line_of() { grep -E "^pid=$1 " <<<"$2"; }

# What ps prints for a set given in hex: "all" for every capability the
# kernel has, else the names decode gives.
full=$(((1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1))
names() { [ $((0x$1)) = "$full" ] && echo all || "$CG" decode "$1" | cut -d= -f2; }
# The kernel's own answer, from a status file: KEY (CapBnd, ...) in hex.
cap() { awk -v k="$1:" '$1 == k { print $2 }' "$2"; }
# This machine's bounding set, which every process here starts from.
bounding=$(names "$(cap CapBnd /proc/self/status)")

# Each state built for real.
started ambient setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=+net_bind_service \
  --ambient-caps=+net_bind_service -- sh -c "$up"
started plain setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=-all -- sh -c "$up"
# Its name, as the kernel keeps it (the file's), with a space, a quote and a
# backslash.
printf -v name 'a b"c\\'
quoted='"a b\"c\\"'
cp /bin/sleep "$work/$name"
started bounded setpriv --bounding-set=-all,+kill,+net_raw --inh-caps=-all -- sh -c "touch $work/up; exec \"\$0\" 600" "$work/$name"
# A name with a newline and what would read as a status line of its own,
# a kernel thread's mark: the kernel escapes the newline, and capguard
# shows the name as it is.
spoof_name=$'\nKthread:\t1'
cp /bin/sleep "$work/$spoof_name"
started spoof sh -c "touch $work/up; exec \"\$0\" 600" "$work/$spoof_name"
cp /bin/sleep "$work/raw-sleep"
setcap cap_net_raw+ep "$work/raw-sleep"
started filecaps setpriv --reuid=1000 --regid=1000 --clear-groups -- sh -c "touch $work/up; exec $work/raw-sleep 600"
started capsh_kill capsh --secbits=0x2f --caps=cap_kill+eip --addamb=cap_kill -- -c "$up"
started userns unshare -U -r -- sh -c "$up"
# A thread that drops cap_net_raw from its own effective set; the main
# thread keeps its own (capset(2) is per thread).
started threads python3 -c "
import ctypes, threading, time
libc = ctypes.CDLL(None, use_errno=True)
class Header(ctypes.Structure): _fields_ = [('version', ctypes.c_uint32), ('pid', ctypes.c_int)]
class Data(ctypes.Structure): _fields_ = [('effective', ctypes.c_uint32), ('permitted', ctypes.c_uint32), ('inheritable', ctypes.c_uint32)]
def drop():
    h, d = Header(0x20080522, 0), (Data * 2)()
    assert libc.capget(ctypes.byref(h), d) == 0
    d[0].effective &= ~(1 << 13)
    assert libc.capset(ctypes.byref(h), d) == 0
    open('$work/tid', 'w').write(str(threading.get_native_id()))
    open('$work/up', 'w').close()
    time.sleep(600)
threading.Thread(target=drop, daemon=True).start()
time.sleep(600)
"
self=$$
run "$CG" ps --sets=all
expect "ps --sets=all reads every process" "0 " "$rc $err"
expect "ambient: setpriv's uid 1000 with net_bind_service in every set but bounding" \
  "pid=$ambient ppid=$self uid=1000 name=sleep userns=host inheritable=cap_net_bind_service permitted=cap_net_bind_service effective=cap_net_bind_service bounding=$bounding ambient=cap_net_bind_service" \
  "$(line_of "$ambient" "$out")"
expect "uid 1000 with nothing but the bounding set" \
  "pid=$plain ppid=$self uid=1000 name=sleep userns=host bounding=$bounding" "$(line_of "$plain" "$out")"
expect "a bounding set of two, and a name quoted as JSON" \
  "pid=$bounded ppid=$self uid=0 name=$quoted userns=host permitted=cap_kill,cap_net_raw effective=cap_kill,cap_net_raw bounding=cap_kill,cap_net_raw" \
  "$(line_of "$bounded" "$out")"
expect "a name that holds a newline and a Kthread line: listed, its name whole" \
  "pid=$spoof ppid=$self uid=0 name=\"\\u000aKthread:\\u00091\" userns=host" "$(line_of "$spoof" "$out" | cut -d" " -f1-5)"
# pscap prints that name raw, a line in two: it ends before the comparison.
kill "$spoof" && wait "$spoof" 2>/dev/null
expect "a setcap +ep copy as uid 1000: its file's capability" \
  "pid=$filecaps ppid=$self uid=1000 name=raw-sleep userns=host permitted=cap_net_raw effective=cap_net_raw bounding=$bounding" \
  "$(line_of "$filecaps" "$out")"
expect "capsh --secbits=0x2f --caps=cap_kill+eip --addamb=cap_kill: kill, through ambient" \
  "pid=$capsh_kill ppid=$self uid=0 name=sleep userns=host inheritable=cap_kill permitted=cap_kill effective=cap_kill bounding=$bounding ambient=cap_kill" \
  "$(line_of "$capsh_kill" "$out")"
ns=$(stat -L -c %i "/proc/$userns/ns/user")
expect "unshare -U -r: every capability, in a user namespace named by its inode" \
  "pid=$userns ppid=$self uid=0 name=sleep userns=$ns permitted=all effective=all bounding=all" "$(line_of "$userns" "$out")"
[ "$ns" != 4026531837 ] && ok "that namespace is not the initial one" || not_ok "unshare -U made a namespace" "$ns"
tid=$(cat "$work/tid")
main=$(cap CapEff "/proc/$threads/status")
expect "a thread whose effective set differs has a line of its own; the others none" \
  "pid=$threads ppid=$self uid=0 name=python3 userns=host permitted=$(names "$main") effective=$(names "$main") bounding=$bounding
pid=$threads tid=$tid ppid=$self uid=0 name=python3 userns=host permitted=$(names "$main") effective=$(names "$(printf %x $((0x$main & ~(1 << 13))))") bounding=$bounding" \
  "$(grep -E "^pid=$threads " <<<"$out")"
expect "no kernel thread is listed" "" "$(grep -E ' ppid=2 |^pid=2 ' <<<"$out")"
out=$(sh -c 'echo "$$"; exec "$0" ps --sets=all' "$CG")
expect "capguard does not list itself" "" "$(line_of "$(head -1 <<<"$out")" "$out")"

# The default sets: effective, permitted, ambient; nothing else printed.
run "$CG" ps
expect "by default only effective, permitted and ambient, each when not empty" \
  "pid=$bounded ppid=$self uid=0 name=$quoted userns=host permitted=cap_kill,cap_net_raw effective=cap_kill,cap_net_raw|pid=$plain ppid=$self uid=1000 name=sleep userns=host" \
  "$(line_of "$bounded" "$out")|$(line_of "$plain" "$out")"

# With --allow: only what holds more, and exit 1.
run "$CG" ps --allow=net_bind_service,kill,net_raw
expect "--allow: exit 1 when a process holds more" "1 " "$rc $err"
expect "--allow: what is within it has no line" "" "$(line_of "$ambient" "$out")$(line_of "$bounded" "$out")$(line_of "$filecaps" "$out")$(line_of "$capsh_kill" "$out")"
expect "--allow: a line naming what is beyond it" \
  "pid=$userns ppid=$self uid=0 name=sleep userns=$ns permitted=all effective=all beyond=$(names "$(printf %x $((full & ~(1 << 5 | 1 << 10 | 1 << 13))))")" \
  "$(line_of "$userns" "$out")"
run "$CG" ps --allow=kill --sets=ambient
expect "--allow=kill --sets=ambient: the other ambient holder, by its ambient set alone" \
  "1 pid=$ambient ppid=$self uid=1000 name=sleep userns=host ambient=cap_net_bind_service beyond=cap_net_bind_service|" \
  "$rc $(line_of "$ambient" "$out")|$(line_of "$capsh_kill" "$out")$(line_of "$userns" "$out")"
# Exit 0 needs a /proc where nothing else holds more: a pid namespace of its
# own, with one ambient holder (its pid 3, after mount) and root's shell (its pid 1).
in_pidns() {
  unshare -p -f -m --propagation private -- sh -c 'mount -t proc proc /proc || exit
    setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=+net_bind_service --ambient-caps=+net_bind_service \
      -- sleep 60 &
    sleep 0.5
    "$0" ps "$@"; echo "rc=$?"; kill $!' "$CG" "$@"
}
run in_pidns --allow=net_bind_service --sets=ambient
expect "--allow within every process's ambient set: exit 0, no line" "rc=0" "$out" "$err"
run in_pidns --allow=none --sets=ambient
expect "--allow=none --sets=ambient: the one ambient holder, exit 1" \
  "pid=3 ppid=1 uid=1000 name=sleep userns=host ambient=cap_net_bind_service beyond=cap_net_bind_service
rc=1" "$out" "$err"
# Run by unshare -p -f without --mount-proc, capguard is PID 1 of its new
# pid namespace to getpid(), while /proc is the parent namespace's: there
# PID 1 is that namespace's init, which is listed, and capguard has another
# pid, which is not (its line would name unshare as its parent).
unshare -p -f -- "$CG" ps >"$work/unshared" 2>&1 &
unshared=$!
wait "$unshared"
expect "unshare -p: PID 1 of /proc's namespace is listed, capguard itself is not" "0 1 0" \
  "$? $(grep -c '^pid=1 ppid=' "$work/unshared") $(grep -c " ppid=$unshared " "$work/unshared")"

# Bit 0 and the last bit the kernel has, each beyond an allowlist of the rest.
run "$CG" ps --allow="$(names "$(printf %x $((full & ~1)))")" --sets=ambient,inheritable,permitted
case "$out" in *"pid=$capsh_kill "*) not_ok "bit 0: cap_kill is not 0" ;; *) ;; esac
expect "bit 0 (cap_chown) beyond an allowlist of every other" "1 pid=$userns ppid=$self uid=0 name=sleep userns=$ns permitted=all beyond=cap_chown" \
  "$rc $(line_of "$userns" "$out")"
last=$(cat /proc/sys/kernel/cap_last_cap)
run "$CG" ps --allow="$(names "$(printf %x $((full & ~(1 << last))))")"
expect "the last bit beyond an allowlist of every other" "1 pid=$userns ppid=$self uid=0 name=sleep userns=$ns permitted=all effective=all beyond=$(names "$(printf %x $((1 << last)))")" \
  "$rc $(line_of "$userns" "$out")"

# JSON: every line an object, with the namespace, and beyond under --allow.
run "$CG" ps --json --allow=kill,net_raw
expect "--json --allow exits 1" "1 " "$rc $err"
got=$(python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert all(r["schema"] == 1 for r in rows)
by = {(r["pid"], r["tid"]): r for r in rows}
a, b, u = (int(x) for x in sys.argv[1:4])
print((a, a) in by, (b, b) in by, by[(a, a)]["beyond"], by[(a, a)]["userns_initial"], by[(u, u)]["userns_initial"],
      by[(u, u)]["userns"] == int(sys.argv[4]), by[(a, a)]["ambient"], by[(a, a)]["uid"], by[(a, a)]["ppid"] == int(sys.argv[5]))
' "$ambient" "$bounded" "$userns" "$ns" "$self" <<<"$out" 2>&1)
expect "--json: the rows parse, with beyond, the namespace and the ids" \
  "True False ['cap_net_bind_service'] True False True ['cap_net_bind_service'] 1000 True" "$got"

# Side by side with pscap: every process it lists (effective not empty) is
# listed with the same permitted set, "full" as all, @ for ambient, + for a
# bounding set, * for another user namespace, and the same uid.
if ! command -v pscap >/dev/null; then
  not_ok "pscap is installed" "apt-get install libcap-ng-utils"
else
  "$CG" ps --json --sets=all >"$work/cg.json" && pscap -a >"$work/pscap.txt" && "$CG" ps --json --sets=all >"$work/cg2.json"
  got=$(python3 - "$work" "$("$CG" list | awk '{ print $1, $2 }' | tr '\n' ';')" <<'EOF' 2>&1
import json, pwd, sys
work, table = sys.argv[1], sys.argv[2]
bit = {name[4:]: int(b) for b, name in (e.split() for e in table.split(';') if e)}
full = (1 << (max(bit.values()) + 1)) - 1
first = {(r["pid"]): r for r in map(json.loads, open(work + "/cg.json")) if r["tid"] == r["pid"]}
second = {(r["pid"]): r for r in map(json.loads, open(work + "/cg2.json")) if r["tid"] == r["pid"]}
compared, differ, missed = 0, [], []
for line in open(work + "/pscap.txt").readlines()[1:]:
    ppid, pid, user, rest = line.split(None, 3)
    pid = int(pid)
    # A process that ended or exec'd in between is no evidence either way.
    if pid not in first or pid not in second or first[pid] != second[pid]:
        if pid in first and pid in second and first[pid]["name"] == second[pid]["name"]:
            missed.append(pid)
        continue
    r = first[pid]
    command, caps = rest.split("  ", 1) if "  " in rest else (rest, "")
    caps = caps.strip()
    marks = set()
    while caps[-2:] in (" @", " +"):
        marks.add(caps[-1]); caps = caps[:-2]
    hexes = {k: int(v, 16) for k, v in r["hex"].items()}
    want_prm = full if caps == "full" else sum(1 << bit[n.strip()] for n in caps.split(","))
    ok = (int(ppid) == r["ppid"] and pwd.getpwnam(user).pw_uid == r["uid"] and hexes["effective"] != 0
          and (hexes["effective"] == full) == (caps == "full")
          and (caps == "full" or want_prm == hexes["permitted"])
          and ("@" in marks) == (hexes["ambient"] != 0) and ("+" in marks) == (hexes["bounding"] != 0)
          and command.strip().endswith(" *") == (r["userns_initial"] is False))
    compared += 1
    if not ok: differ.append((pid, line.strip(), r))
# What capguard lists with an effective set that pscap does not: only pscap itself.
listed = {int(l.split()[1]) for l in open(work + "/pscap.txt").readlines()[1:]}
extra = [p for p, r in first.items() if int(r["hex"]["effective"], 16) != 0 and p not in listed
         and p in second and first[p] == second[p] and r["name"] != "pscap"]
print("compared", compared > 5, "differ", differ, "missed", missed, "extra", extra)
print("# compared %d processes with pscap" % compared, file=sys.stderr)
EOF
)
  expect "pscap: every process it lists, listed the same; none it skips listed without reason" \
    "compared True differ [] missed [] extra []" "$(grep -v '^#' <<<"$got")"
  grep '^#' <<<"$got"
fi

# Processes that end during the walk are skipped, never an error.
(for _ in $(seq 1000); do /bin/true & done; wait) &
churn=$!
bad=0
while kill -0 "$churn" 2>/dev/null; do
  run "$CG" ps --sets=all
  [ "$rc" = 0 ] && [ -z "$err" ] || { bad=1; break; }
done
wait "$churn"
expect "a thousand processes started and ended during the walks: no error" "0" "$bad" "$rc $err"

# As uid 1000: other users' processes are read, their namespaces are not.
as1000() { setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=-all -- "$@"; }
run as1000 "$CG" ps --sets=all
expect "as uid 1000: exit 0, nothing unread" "0 " "$rc $err"
expect "as uid 1000: root's process, its namespace not readable" \
  "pid=$bounded ppid=$self uid=0 name=$quoted userns=? permitted=cap_kill,cap_net_raw effective=cap_kill,cap_net_raw bounding=cap_kill,cap_net_raw" \
  "$(line_of "$bounded" "$out")"
expect "as uid 1000: its own process holding more than it, its namespace not readable (ptrace rules)" \
  "pid=$ambient ppid=$self uid=1000 name=sleep userns=? inheritable=cap_net_bind_service permitted=cap_net_bind_service effective=cap_net_bind_service bounding=$bounding ambient=cap_net_bind_service" \
  "$(line_of "$ambient" "$out")"
expect "as uid 1000: its own process holding nothing, with its namespace" \
  "pid=$plain ppid=$self uid=1000 name=sleep userns=host bounding=$bounding" "$(line_of "$plain" "$out")"

# A /proc of our own in a private mount namespace: hidepid=2 hides others'
# processes; hidepid=1 shows them, unreadable: counted and named, not fatal.
private() { unshare -m --propagation private -- sh -c "$1" sh "${@:2}"; }
run private 'mount -t proc -o hidepid=2 proc /proc && exec setpriv --reuid=1000 --regid=1000 --clear-groups -- "$@"' "$CG" ps
expect "hidepid=2 as uid 1000: only its own processes, exit 0" "0  uid=1000" "$rc $(grep -o ' uid=[0-9]*' <<<"$out" | sort -u | tr -d '\n')" "$err"
run private 'mount -t proc -o hidepid=1 proc /proc && exec setpriv --reuid=1000 --regid=1000 --clear-groups -- "$@"' "$CG" ps
expect "hidepid=1 as uid 1000: its own listed, exit 0" "0  uid=1000" "$rc $(grep -o ' uid=[0-9]*' <<<"$out" | sort -u | tr -d '\n')"
case "$err" in
  "capguard: ps: "*" processes not read (1,"*"): /proc/PID/status: cannot open: EPERM (errno 1)") ok "hidepid=1: the unread ones counted and named on one line" ;;
  *) not_ok "hidepid=1: the unread ones counted and named on one line" "$err" ;;
esac
run private 'mount -t proc -o hidepid=1 proc /proc && exec setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"' "$CG" ps
expect "hidepid=1 as a user with no process: nothing read, exit 3" 3 "$rc" "$err"
# In a pid namespace of its own, the one other process (its pid 1, root's
# shell) is the one not read.
run unshare -p -f -m --propagation private -- sh -c \
  'mount -t proc -o hidepid=1 proc /proc && setpriv --reuid=1000 --regid=1000 --clear-groups -- "$0" ps; echo "rc=$?"' "$CG"
expect "one process not read: named, in the singular, exit 3" \
  "rc=3 capguard: ps: 1 process not read (1): /proc/PID/status: cannot open: EPERM (errno 1)" "$out $err"
run unshare -p -f -m --propagation private -- sh -c 'mount -t proc -o hidepid=1 proc /proc || exit
  sleep 60 &
  setpriv --reuid=1000 --regid=1000 --clear-groups -- "$0" ps; echo "rc=$?"; kill $!' "$CG"
expect "two processes not read: in the plural" \
  "rc=3 capguard: ps: 2 processes not read (1,3): /proc/PID/status: cannot open: EPERM (errno 1)" "$out $err"
# Unread pids that fill the 127 bytes kept for their list exactly, then by
# one byte more: the list whole, then cut and marked. Each sleep's pid is
# set through ns_last_pid.
fill=$(seq -s, 100 129)
for t in "127 10,11,$fill 1,10,11,$fill)" "128 10,$fill,130 1,10,$fill,13...)"; do
  read -r bytes unread want <<<"$t"
  if [ ! -e /proc/sys/kernel/ns_last_pid ]; then
    skip "unread pids that take $bytes bytes" "no /proc/sys/kernel/ns_last_pid (a kernel without CONFIG_CHECKPOINT_RESTORE)"
    continue
  fi
  run unshare -p -f -m --propagation private -- sh -c 'mount -t proc -o hidepid=1 proc /proc || exit
    cg=$1; shift
    for p; do echo $((p - 1)) >/proc/sys/kernel/ns_last_pid || exit; sleep 60 & done
    setpriv --reuid=1000 --regid=1000 --clear-groups -- "$cg" ps; echo "rc=$?"' sh "$CG" ${unread//,/ }
  expect "unread pids that take $bytes bytes: named as far as 127, marked when cut" \
    "rc=3 capguard: ps: 33 processes not read ($want: /proc/PID/status: cannot open: EPERM (errno 1)" "$out $err"
done

# A /proc that is not procfs is not believed, whatever it holds.
run private 'mount -t tmpfs tmpfs /proc && mkdir -p /proc/1 && echo fake >/proc/1/status && exec "$@"' "$CG" ps
expect "a tmpfs over /proc: exit 3, named" "3 capguard: ps: /proc: not procfs: what is mounted there is not read" "$rc $err"
run sh -c '"$0" ps >/dev/full' "$CG"
expect "output that cannot be written: exit 3, said once" "3 capguard: write: cannot write the output: ENOSPC (errno 28)" "$rc $err"

done_testing
