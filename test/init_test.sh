#!/bin/bash
# exec --init and check --init as a container's PID 1 and as a subreaper
# (TAP), each scenario run with tini (Debian's package) in capguard's place:
# both must give the same exit statuses and deliver the same signals. What
# the processes hold and which are zombies is read from /proc, never from
# capguard.
# usage: init_test.sh CAPGUARD
set -u
CG=$1
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
root_states "capguard as an init"
command -v tini >/dev/null || { not_ok "tini is installed (apt-get install tini)"; done_testing; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 1777 "$work"  # services that run as another user write here too

# until CMD...: true once CMD succeeds, polled for at most 10 s.
until_true() {
  local i
  for i in $(seq 200); do "$@" && return 0; sleep 0.05; done
  return 1
}
# The first child of PID, once it has one.
child_of() { until_true pgrep -P "$1" >/dev/null && pgrep -P "$1" | head -1; }
# orphans N [PPID]: leaves N processes whose parent exits before them (or
# with them, a zombie the kernel hands on all the same), each reaped by its
# parent here; then counts the zombies (children of PPID only, when given)
# until none is left, for at most 5 s, and prints their number.
cat >"$work/orphans" <<'PY'
#!/usr/bin/python3
import os, sys, time
for _ in range(int(sys.argv[1])):
    child = os.fork()
    if child == 0:
        os.fork() == 0 or os._exit(0)
        os._exit(0)
    os.waitpid(child, 0)
def zombies():
    n = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        n += stat[0] == "Z" and (len(sys.argv) < 3 or stat[1] == sys.argv[2])
    return n
for _ in range(100):
    if zombies() == 0:
        break
    time.sleep(0.05)
print(zombies())
PY
chmod 755 "$work/orphans"

qemu=${CAPGUARD_QEMU:-}
as_pid1() { unshare --pid --fork --mount-proc "$@"; }

# The inits, as a container's entrypoint would name them.
cg_init="$CG exec --init --keep none --"
tini_init="tini --"

# --- As PID 1 of a new PID namespace ---
# pid1 INIT SERVICE...: runs INIT SERVICE as PID 1; prints its exit status.
pid1() {
  local init=$1
  shift
  unshare --pid --fork --mount-proc $init "$@" >"$work/out" 2>&1
  echo $?
}

for init in cg tini; do
  eval "run=\$${init}_init"
  # 1,000 orphans: PID 1 inherits them, and must reap each one.
  st=$(pid1 "$run" "$work/orphans" 1000)
  expect "$init as PID 1: 1,000 orphans, no zombie left" "0 0" "$st $(cat "$work/out")"
  st=$(pid1 "$run" sh -c 'exit 7')
  expect "$init as PID 1: the service's exit code 7" 7 "$st"
  st=$(pid1 "$run" "$CG" exec --keep none -- /nonexistent)
  expect "$init as PID 1: a service that cannot run: 127" 127 "$st"
done
# The control: a PID 1 that waits for its child alone leaves them all.
printf '#!/usr/bin/python3\nimport subprocess, sys\nsys.exit(subprocess.call(sys.argv[1:]))\n' >"$work/wait-one"
chmod 755 "$work/wait-one"
st=$(pid1 "$work/wait-one" "$work/orphans" 1000)
expect "the control: a service as PID 1 leaves the 1,000 zombies" "0 1000" "$st $(cat "$work/out")"

# signals INIT: as PID 1, the service notes each signal sent to PID 1 from
# outside, then SIGTERM kills it; prints what it noted and the exit status.
# Another run's service is killed by SIGKILL, sent to it directly.
# The first real-time signal and the last, signal 64, too.
forwarded="HUP INT QUIT USR1 USR2 WINCH ALRM PIPE URG CONT TSTP RTMIN RTMAX"
signals() {
  local run=$1 log=$work/signals.$2 ready=$work/ready.$2 unshare pid sig
  rm -f "$log" "$ready"
  # The service: a trap for each signal, a last one for TERM that notes it
  # and dies of it.
  local traps="" s
  for s in $forwarded; do traps+="trap 'echo $s >>$log' $s; "; done
  # The test's own background jobs ignore SIGINT and SIGQUIT, which exec
  # keeps: the service starts with every signal at its default.
  env --default-signal unshare --pid --fork --mount-proc $run bash -c "$traps trap 'echo TERM >>$log; trap - TERM; kill -TERM \$\$' TERM
    touch $ready; while :; do sleep 0.05; done" &
  unshare=$!
  pid=$(child_of "$unshare")
  until_true test -e "$ready"
  for sig in $forwarded TERM; do
    kill -"$sig" "$pid"
    until_true grep -sqx "$sig" "$log"
  done
  wait "$unshare"
  echo "$? $(tr '\n' ' ' <"$log")"
}
killed() {
  local run=$1 unshare pid service
  unshare --pid --fork --mount-proc $run sleep 100 &
  unshare=$!
  pid=$(child_of "$unshare")
  service=$(child_of "$pid")
  until_true grep -q '^Name:.*sleep' "/proc/$service/status"
  kill -KILL "$service"
  wait "$unshare"
  echo $?
}
want="143 $forwarded TERM "
for init in cg tini; do
  eval "run=\$${init}_init"
  expect "$init as PID 1: each signal reaches the service; SIGTERM kills it: 143" "$want" "$(signals "$run" $init)"
  expect "$init as PID 1: the service killed by SIGKILL: 137" 137 "$(killed "$run")"
done

# --- Not PID 1: a subreaper ---
# A background process left by a subshell is the init's child, not the
# system's; 100 such orphans are reaped. qemu-user refuses
# PR_SET_CHILD_SUBREAPER (EINVAL): there capguard must refuse to start.
sub='( sleep 1 & echo $! >'$work'/orphan ); p=$(cat '$work'/orphan)
  echo "$(awk "/^PPid:/ { print \$2 }" /proc/$p/status) $PPID"; '$work'/orphans 100 $PPID'
for run in "$cg_init" "tini -s --"; do
  if [ -n "$qemu" ] && [ "$run" = "$cg_init" ]; then
    out=$($run sh -c "touch $work/ran" 2>&1)
    expect "capguard not PID 1 under qemu-user, which has no subreaper: refused, nothing ran" \
      "1 capguard: exec --init: prctl(PR_SET_CHILD_SUBREAPER): cannot become a subreaper: EINVAL (errno 22) no" \
      "$? $out $([ -e "$work/ran" ] && echo ran || echo no)"
    continue
  fi
  read -r ppid init_pid zombies_left <<<"$($run sh -c "$sub" | tr '\n' ' ')"
  expect "${run%% *} not PID 1: an orphan comes to it" "$init_pid" "$ppid"
  expect "${run%% *} not PID 1: its orphans are reaped" 0 "$zombies_left"
done

# The rest runs capguard as PID 1, which needs no subreaper, so that
# qemu-user runs it too.
# --- What the init holds ---
# The five sets, ids, groups and no_new_privs of a status file, one line;
# the ids and groups alone.
held() { grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|Uid|Gid|Groups|NoNewPrivs):' "$1" | tr '\t\n' '  ' | tr -s ' '; }
ids() { grep -E '^(Uid|Gid|Groups):' "$1" | tr '\t\n' '  ' | tr -s ' '; }
nothing="CapInh: 0000000000000000 CapPrm: 0000000000000000 CapEff: 0000000000000000 CapBnd: 0000000000000000 CapAmb: 0000000000000000 NoNewPrivs: 1 "
# The service copies its init's status and its own.
copy="cat /proc/\$PPID/status >$work/init; cat /proc/self/status >$work/service"
for args in "exec --keep net_bind_service --user 1000:1000" "exec --keep none --user nobody --groups daemon" \
    "exec --keep all" "exec --keep chown --no-new-privs --lock" "check --allow all"; do
  rm -f "$work/init" "$work/service"
  as_pid1 $CG ${args/ / --init } -- sh -c "$copy"
  expect "${args/ / --init }: the init holds nothing, with the service's ids" "$(ids "$work/service")$nothing" \
    "$(held "$work/init")"
  with=$(held "$work/service")
  rm -f "$work/service"
  $CG $args -- sh -c "$copy"
  expect "$args: the service holds with --init what it holds without" "$(held "$work/service")" "$with"
done
# The container's starting states: Docker's default capabilities, and a pod
# that drops ALL and adds what the drop and the switch need.
for state in "Docker's defaults:-all,+chown,+dac_override,+fowner,+fsetid,+kill,+setgid,+setuid,+setpcap,+net_bind_service,+net_raw,+sys_chroot,+mknod,+audit_write,+setfcap" \
    "drop ALL, add four:-all,+net_bind_service,+setuid,+setgid,+setpcap"; do
  rm -f "$work/init" "$work/service"
  as_pid1 setpriv --bounding-set="${state#*:}" --inh-caps=-all -- \
    $CG exec --init --keep net_bind_service --user 1000:1000 --no-new-privs -- sh -c "$copy"
  expect "from ${state%%:*} as PID 1: the init holds nothing; the service net_bind_service alone" \
    "Uid: 1000 1000 1000 1000 Gid: 1000 1000 1000 1000 Groups: 1000 $nothing|$(echo "Uid: 1000 1000 1000 1000 Gid: 1000 1000 1000 1000 Groups: 1000 $nothing" | sed 's/0000000000000000/0000000000000400/g')" \
    "$(held "$work/init")|$(held "$work/service")"
done
expect "exec --init --user 1000:1000: the init's uid and gid" "Uid: 1000 1000 1000 1000 Gid: 1000 1000 1000 1000 " \
  "$(as_pid1 $CG exec --init --keep none --user 1000:1000 -- sh -c "grep -E '^(Uid|Gid):' /proc/\$PPID/status" | tr '\t\n' '  ' | tr -s ' ')"

# --- The child's own process group, and the terminal's foreground ---
grp='read -r _ _ _ _ pgrp _ _ tpgid _ </proc/self/stat; echo "$$ $pgrp $tpgid"'
for run in "$cg_init" "$tini_init"; do
  read -r me pgrp tpgid <<<"$(script -qec "unshare --pid --fork --mount-proc $run sh -c '$grp'" /dev/null | tr -d '\r')"
  expect "${run%% *} on a terminal: the service leads its process group, in the foreground" "$me $me $me" "${me:-nothing printed} $pgrp $tpgid"
done

# --- Refusals and faults: reported, nothing run ---
marker=$work/ran
as_pid1 $CG check --init --allow none -- sh -c "touch $marker" 2>"$work/err"
expect "check --init, a capability outside the list: 1, nothing ran" "1 no" "$? $([ -e "$marker" ] && echo ran || echo no)"
expect "... the refusal is the child's line" 1 "$(grep -c 'event=unexpected_capability' "$work/err")"
# A caller that cannot drop its own bounding set (no CAP_SETPCAP).
as_pid1 setpriv --reuid 1000 --regid 1000 --clear-groups -- $CG check --init --allow all --sets effective -- \
  sh -c "touch $marker" 2>"$work/err"
expect "an init that cannot drop its bounding set: 1, nothing ran" "1 no" "$? $([ -e "$marker" ] && echo ran || echo no)"
expect "... named" \
  "capguard: check --init: prctl(PR_CAPBSET_DROP): cannot drop from the bounding set (cap_chown): EPERM (errno 1); needs cap_setpcap" \
  "$(cat "$work/err")"
# An ignored SIGCHLD, which exec keeps: children would be reaped unseen.
st=$(as_pid1 bash -c "trap '' CHLD; exec $CG exec --init --keep none -- sh -c 'exit 7'" 2>&1; echo $?)
expect "an ignored SIGCHLD inherited: the exit code still comes through" 7 "$st"
st=$($CG exec --init --keep none --dry-run -- /bin/true; echo $?)
expect "exec --init --dry-run runs nothing and prints what COMMAND holds" "$($CG exec --keep none --dry-run -- /bin/true; echo 0)" "$st"
# The dry run checks the init's own drop too: without CAP_SETPCAP, --keep all
# needs no drop, but the init's drop is refused.
st=$(capsh --drop=cap_setpcap -- -c "$CG exec --init --keep all --dry-run -- /bin/true; echo \$?" 2>&1)
expect "exec --init --dry-run, an init that cannot drop its bounding set: 1, named" \
  "capguard: exec --init: prctl(PR_CAPBSET_DROP): cannot drop from the bounding set (cap_chown): EPERM (errno 1); needs cap_setpcap
1" "$st"
done_testing
