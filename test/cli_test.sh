#!/bin/bash
# Black-box tests of the capguard command (TAP). Capability states are built
# with setpriv and unshare; every expectation comes from the kernel's own
# /proc/<pid>/status or from capsh, read independently of capguard.
# usage: cli_test.sh CAPGUARD linux|stub SYSTEM
set -u
CG=$1 BACKEND=$2 SYSTEM=$3
# What the stub's guard says before anything else on stderr.
skipped="capguard: skipping linux-only capability check on $SYSTEM"
pre=""; [ "$BACKEND" = stub ] && pre="$skipped"$'\n'
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
# expect NAME WANT GOT [context...]
# run CMD...: sets out, err, rc
run() { out=$("$@" 2>/tmp/capguard-cli-err.$$); rc=$?; err=$(cat /tmp/capguard-cli-err.$$); }
trap 'rm -f /tmp/capguard-cli-err.$$ /tmp/capguard-cli-help.$$ /tmp/capguard-cli-status.$$' EXIT

# The five Cap values of a status file, lower-case hex, one line.
proc_caps() { awk '/^Cap(Inh|Prm|Eff|Bnd|Amb):/ { printf "%s%s", sep, tolower($2); sep=" " } END { print "" }' "$1"; }
# The same five from `capguard show --json` output.
json_caps() { sed -E 's/.*"hex":\{"inheritable":"([0-9a-f]+)","permitted":"([0-9a-f]+)","effective":"([0-9a-f]+)","bounding":"([0-9a-f]+)","ambient":"([0-9a-f]+)"\}\}$/\1 \2 \3 \4 \5/'; }
# What `capguard show` must print for five hex values, named by capsh.
show_from_capsh() {
  local i=0 names
  for set in inheritable permitted effective bounding ambient; do
    i=$((i + 1))
    names=$(capsh --decode="$(echo "$1" | cut -d' ' -f$i)" | cut -d= -f2)
    echo "$set:${names:+ $names}"
  done
}
# The capabilities of a mask as a comma list of numbers, for --allow.
bits_of() { local m=$((16#$1)) b out=""; for b in $(seq 0 63); do (( (m >> b) & 1 )) && out+="${out:+,}$b"; done; echo "${out:-none}"; }

# --- usage, exit codes, messages (any user) ---
run "$CG" --version; expect "--version" "0 capguard 0.1.0" "$rc $out"
run "$CG" --help; expect "help" "0 usage: capguard COMMAND" "$rc $(echo "$out" | head -1 | cut -d' ' -f1-3)"
help=$out
for h in -h help; do run "$CG" $h; expect "$h is --help" "0 $help" "$rc $out"; done
help=$out
# COMMAND --help: "usage: " and COMMAND's paragraph of --help, byte for byte,
# the usage line and an indented description after it.
for c in show check exec file scan ps decode list; do
  want=$(echo "$help" | awk -v c="capguard $c" '$0 == c || index($0, c " ") == 1 { p = 1 } p && $0 == "" { exit } p')
  "$CG" $c --help >/tmp/capguard-cli-help.$$; rc=$?
  echo "usage: $want" | cmp -s - /tmp/capguard-cli-help.$$
  expect "help: $c" "0 0 found" "$rc $? $(echo "$want" | sed -n '2,$p' | grep -q '^  [A-Z]' && echo found)"
done
run "$CG"; expect "no command is a usage error" "2" "$rc"
run "$CG" frobnicate; expect "unknown command" "2 capguard: unknown command: frobnicate (see capguard --help)" "$rc $err"
run "$CG" check --allow cap_net_bind_service,bogus_cap; expect "unknown capability names the word" \
  '2 capguard: check: unknown capability in --allow: "bogus_cap" (see capguard list)' "$rc $err"
run "$CG" check --allow none --sets effective,nonsense; expect "unknown set names the word" \
  '2 capguard: check: unknown set in --sets: "nonsense" (effective, permitted, inheritable, bounding, ambient, all)' "$rc $err"
run "$CG" check; expect "check needs --allow" "2 capguard: check: --allow LIST is required" "$rc $err"
run "$CG" check --allow; expect "--allow needs a value" "2 capguard: check: needs a value: --allow" "$rc $err"
run "$CG" show --json=yes; expect "a flag given a value" "2 capguard: show: takes no value: --json" "$rc $out$err"
run "$CG" check --allow none --; expect "-- needs a command" "2 capguard: check: missing COMMAND after --" "$rc $err"
run "$CG" check --allow none --frob; expect "unknown check option" "2 capguard: check: unknown option: --frob" "$rc $err"
run "$CG" show 12x; expect "show rejects a bad pid" "2 capguard: show: not a pid: 12x" "$rc $err"
run "$CG" show 0; expect "show rejects pid 0" "2" "$rc"
run "$CG" show 1 --exec /bin/true; expect "show: PID and --exec together" "2 capguard: show: PID and --exec exclude each other" "$rc $out$err"
run "$CG" decode; expect "decode needs HEX" "2" "$rc"
for bad in zz 0x "" 1ffffffffffffffffff 10000000000000000 -1 " 1"; do
  run "$CG" decode "$bad"; expect "decode rejects '$bad'" "2 capguard: decode: not a 64-bit hex value: $bad" "$rc $err"
done
run "$CG" list extra; expect "list takes no arguments" "2" "$rc"
# No message is cut: a long one goes out whole, in several writes.
long=$(printf 'x%.0s' $(seq 9000))
run "$CG" "$long"
expect "an overlong message is written whole, one line" "2 1 capguard: unknown command: $long (see capguard --help)" \
  "$rc $("$CG" "$long" 2>&1 | wc -l) $err"
run "$CG" check --allow "cap_chown,${long}"
expect "an overlong word keeps its closing quote" \
  "2 capguard: check: unknown capability in --allow: \"$(printf 'x%.0s' $(seq 64))...\" (see capguard list)" "$rc $err"
# At the edge: 64 bytes are quoted whole, 65 cut to 64.
x64=$(printf 'x%.0s' $(seq 64))
run "$CG" check --allow "$x64"
expect "a word of 64 bytes is quoted whole" "2 capguard: check: unknown capability in --allow: \"$x64\" (see capguard list)" "$rc $err"
run "$CG" check --allow "${x64}y"
expect "a word of 65 bytes is cut" "2 capguard: check: unknown capability in --allow: \"$x64...\" (see capguard list)" "$rc $err"
# Output that cannot be written: the call and errno, exit 3.
# Written at once (decode), or through a buffer at its flush (show, which
# the stub cannot read for).
writes=("decode 1")
[ "$BACKEND" = linux ] && writes+=(show)
for c in "${writes[@]}"; do
  "$CG" $c >/dev/full 2>/tmp/capguard-cli-err.$$; rc=$?
  expect "a failed write of the output exits 3 and says why: $c" \
    "3 capguard: write: cannot write the output: ENOSPC (errno 28)" "$rc $(cat /tmp/capguard-cli-err.$$)"
done
# With standard input closed, the file looked up gets descriptor 0: still a
# descriptor, judged and run.
"$CG" check --allow all -- /bin/true <&-
expect "check with standard input closed: COMMAND judged and run" "0" "$?"
# Each PATH entry tried is closed before the next: twelve that hold an `app`
# nobody may execute, under ulimit -n 8, then one that runs.
many=$(mktemp -d) && path=
for i in $(seq 12); do mkdir "$many/$i" && touch "$many/$i/app" && path=$path$many/$i:; done
mkdir "$many/ok" && cp /bin/echo "$many/ok/app"
run bash -c 'ulimit -n 8 && exec "$@"' - env PATH="$path$many/ok" "$CG" check --allow all -- app ran
expect "check through twelve PATH entries under ulimit -n 8: each closed, the thirteenth runs" "0 ran" "$rc $out" "$err"
rm -rf "$many"
run "$CG" check --allow none --sets inheritable,ambient -- /nonexistent/cmd
expect "missing command exits 127" "127 ${pre}capguard: check: /nonexistent/cmd: execve: command not found: ENOENT (errno 2)" "$rc $err"
run "$CG" check --allow none --sets inheritable,ambient -- capguard-no-such-command
expect "command not on PATH exits 127" "127" "$rc"
plain=$(mktemp); chmod 644 "$plain"
run "$CG" check --allow none --sets inheritable,ambient -- "$plain"
expect "non-executable command exits 126" "126 ${pre}capguard: check: $plain: execve: command not executable: EACCES (errno 13)" "$rc $err"
printf 'not a program' >"$plain"; chmod 755 "$plain"
run "$CG" check --allow none --sets inheritable,ambient -- "$plain"
# Linux refuses it before the exec: binfmt_misc could run it, with an
# interpreter's credentials.
why="not an ELF file or a #! script: binfmt_misc's choice of interpreter is not predicted"
[ "$BACKEND" = stub ] && why="execve: cannot execute command"
expect "unrunnable command exits 126" "126 ${pre}capguard: check: $plain: $why: ENOEXEC (errno 8)" "$rc $err"
rm -f "$plain"
run "$CG" check --allow=none --sets=inheritable,ambient -- sh -c 'echo "$0 $1"; exit 7' a b
expect "check execs the command with its arguments" "7 a b" "$rc $out"
expect "check execs the command with nothing else on stderr" "${pre%$'\n'}" "$err"

# --- decode against capsh --decode ---
if command -v capsh >/dev/null; then
  masks="0 1 3 0x0 0X1f 1ffffffffff 3ffffffffff 20000000000 8000000000000000 ffffffffffffffff FFFFFFFFFFFFFFFF 0000000000000000001"
  for i in $(seq 300); do masks+=" $(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"; done
  for i in $(seq 64); do masks+=" $(printf %x $((1 << (i - 1))))"; done
  diffs=0
  for m in $masks; do
    # Byte for byte: $(...) would drop a NUL written past the newline.
    cmp -s <("$CG" decode "$m") <(capsh --decode="$m") || { diffs=$((diffs + 1)); echo "# differs: $m"; }
  done
  expect "decode equals capsh --decode for $(echo $masks | wc -w) masks" 0 "$diffs"
else
  not_ok "decode equals capsh --decode" "capsh not installed (Debian: libcap2-bin)"
fi

if [ "$BACKEND" = stub ]; then
  run "$CG" show; expect "stub: show cannot read" "3 capguard: show: not supported on this system" "$rc $err"
  run "$CG" list; expect "stub: list cannot read" "3 capguard: list: cannot learn the kernel's last capability: not supported on this system" "$rc $err"
  run "$CG" check --allow none --sets all; expect "stub: check passes and says why, once" "0 $skipped" "$rc $err"
  run "$CG" exec --keep none -- true; expect "stub: exec refuses" "1 capguard: exec: not supported on this system" "$rc $err"
  run "$CG" ps; expect "stub: ps cannot read" "3 capguard: ps: cannot learn the kernel's last capability: not supported on this system" "$rc $err"
  done_testing
fi

# A scan down 17 levels of 200-byte names, three files beside each: the
# walk's one entry buffer is taken back while levels above still hold
# entries, which they read again at an aligned place (the sanitized build
# fails a record read at an odd address). No file is privileged: no line.
tree=$(mktemp -d) && dir=$tree
for i in $(seq 17); do
  name=$(printf "%0200d" "$i") && mkdir "$dir/$name" && touch "$dir/a$name" "$dir/b$name" "$dir/c$name" && dir=$dir/$name
done
run "$CG" scan "$tree"
expect "scan of 17 levels of long names: exit 0, nothing found" "0 " "$rc $out$err"
rm -rf "$tree"

run "$CG" show 2147483646; expect "show of a missing pid exits 3" \
  "3 capguard: show 2147483646: /proc/PID/status: cannot open: ENOENT (errno 2)" "$rc $err"

# --- list against the running kernel ---
last=$(cat /proc/sys/kernel/cap_last_cap)
max=$(( last > 40 ? last : 40 ))
run "$CG" list
expect "list has a line per bit up to $max" "$((max + 1))" "$(echo "$out" | wc -l)"
want=$(for b in $(seq 0 $max); do name=$(capsh --decode=$(printf %x $((1 << b))) | cut -d= -f2); echo "$b $name $([ $b -le $last ] && echo yes || echo no)"; done)
expect "list names and kernel column" "$want" "$(echo "$out" | awk '{print $1, $2, $3}')"

# --- real capability states (root) ---
if [ "$(id -u)" != 0 ]; then
  skip "capability states made with setpriv" "needs root to build capability states"
  done_testing
fi

states=(
  "root as is|"
  "root with a reduced bounding set|--bounding-set=-all,+chown,+kill,+net_bind_service"
  "uid 1000 with ambient caps|--reuid=1000 --regid=1000 --clear-groups --inh-caps=+net_bind_service,+net_raw --ambient-caps=+net_bind_service,+net_raw"
  "uid 1000 with none|--reuid=1000 --regid=1000 --clear-groups"
  "root with inheritable only|--inh-caps=+sys_time --bounding-set=-all,+sys_time,+setpcap"
)
for entry in "${states[@]}"; do
  label=${entry%%|*}
  args=${entry#*|}
  sp() { setpriv $args -- "$@"; }
  # The kernel's answer for a plain program in this state.
  want=$(sp cat /proc/self/status | proc_caps /dev/stdin)
  run sp "$CG" show --json; expect "$label: show --json equals /proc" "$want" "$(echo "$out" | json_caps)" "$out"
  run sp "$CG" show; expect "$label: show names equal capsh" "$(show_from_capsh "$want")" "$out"
  setpriv $args -- sleep 30 & pid=$!
  for _ in $(seq 50); do [ "$(readlink /proc/$pid/exe)" = "$(readlink -f "$(command -v sleep)")" ] && break; sleep 0.02; done
  expect "$label: the sleeping process is in that state" "$want" "$(proc_caps /proc/$pid/status)"
  run "$CG" show $pid --json
  expect "$label: show PID equals /proc/PID" "$(proc_caps /proc/$pid/status)" "$(echo "$out" | json_caps)"
  expect "$label: show PID reports the pid" "{\"schema\":1,\"pid\":$pid," "$(echo "$out" | cut -c1-$((19 + ${#pid})))"
  kill $pid; wait $pid 2>/dev/null
  read -r inh prm eff bnd amb <<<"$want"
  held=$(printf %x $(( 16#$prm | 16#$eff | 16#$amb )))
  run sp "$CG" check --allow "$(bits_of "$held")" -- sh -c 'exit 5'
  expect "$label: check within exactly what is held runs the command" "5 " "$rc $err"
  run sp "$CG" check --allow "$(bits_of "$bnd")" --sets bounding
  expect "$label: check of bounding within it" "0" "$rc"
  if [ "$held" != 0 ]; then
    low=$(( 16#$held & -16#$held )); bit=0; while [ $((1 << bit)) -ne $low ]; do bit=$((bit + 1)); done
    name=$(capsh --decode=$(printf %x $low) | cut -d= -f2)
    first_set=permitted; (( 16#$prm & low )) || first_set=effective
    run sp "$CG" check --allow "$(bits_of "$(printf %x $(( 16#$held & ~low )))")" -- true
    expect "$label: check without $name refuses" "1 set=$first_set cap=$name bit=$bit" \
      "$rc $(echo "$err" | grep -o 'set=[a-z]* cap=[a-z_0-9]* bit=[0-9]*')" "$err"
    expect "$label: the refusal is one line" 1 "$(echo "$err" | wc -l)"
  else
    run sp "$CG" check --allow none; expect "$label: check --allow none passes" "0 " "$rc $err"
  fi
done

# --- exec: drop to exactly a list, switch user, run ---
creds() { grep -E '^(Cap|NoNewPrivs|Uid|Gid|Groups)' "$@"; }
run "$CG" exec --user 1000:1000 -- true; expect "exec needs --keep" "2 capguard: exec: --keep LIST is required" "$rc $err"
run "$CG" exec --keep none; expect "exec needs a command" "2 capguard: exec: missing -- COMMAND" "$rc $err"
run "$CG" exec --keep none --groups 1 --clear-groups -- true
expect "--groups and --clear-groups exclude each other" "2 capguard: exec: --groups and --clear-groups exclude each other" "$rc $err"
run "$CG" exec --keep none --keep none -- true; expect "an option twice is refused" "2 capguard: exec: option given twice: --keep" "$rc $err"
run "$CG" exec --keep net_bind_service,bogus -- true
expect "exec names the unknown capability" '2 capguard: exec: unknown capability in --keep: "bogus" (see capguard list)' "$rc $err"
run "$CG" exec --keep none --user no-such-user -- true
expect "exec names the unknown user" "2 capguard: exec: --user no-such-user: /etc/passwd: no such user" "$rc $err"
run "$CG" exec --keep none --user 4242 -- true
expect "a uid without passwd entry needs a GID" "2 capguard: exec: --user 4242: /etc/passwd: no entry gives its group; write UID:GID" "$rc $err"
run "$CG" exec --keep none --user root:no-such-group -- true
expect "exec names the unknown group of --user" "2 capguard: exec: --user root:no-such-group: /etc/group: no such group" "$rc $err"
run "$CG" exec --keep none --groups daemon,no-such-group -- true
expect "exec names the unknown group of --groups" '2 capguard: exec: unknown group in --groups: "no-such-group" (see /etc/group)' "$rc $err"
run "$CG" exec --keep none --user nobody -- cat /proc/self/status
expect "--user NAME takes uid, gid and groups from /etc/passwd and /etc/group" "Uid:	65534	65534	65534	65534 Gid:	$(id -g nobody)	$(id -g nobody)	$(id -g nobody)	$(id -g nobody) Groups:	$(id -G nobody | tr ' ' '\n' | sort -n | tr '\n' ' ') " "$(echo "$out" | grep -E '^(Uid|Gid|Groups)' | tr '\n' ' ')"
run "$CG" exec --keep none --user root:$(id -gn nobody) --groups daemon,4000000000 -- cat /proc/self/status
expect "--user NAME:GROUP and --groups resolve names" "Gid:	$(id -g nobody)	$(id -g nobody)	$(id -g nobody)	$(id -g nobody) Groups:	1 4000000000  " "$(echo "$out" | grep -E '^(Gid|Groups)' | tr '\n' ' ')"

# Every option combination against setpriv with the same meaning.
sp_flags() {  # keep user groups nnp lock
  local caps="" uid=0 f=()
  [ "$1" = none ] || for c in ${1//,/ }; do caps+=",+$c"; done
  f+=("--bounding-set=-all$caps")
  [ -n "$2" ] && { uid=${2%%:*}; f+=("--reuid=$uid" "--regid=${2#*:}"); }
  # --user UID:GID makes GID the only supplementary group (gosu: 0:0 gives groups 0).
  case $3 in clear) f+=(--clear-groups) ;; "") [ -n "$2" ] && f+=("--groups=${2#*:}") ;; *) f+=("--groups=$3") ;; esac
  if [ "$uid" != 0 ] || [ "$5" = 1 ]; then f+=("--inh-caps=-all$caps" "--ambient-caps=-all$caps"); else f+=("--inh-caps=-all"); fi
  [ "$4" = 1 ] && f+=(--no-new-privs)
  [ "$5" = 1 ] && f+=(--securebits=+noroot,+noroot_locked,+no_setuid_fixup,+no_setuid_fixup_locked,+keep_caps_locked)
  echo "${f[@]}"
}
cg_flags() {
  local f=(--keep "$1")
  [ -n "$2" ] && f+=(--user "$2")
  case $3 in clear) f+=(--clear-groups) ;; "") ;; *) f+=(--groups "$3") ;; esac
  [ "$4" = 1 ] && f+=(--no-new-privs)
  [ "$5" = 1 ] && f+=(--lock)
  echo "${f[@]}"
}
combos=0 diffs=0
for keep in none net_bind_service net_bind_service,net_raw,sys_time; do
  for user in "" 1000:1000 0:0; do
    for groups in "" clear 100,200; do
      for nnp in 0 1; do
        for lock in 0 1; do
          combos=$((combos + 1))
          want=$(setpriv $(sp_flags "$keep" "$user" "$groups" $nnp $lock) -- cat /proc/self/status) && want_rc=0 || want_rc=$?
          got=$("$CG" exec $(cg_flags "$keep" "$user" "$groups" $nnp $lock) -- cat /proc/self/status 2>&1) && got_rc=0 || got_rc=$?
          want=$(echo "$want" | creds) got=$(echo "$got" | creds)
          if [ $want_rc != 0 ] || [ $got_rc != 0 ] || [ -z "$want" ] || [ "$got" != "$want" ]; then
            diffs=$((diffs + 1))
            echo "# differs: capguard exec $(cg_flags "$keep" "$user" "$groups" $nnp $lock) (exit $got_rc; setpriv's $want_rc)"
            diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
          fi
        done
      done
    done
  done
done
expect "exec equals setpriv in all $combos option combinations" 0 "$diffs"

# Go's os/exec TestAmbientCaps, and the README's scratch-image entrypoint.
run "$CG" exec --keep cap_sys_time,cap_syslog --user 65534:65534 -- cat /proc/self/status
expect "nobody keeps sys_time and syslog through ambient" \
  "CapInh:	0000000402000000 CapPrm:	0000000402000000 CapEff:	0000000402000000 CapBnd:	0000000402000000 CapAmb:	0000000402000000 " \
  "$(echo "$out" | grep ^Cap | tr '\n' ' ')"
run "$CG" exec --keep net_bind_service --user 1000:1000 --no-new-privs -- cat /proc/self/status
expect "the entrypoint example: exactly net_bind_service, uid 1000, no_new_privs" \
  "Uid:	1000	1000	1000	1000 Gid:	1000	1000	1000	1000 Groups:	1000  CapInh:	0000000000000400 CapPrm:	0000000000000400 CapEff:	0000000000000400 CapBnd:	0000000000000400 CapAmb:	0000000000000400 NoNewPrivs:	1 " \
  "$(echo "$out" | creds | tr '\n' ' ')"

# A failed step: one line naming it, exit 1, nothing run.
marker=$(mktemp -u)
run "$CG" exec --keep 63 -- touch "$marker"
expect "keeping what is not held fails before anything changes" \
  "1 capguard: exec: cannot keep a capability that is not permitted (permitted: 63) no" "$rc $err $([ -e "$marker" ] && echo ran || echo no)"
run setpriv --reuid=1000 --regid=1000 --clear-groups -- "$CG" exec --keep none -- touch "$marker"
expect "without CAP_SETPCAP the bounding drop fails and names what it needs" \
  "1 capguard: exec: prctl(PR_CAPBSET_DROP): cannot drop from the bounding set (cap_chown): EPERM (errno 1); needs cap_setpcap no" \
  "$rc $err $([ -e "$marker" ] && echo ran || echo no)"
run setpriv --reuid=1000 --regid=1000 --clear-groups --bounding-set=-all -- "$CG" exec --keep none --user 0:0 -- touch "$marker"
expect "without CAP_SETGID the id switch fails and names what it needs" \
  "1 capguard: exec: setgroups: cannot set the groups: EPERM (errno 1); needs cap_setgid (in a user namespace, also setgroups allow) no" \
  "$rc $err $([ -e "$marker" ] && echo ran || echo no)"
run "$CG" exec --keep none -- /nonexistent/cmd; expect "exec: missing command exits 127" "127" "$rc"
run "$CG" exec --keep none --user 1000:1000 -- /root/.bashrc; expect "exec: command not executable exits 126" "126" "$rc"

# The README's refusal line is the one capguard writes in its state.
readme=$(dirname "${BASH_SOURCE[0]}")/../README.md
run setpriv --bounding-set=-all,+net_raw,+net_bind_service -- "$CG" check --allow net_bind_service
expect "the README shows the refusal line exactly" "1 $(grep -m1 '^capguard: level=error event=unexpected_capability' "$readme")" "$rc $err"

# Every command runs in a 200 KiB stack (ulimit -s 200).
for cmd in "show" "show 1 --json" "ps --json --sets=all" "check --allow $(seq -s, 0 63) --sets all" "decode ffffffffffffffff" "list" "exec --help" \
    "exec --keep none --user 1000:1000 --groups $(seq -s, 1 256) -- true" "check --allow none --sets inheritable -- true"; do
  run bash -c "ulimit -s 200 && exec $CG $cmd >/dev/null"
  expect "ulimit -s 200: capguard $(echo "$cmd" | cut -c1-40)" "0" "$rc" "$err"
done

# In a pid namespace whose /proc is still the host's, getpid() names another
# process there: show must read its own, through /proc/self.
run unshare --pid --fork setpriv --bounding-set=-all,+chown -- "$CG" show --json
expect "pid namespace: show reads itself, not the host's process of its pid" \
  "0000000000000000 0000000000000001 0000000000000001 0000000000000001 0000000000000000" "$(echo "$out" | json_caps)" "$err"
expect "pid namespace: show --json reports the namespace's pid" '{"schema":1,"pid":1,' "$(echo "$out" | cut -c1-20)"

# In a user namespace, root has every capability the namespace allows, and
# capguard sees and drops exactly what the kernel says there.
if unshare --user --map-root-user true 2>/dev/null; then
  want=$(unshare --user --map-root-user cat /proc/self/status | proc_caps /dev/stdin)
  run unshare --user --map-root-user "$CG" show --json
  expect "user namespace: show equals the namespace's /proc" "$want" "$(echo "$out" | json_caps)"
  read -r inh prm eff bnd amb <<<"$want"
  run unshare --user --map-root-user "$CG" check --allow "$(bits_of "$prm")" --sets all
  expect "user namespace: check within the namespace's full sets passes" "0 " "$rc $err"
  run unshare --user --map-root-user "$CG" check --allow none
  expect "user namespace: check --allow none refuses" "1" "$rc"
  run unshare --user --map-root-user "$CG" exec --keep net_bind_service -- cat /proc/self/status
  expect "user namespace: exec drops to the list" \
    "CapInh:	0000000000000000 CapPrm:	0000000000000400 CapEff:	0000000000000400 CapBnd:	0000000000000400 CapAmb:	0000000000000000 " \
    "$(echo "$out" | grep ^Cap | tr '\n' ' ')"
  run unshare --user --map-root-user "$CG" exec --keep none --user 0:0 -- true
  expect "user namespace: setgroups is denied there, and exec says so" \
    "1 capguard: exec: setgroups: cannot set the groups: EPERM (errno 1); needs cap_setgid (in a user namespace, also setgroups allow)" "$rc $err"
else
  skip "user namespaces" "unshare --user is not permitted on this machine"
fi

# check's own sets unreadable (capget failing, injected by strace): exit 3,
# the call named, COMMAND never run.
if [ "$BACKEND" != linux ] || [ -n "${CAPGUARD_QEMU:-}" ]; then
  skip "check: its sets unreadable" "needs the Linux backend, and strace would fail qemu-user's calls, not capguard's"
else
  for cmd in "" "-- echo ran"; do
    # LeakSanitizer cannot run under ptrace; leaks are checked everywhere else.
    run env ASAN_OPTIONS=detect_leaks=0 strace -o /dev/null -e inject=capget:error=EPERM "$CG" check --allow all $cmd
    expect "check --allow all $cmd: capget failing: exit 3, named, nothing run" \
      '3 capguard: level=error event=capability_read_failed error="capget: cannot read the capability sets: EPERM (errno 1)"' \
      "$rc $out$err"
  done
  # Its own sets read, but not its groups, which COMMAND's prediction needs.
  run env ASAN_OPTIONS=detect_leaks=0 strace -o /dev/null -e inject=getgroups:error=EPERM "$CG" check --allow all -- echo ran
  expect "check -- COMMAND: getgroups failing: exit 3, named, nothing run" \
    "3 capguard: check: getgroups: cannot read the groups: EPERM (errno 1)" "$rc $out$err"
  run env ASAN_OPTIONS=detect_leaks=0 strace -o /dev/null -e inject=capget:error=EPERM "$CG" show --exec /bin/true
  expect "show --exec: capget failing: exit 3, named" \
    "3 capguard: show --exec: capget: cannot read the capability sets: EPERM (errno 1)" "$rc $out$err"
fi

# /proc unmounted in a private mount namespace: early init.
if [ "${CAPGUARD_SANITIZE:-none}" != none ]; then
  skip "capguard without /proc" "the sanitizer runtime itself needs /proc; the plain and static builds run this"
  done_testing
fi
mount_ns "capguard without /proc"
want=$(setpriv --bounding-set=-all,+chown,+kill -- cat /proc/self/status | proc_caps /dev/stdin)
run unshare -m --propagation private sh -c "umount -l /proc && ! test -e /proc/self && setpriv --bounding-set=-all,+chown,+kill -- $CG show --json"
expect "without /proc: show reads the sets from the kernel" "$want" "$(echo "$out" | json_caps)" "$err"
if [ -n "${CAPGUARD_QEMU:-}" ]; then
  skip "without /proc: check within passes" "qemu-user before 8.0 has no execveat, and without /proc capguard runs no file by its path"
else
  run unshare -m --propagation private sh -c "umount -l /proc && setpriv --bounding-set=-all,+chown,+kill -- $CG check --allow chown,kill --sets all -- true"
  expect "without /proc: check within passes" "0 " "$rc $err"
fi
run unshare -m --propagation private sh -c "umount -l /proc && setpriv --bounding-set=-all,+chown,+kill -- $CG check --allow chown --sets bounding"
expect "without /proc: check outside refuses" "1 set=bounding cap=cap_kill bit=5" "$rc $(echo "$err" | grep -o 'set=[a-z]* cap=[a-z_0-9]* bit=[0-9]*')"
run unshare -m --propagation private sh -c "umount -l /proc && $CG list | wc -l"
expect "without /proc: list probes the kernel" "0 $((max + 1))" "$rc $out"
# A directory where /etc/passwd should be: the file and errno are named.
run unshare -m --propagation private sh -c "mount -t tmpfs none /etc && mkdir /etc/passwd && $CG exec --keep none --user nobody -- true"
expect "a directory at /etc/passwd: named, with EISDIR, exit 1" \
  "1 capguard: exec: --user nobody: /etc/passwd: cannot read: EISDIR (errno 21)" "$rc $err"
run unshare -m --propagation private sh -c "umount -l /proc && $CG show 1"
expect "without /proc: show PID fails with exit 3" "3" "$rc"
# A /proc that lies: show fails with exit 3, never shows a guess; check asks
# the kernel and is not fooled.
run unshare -m --propagation private sh -c "mount -t tmpfs none /proc && mkdir /proc/thread-self && printf 'CapInh:\tzz\n' >/proc/thread-self/status && $CG show"
expect "garbage status: show fails" \
  '3 capguard: show: /proc/thread-self/status: value is not hex (inheritable)' "$rc $err"
# show_over NAME SED_EDIT WANT: show, with a /proc/self/status that
# SED_EDIT makes of the real one (a tmpfs over /proc, in a private mount
# namespace).
show_over() {
  sed "$2" /proc/self/status >/tmp/capguard-cli-status.$$
  run unshare -m --propagation private sh -c "mount -t tmpfs none /proc && mkdir /proc/self && cp /tmp/capguard-cli-status.$$ /proc/self/status && $CG show"
  expect "$1" "$3" "$rc $out$err"
}
# A kernel before 4.3 writes no CapAmb line: show asks the kernel instead.
show_over "no CapAmb line: show falls back to the kernel's answer" '/^CapAmb:/d' "0 $("$CG" show)"
# Only that: another line missing, or a CapAmb line that is not hex, is an
# error, never a fallback.
show_over "no CapBnd line: show fails, exit 3" '/^CapBnd:/d' "3 capguard: show: /proc/self/status: line missing (bounding)"
show_over "a CapAmb line not hex: show fails, exit 3" 's/^CapAmb:.*/CapAmb:\tzz/' \
  "3 capguard: show: /proc/self/status: value is not hex (ambient)"
rm -f /tmp/capguard-cli-status.$$
run unshare -m --propagation private sh -c "mount -t tmpfs none /proc && mkdir /proc/thread-self && printf 'CapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n' >/proc/thread-self/status && $CG check --allow none"
expect "a /proc claiming no capabilities does not fool check" "1" "$rc"

done_testing
