#!/bin/bash
# What a program will hold after execve, with the kernel as the oracle (TAP).
# For each caller state (built with setpriv) and each target file (a copy of
# cat, given set-id bits with chmod or file capabilities with setcap), the
# prediction of `capguard show --exec --json` is compared with what the
# copy, really executed from the same state, prints of /proc/self/status:
# the five sets and the effective uid and gid, or the exec failure.
# usage: exec_rules_test.sh CAPGUARD
set -u
CG=$(realpath "$1")
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

root_states "execve rules against the kernel"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

# The target files. Bit 0 (cap_chown) and the kernel's last capability are
# among the ones granted, next to a middle one.
last=$(cat /proc/sys/kernel/cap_last_cap)
target() {  # NAME then chmod/chown/setcap steps on it
  local f=$work/$1
  cp /bin/cat "$f"
  shift
  for step in "$@"; do eval "${step//@/$f}" || exit 1; done
}
target plain
target setuid-root 'chmod 4755 @'
target setuid-1000 'chown 1000 @' 'chmod 4755 @'
target setgid-1000 'chgrp 1000 @' 'chmod 2755 @'
target setgid-no-gx 'chgrp 1000 @' 'chmod 2745 @'
target fcap-p 'setcap cap_net_raw+p @'
target fcap-ep "setcap cap_chown,cap_net_raw,$last+ep @"
target fcap-i 'setcap cap_net_raw,cap_chown+i @'
target fcap-ei 'setcap cap_net_raw,cap_chown+ei @'
target fcap-v3 'setcap -n 1000 cap_net_raw+ep @'
target fcap-setuid-root 'setcap cap_net_raw+p @' 'chmod 4755 @'
# A script runs with its interpreter's credentials, not its own.
printf '#!%s\n' "$work/fcap-ep" >"$work/script" && chmod 4755 "$work/script"

# The caller states: setpriv options, run as root.
states=(
  'root|'
  'root, bounding without cap_net_raw and cap_chown|--bounding-set -net_raw,-chown'
  'uid 1000|--reuid 1000 --regid 1000 --clear-groups'
  'uid 1000, ambient cap_net_raw,cap_chown|--reuid 1000 --regid 1000 --clear-groups --inh-caps +net_raw,+chown --ambient-caps +net_raw,+chown'
  'uid 1000, inheritable cap_net_raw|--reuid 1000 --regid 1000 --clear-groups --inh-caps +net_raw'
  'uid 1000, gid 1001, group 1000, ambient cap_net_raw|--reuid 1000 --regid 1001 --groups 1000 --inh-caps +net_raw --ambient-caps +net_raw'
  'root, no_new_privs|--no-new-privs'
  'uid 1000, no_new_privs|--reuid 1000 --regid 1000 --clear-groups --no-new-privs'
  'root, SECBIT_NOROOT|--securebits +noroot'
  'euid 1000, real uid 0|--euid 1000'
  'real uid 1000, euid 0|--ruid 1000'
  'real uid 1000, euid 2000, ambient cap_net_raw|--ruid 1000 --euid 2000 --rgid 1000 --egid 1000 --clear-groups --inh-caps +net_raw --ambient-caps +net_raw'
  'euid 1000, real uid 0, no_new_privs|--euid 1000 --no-new-privs'
)

# "inh prm eff bnd amb uid gid", or "exit: <why>".
predicted() {
  local json
  if json=$(setpriv $1 -- "$CG" show --exec "$2" --json 2>&1); then
    for k in inheritable permitted effective bounding ambient; do
      printf '%s ' "$(grep -o "\"$k\":\"[0-9a-f]*\"" <<<"$json" | cut -d'"' -f4)"
    done
    printf '%s %s' "$(grep -o '"uid":[0-9]*' <<<"$json" | cut -d: -f2)" "$(grep -o '"gid":[0-9]*' <<<"$json" | cut -d: -f2)"
  else
    grep -o 'E[A-Z]* (errno' <<<"$json" | sed 's/^/exit: /; s/ (errno//' || echo "exit: $json"
  fi
}
real() {
  local status
  if status=$(setpriv $1 -- env "$2" /proc/self/status 2>&1); then
    for k in CapInh CapPrm CapEff CapBnd CapAmb; do printf '%s ' "$(grep "^$k:" <<<"$status" | cut -f2)"; done
    printf '%s %s' "$(grep ^Uid: <<<"$status" | cut -f3)" "$(grep ^Gid: <<<"$status" | cut -f3)"
  else
    case $status in
      *'Operation not permitted') echo "exit: EPERM" ;;
      *'Permission denied') echo "exit: EACCES" ;;
      *) echo "exit: $status" ;;
    esac
  fi
}

