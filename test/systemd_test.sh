#!/bin/bash
# check's fix under systemd (TAP): with INVOCATION_ID set, as systemd sets it
# for each process of a unit, a refusal's fix is the unit's lines. First the
# text, over kernel states built with setpriv, setcap and chmod; then a
# throwaway systemd, booted once in systemd-nspawn over a read-only view of /,
# runs units configured as operators get them wrong: the fix's words, each a
# line of a drop-in or a -p of systemd-run, must make capguard pass with the
# sets the kernel then shows in /proc.
# usage: systemd_test.sh CAPGUARD
set -u
CG=$(realpath "$1")
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
root_states "check's fix under systemd"
[ -n "${CAPGUARD_QEMU:-}" ] &&
  { skip "check's fix under systemd" "under qemu-user the kernel's exec rules act on qemu, not capguard; the native builds run this"; done_testing; }
work=$(mktemp -d)
nspawn='' cgs=()
# Removes cgroup DIR, from the leaves up, killing what still runs in it.
drop_cgroup() {
  local p
  for _ in $(seq 50); do
    find "$1" -depth -type d -exec rmdir {} + 2>/dev/null
    [ -d "$1" ] || return
    find "$1" -name cgroup.procs -exec cat {} + | while read -r p; do kill -KILL "$p"; done 2>/dev/null
    sleep 0.1
  done
}
# Halts the container and removes what it left: its processes, its cgroups,
# and the work directory, mounted on only inside the launcher's mount
# namespace.
cleanup() {
  local c
  if [ -n "$nspawn" ]; then
    kill -TERM "$nspawn" 2>/dev/null  # nspawn has the container's systemd halt
    for _ in $(seq 300); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.05; done
  fi
  for c in "${cgs[@]}"; do drop_cgroup "$c"; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM  # the cleanup, on a timeout too
out=$work/unit  # bound into the container: a program to run, the units' output
mkdir "$work/root" "$out" && chmod 755 "$work" "$out"
cd "$out" || exit 1
cp /bin/true fc && setcap cap_net_raw+ep fc
cp /bin/true su && chmod u+s su

# --- The text ---
# refusal ENV... ARG...: capguard's exit status and its fix="...", run by env.
refusal() { local err; err=$(env "$@" 2>&1 >/dev/null); echo "$? ${err#* fix=}"; }
as1000=(setpriv --reuid 1000 --regid 1000 --clear-groups)
last=$("$CG" list | awk '$3 == "yes" { c = $2 } END { print c }')
bnd='CapabilityBoundingSet= CapabilityBoundingSet=CAP_NET_BIND_SERVICE'
amb=' AmbientCapabilities= AmbientCapabilities=CAP_NET_BIND_SERVICE'
expect "root, bit 0 and the last allowed: one quoted word, no ambient lines" \
  "1 \"systemd: CapabilityBoundingSet= 'CapabilityBoundingSet=CAP_CHOWN ${last^^}'\"" \
  "$(refusal INVOCATION_ID=x "$CG" check --allow "chown,$last")"
expect "root, --allow none: the reset line alone" '1 "systemd: CapabilityBoundingSet="' \
  "$(refusal INVOCATION_ID=x "$CG" check --allow none)"
expect "uid 1000 with an ambient capability: the ambient lines" "1 \"systemd: $bnd$amb\"" \
  "$(refusal INVOCATION_ID=x "${as1000[@]}" --inh-caps +net_raw --ambient-caps +net_raw "$CG" check --allow net_bind_service)"
for ids in --euid --ruid; do
  expect "setpriv $ids 1000, the other uid 0: no ambient lines" "1 \"systemd: $bnd\"" \
    "$(refusal INVOCATION_ID=x setpriv "$ids" 1000 "$CG" check --allow net_bind_service)"
done
# Under noroot, root gains nothing at exec either: what it holds came ambient.
expect "root under noroot, an ambient capability: the ambient lines" "1 \"systemd: $bnd$amb\"" \
  "$(refusal INVOCATION_ID=x setpriv --securebits +noroot --inh-caps +net_raw --ambient-caps +net_raw "$CG" check --allow net_bind_service)"
# Root gains its bounding set at exec whatever the file holds: the file's
# capabilities are the offender only under SECBIT_NOROOT.
expect "root under noroot, COMMAND with file capabilities: setcap -r, or NoNewPrivileges=yes alone" \
  '1 "setcap -r ./fc, or systemd: NoNewPrivileges=yes"' \
  "$(refusal INVOCATION_ID=x setpriv --securebits +noroot "$CG" check --allow net_bind_service -- ./fc)"
expect "uid 1000, COMMAND set-uid root: chmod u-s, or NoNewPrivileges=yes alone" \
  '1 "chmod u-s ./su, or systemd: NoNewPrivileges=yes"' \
  "$(refusal INVOCATION_ID=x "${as1000[@]}" "$CG" check --allow net_bind_service -- ./su)"
expect "INVOCATION_ID empty: the container runtimes' fix" \
  '1 "docker/podman: --cap-drop=ALL --cap-add=NET_BIND_SERVICE; kubernetes: securityContext.capabilities: drop: [ALL], add: [NET_BIND_SERVICE]"' \
  "$(refusal INVOCATION_ID= "$CG" check --allow net_bind_service)"

# --- Under a real systemd ---
command -v systemd-nspawn >/dev/null ||
  { not_ok "systemd-nspawn is installed (apt-get install systemd-container)"; done_testing; }
# nspawn gives the container's systemd the cgroup it starts in: one of its
# own below ours, in each hierarchy systemd uses (unified, or hybrid's two).
for h in /sys/fs/cgroup /sys/fs/cgroup/unified /sys/fs/cgroup/systemd; do
  case $(stat -f -c %T "$h" 2>/dev/null) in
    cgroup2fs) rel=$(sed -n 's/^0:://p' /proc/self/cgroup) ;;
    cgroupfs) rel=$(sed -n 's/^[0-9]*:name=systemd://p' /proc/self/cgroup) ;;
    *) continue ;;
  esac
  # A run killed before its cleanup (a timeout's SIGKILL) left its own.
  for c in "$h${rel%/}"/capguard-systemd-*; do [ -d "$c" ] && ! kill -0 "${c##*-}" 2>/dev/null && drop_cgroup "$c"; done
  cgs+=("$h${rel%/}/capguard-systemd-$$")
  mkdir "${cgs[-1]}" || { not_ok "a cgroup for the container: ${cgs[-1]}"; done_testing; }
done
# The launcher moves itself into them, then mounts the container's root (a
# bind of /) and nspawn's state (/run) in a mount namespace of its own.
(
  for c in "${cgs[@]}"; do echo "$BASHPID" >"$c/cgroup.procs"; done
  exec unshare -m sh -ec 'mount -t tmpfs tmpfs /run; mount --bind / "$0"; exec systemd-nspawn -D "$0" "$@"' \
    "$work/root" --read-only --volatile=state --register=no --keep-unit --private-network \
    --link-journal=no --resolv-conf=off --timezone=off --console=read-only --bind-ro="${CG%/*}" --bind="$out" \
    -b -- systemd.unit=sysinit.target systemd.show_status=0
) </dev/null >"$work/console" 2>&1 &
nspawn=$!
ct() { timeout 60 nsenter --target "$leader" --all --root --wd -- "$@" </dev/null; }
console() { tail -n 20 "$work/console" | sed 's/\x1b\[[0-9;]*m//g'; }  # its last lines
# The container's systemd, nspawn's child in another PID namespace, once it
# has started what it boots into.
leader='' pidns=$(readlink /proc/$$/ns/pid)
for _ in $(seq 1200); do
  for p in $(cat /proc/"$nspawn"/task/*/children 2>/dev/null); do
    [ "$(readlink /proc/"$p"/ns/pid)" != "$pidns" ] && [ "$(cat /proc/"$p"/comm 2>/dev/null)" = systemd ] && leader=$p
  done
  [ -n "$leader" ] && [[ $(ct systemctl is-system-running 2>&1) =~ ^(running|degraded)$ ]] && break
  kill -0 "$nspawn" 2>/dev/null || break
  sleep 0.05
done
if ! [[ $(ct systemctl is-system-running 2>&1) =~ ^(running|degraded)$ ]]; then
  mapfile -t d < <(console)
  not_ok "a systemd boots in systemd-nspawn" "${d[@]}"
  done_testing
fi
echo "# in the container: $(ct systemctl --version | head -1)"
units=/proc/$leader/root/run/systemd/system
# What every unit here has: its outputs, and a first command that prints the
# sets the unit's processes hold.
common() {
  printf '%s\n' Type=oneshot RemainAfterExit=yes "StandardOutput=append:$out/$1.out" "StandardError=append:$out/$1.err" \
    'ExecStartPre=/bin/grep -E ^Cap(Prm|Eff|Bnd|Amb): /proc/self/status'
}
# unit NAME LINE...: NAME.service, the common lines and LINE... under [Service].
unit() { { echo '[Service]'; common "$1"; printf '%s\n' "${@:2}"; } >"$units/$1.service" && ct systemctl daemon-reload; }
# dropin NAME LINE...: the drop-in an operator writes, NAME.service.d/capguard.conf.
dropin() {
  mkdir -p "$units/$1.service.d" && { echo '[Service]'; printf '%s\n' "${@:2}"; } >"$units/$1.service.d/capguard.conf" &&
    ct systemctl daemon-reload
}
# run NAME [ARG...]: starts unit NAME, or with ARGs has systemd-run start it
# (with a -p for each common line); got is its exit status, the sets and
# capguard's fix or other error; words stays the last fix's systemd words,
# as the shell splits them.
words=()
run() {
  local u=$1 p fix
  shift
  rm -f "$out/$u".*
  mapfile -t p < <(common "$u")
  if [ $# = 0 ]; then ct systemctl restart "$u"; else ct systemd-run -q -u "$u" "${p[@]/#/-p}" "$@"; fi >/dev/null 2>&1
  got="$(ct systemctl show -P ExecMainStatus "$u") $(tr -s '\t\n' '  ' <"$out/$u.out")$(sed 's/.* fix=/fix=/' "$out/$u.err")"
  fix=$(sed -n 's/.* fix="\(.*\)"$/\1/p' "$out/$u.err")
  [ -n "$fix" ] && mapfile -t words < <(python3 -c 'import shlex, sys; [print(w) for w in shlex.split(sys.argv[1])]' "${fix#*systemd: }")
}
# sd_expect NAME WANT GOT: expect, with the journal's and the console's last
# lines on a mismatch.
sd_expect() { local d=(); [ "$2" = "$3" ] || mapfile -t d < <(ct journalctl -q --no-pager -n 10; console); expect "$@" "${d[@]}"; }
# caps PRM EFF BND AMB: the sets, in hex, as the units' first command prints them.
caps() { printf 'CapPrm: %016x CapEff: %016x CapBnd: %016x CapAmb: %016x ' "0x$1" "0x$2" "0x$3" "0x$4"; }
# nspawn's default bounding set, which holds every capability used here but
# not cap_sys_module: the host's sysinit units load no module.
full=$(ct sed -n 's/^CapBnd:\t//p' /proc/1/status)

# fix_works NAME ARGS REFUSED FIXED LINE...: a unit with LINE... runs
# capguard check ARGS: refused, REFUSED; with the fix's words as a drop-in,
# FIXED. Then the same by systemd-run, a -p for each line and each word.
fix_works() {
  local name=$1 args=$2 refused=$3 fixed=$4
  shift 4
  unit "$name" "$@" "ExecStart=$CG check $args"
  run "$name"
  sd_expect "unit $*, check ${args//$out\//}: refused, the fix named" "$refused" "$got"
  dropin "$name" "${words[@]}"
  run "$name"
  sd_expect "... with the fix's ${#words[@]} words as a drop-in: passes, the sets allowed" "$fixed" "$got"
  run "$name-run" "${@/#/-p}" "$CG" check $args
  sd_expect "systemd-run -p for each line: refused, the same fix" "$refused" "$got"
  run "$name-run-fixed" "${@/#/-p}" "${words[@]/#/-p}" "$CG" check $args
  sd_expect "... and a -p for each of its words: the same sets" "$fixed" "$got"
}
fix_works cg-a "--allow net_bind_service --sets all" \
  "1 $(caps 200400 200400 200400 0)fix=\"systemd: $bnd\"" "0 $(caps 400 400 400 0)" \
  'CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_SYS_ADMIN'
# Without the reset line, the drop-in's bounding set joins the unit's.
unit cg-d 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE CAP_SYS_ADMIN' "ExecStart=$CG check --allow net_bind_service --sets all"
dropin cg-d CapabilityBoundingSet=CAP_NET_BIND_SERVICE
run cg-d
sd_expect "the control: the same drop-in without CapabilityBoundingSet= widens nothing, still refused" \
  "1 $(caps 200400 200400 200400 0)fix=\"systemd: $bnd\"" "$got"
fix_works cg-b "--allow net_bind_service --sets all" \
  "1 $(caps 2400 2400 "$full" 2400)fix=\"systemd: $bnd$amb\"" "0 $(caps 400 400 400 400)" \
  User=nobody 'AmbientCapabilities=CAP_NET_BIND_SERVICE CAP_NET_RAW'
# Two capabilities are one quoted word, one line, one -p.
fix_works cg-two "--allow chown,net_bind_service --sets all" \
  "1 $(caps 200401 200401 200401 0)fix=\"systemd: CapabilityBoundingSet= 'CapabilityBoundingSet=CAP_CHOWN CAP_NET_BIND_SERVICE'\"" \
  "0 $(caps 401 401 401 0)" 'CapabilityBoundingSet=CAP_CHOWN CAP_NET_BIND_SERVICE CAP_SYS_ADMIN'
# The offender is the program's own capabilities, with the effective flag as
# setcap gives ping's: after the fix it runs under no_new_privs, gaining
# nothing. A bounding set without cap_net_raw would make its execve fail.
fix_works cg-c "--allow net_bind_service -- $out/fc" \
  "1 $(caps 0 0 "$full" 0)fix=\"setcap -r $out/fc, or systemd: NoNewPrivileges=yes\"" "0 $(caps 0 0 "$full" 0)" \
  User=nobody
unit cg-e User=nobody 'CapabilityBoundingSet=CAP_NET_BIND_SERVICE' NoNewPrivileges=yes "ExecStart=$CG check --allow net_bind_service -- $out/fc"
run cg-e
sd_expect "the control: with the allowlist's bounding set too, the file cannot run" \
  "126 $(caps 0 0 400 0)capguard: check: $out/fc: execve would fail: EPERM (errno 1): its file capabilities have the effective flag, and cap_net_raw would not be granted: in neither the bounding set nor both inheritable sets; add it to the container's capabilities, or remove them (setcap -r)" "$got"
done_testing