for state in "${states[@]}"; do
  name=${state%%|*} opts=${state#*|}
  # A state setpriv cannot build would make both sides print its error.
  setpriv $opts -- true || { not_ok "$name: setpriv builds the state" "setpriv $opts"; continue; }
  for f in plain setuid-root setuid-1000 setgid-1000 setgid-no-gx fcap-p fcap-ep fcap-i fcap-ei fcap-v3 \
    fcap-setuid-root script; do
    want=$(real "$opts" "$work/$f")
    # Under qemu-user, whose own thread keeps any process out of a new user
    # namespace, capguard cannot ask whether rootid 1000 counts, and refuses.
    [ -n "${CAPGUARD_QEMU:-}" ] && [ "$f" = fcap-v3 ] && want="exit: EINVAL"
    expect "$name: $f" "$want" "$(predicted "$opts" "$work/$f")"
  done
done

# A nosuid mount ignores set-id bits and file capabilities: the same cells
# over copies on one, in a private mount namespace.
mkdir "$work/mnt"
export CG
cells=0
while IFS='|' read -r name want got; do
  expect "nosuid mount, $name" "$want" "$got"
  cells=$((cells + 1))
done < <(unshare -m --propagation private bash -c "$(declare -f predicted real)"'
  mount -t tmpfs -o nosuid,mode=755 none "$1" && cd "$2" && cp -a setuid-root setgid-1000 fcap-p fcap-ep "$1"/ || exit 1
  for opts in "" "--reuid 1000 --regid 1000 --clear-groups"; do
    for f in setuid-root setgid-1000 fcap-p fcap-ep; do
      echo "${opts:-root}: $f|$(real "$opts" "$1/$f")|$(predicted "$opts" "$1/$f")"
    done
  done' - "$work/mnt" "$work")
expect "nosuid mount: every cell ran" 8 "$cells"

# In a user namespace whose root is this one's (unshare -r): a revision 3
# value for rootid 1000 belongs to no namespace from there up, so getxattr
# refuses to show it and execve ignores it; the others count as here.
cells=0
while IFS='|' read -r name want got; do
  expect "user namespace, $name" "$want" "$got"
  cells=$((cells + 1))
done < <(unshare -U -r bash -c "$(declare -f predicted real)"'
  for f in fcap-v3 fcap-ep setuid-root plain; do echo "root: $f|$(real "" "$1/$f")|$(predicted "" "$1/$f")"; done' - "$work")
expect "user namespace: every cell ran" 4 "$cells"

# A script runs with the words fs/binfmt_script.c splits its "#!" line into:
# each line below heads a script whose interpreter, a script too, prints
# what it was given. Run by execve(2) itself (python's os.execv: shells and
# execvp(3) run a script the kernel refuses through /bin/sh instead) and
# through capguard, which runs the last interpreter by its descriptor with
# the words it builds: both print the same, or fail with the same errno.
execv() {  # PATH ARG...: what the program prints, or the errno's name
  python3 -c 'import errno, os, sys
try: os.execv(sys.argv[1], sys.argv[1:])
except OSError as e: print(errno.errorcode[e.errno])' "$@" 2>&1
}
through() { "$CG" check --allow all -- "$@" 2>&1 | sed -E 's/^capguard: .* (E[A-Z]+) \(errno [0-9]+\)$/\1/'; }
mkdir "$work/argv" && cd "$work/argv" || exit 1
printf '#!/bin/sh\nprintf "[%%s]" "$0" "$@"\n' >show && chmod 755 show && cp show s
long=$(printf 'x%.0s' $(seq 300))
lines=(
  '#!./show\n' '#!./show one\n' '#!./show  one two  \n' '#! \t./show\targ\t\n' '#!./show' '#!./show arg'
  "#!./show $long\n" '#!./show \0after\n' '#!./show\0x\n' '#!\n' '#!   \n' '#!' "#!/$long\n"
  "#!./show${long:0:246}" "#!./show${long:0:248}" "#!./show ${long:0:246}" '#!./missing arg\n'
  '#!./show  ' '#!./show \0  \n' '#!\0./show\n' '#! \t\0\n' '#!./show\r\n' '#!show\n' "#!./show${long//x/ }x\n"
  "#! ./show$long" "#!s $long"
)
for line in "${lines[@]}"; do
  printf "$line" >script && chmod 755 script
  expect "#! words: $(printf '%q' "$line")" "$(execv ./script 'a b')" "$(through ./script 'a b')"
done
# Five scripts in a chain are the kernel's limit, a sixth fails (ELOOP):
# s4 .. s1 and show, whose interpreter is /bin/sh.
printf '#!%s/show\n' "$PWD" >s1 && chmod 755 s1
for i in 2 3 4 5; do printf '#!%s/s%d x%d\n' "$PWD" $((i - 1)) $i >s$i && chmod 755 s$i; done
# capguard puts the words the "#!" lines add in the slots of its own
# arguments before COMMAND: five here, enough for s2's chain (four words:
# s1 x2, show, /bin/sh), not for s3's (six), which it refuses rather than
# run another way; the kernel runs both.
expect "#! chain of three scripts: the words of every line" "$(execv ./s2 y)" "$(through ./s2 y)"
expect "#! chain of three scripts in exactly the room its words need (--allow=all: four slots)" "$(execv ./s2 y)" \
  "$("$CG" check --allow=all -- ./s2 y 2>&1)"
expect "#! chain of four scripts: more words than room" \
  "capguard: check: /bin/sh: more #! words than capguard has room for 126" "$("$CG" check --allow all -- ./s3 2>&1) $?"
expect "#! chain of five scripts: the kernel runs it" "[$PWD/show][$PWD/s1][x2][$PWD/s2][x3][$PWD/s3][x4][./s4][y]" "$(execv ./s4 y)"
expect "#! chain of six scripts: ELOOP" "ELOOP" "$(execv ./s5 y)"
expect "#! chain of six scripts: refused, naming the sixth" \
  "capguard: check: ./s5: $PWD/show: cannot execute command: ELOOP (errno 40) 126" "$("$CG" check --allow all -- ./s5 2>&1) $?"
cd / || exit 1
done_testing
