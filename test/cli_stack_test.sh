#!/bin/bash
# Every command under `ulimit -s 32` (TAP): a 32 KiB stack, of which the
# kernel's randomization of the stack top takes up to 8 KiB
# (arch_align_stack()) and the arguments, environment and auxiliary vector
# some more, so capguard must do with under 16 KiB. Each command must exit
# and print exactly as it does without a limit.
# usage: cli_stack_test.sh CAPGUARD
set -u
CG=$(realpath "$1")
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

[ "$(id -u)" != 0 ] && { skip "every command under ulimit -s 32" "needs root for exec and file capabilities"; done_testing; }
[ "${CAPGUARD_SANITIZE:-none}" != none ] &&
  { skip "every command under ulimit -s 32" "a sanitizer's frames are larger; the plain and static builds run this"; done_testing; }
[ -n "${CAPGUARD_QEMU:-}" ] &&
  { skip "every command under ulimit -s 32" "under qemu-user the stack is qemu's, not capguard's"; done_testing; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp /bin/true "$work/ep" && setcap cap_net_raw+ep "$work/ep"
deep=$work/$(printf 'd/%.0s' $(seq 256))  # as deep as scan walks
mkdir -p "$deep" && cp /bin/true "$deep/suid" && chmod 4755 "$deep/suid"

# small STATUS ARG...: capguard ARG... under ulimit -s 32 exits STATUS and
# prints (stdout and stderr) what it prints without a limit.
small() {
  local status=$1 want got
  shift
  want=$("$CG" "$@" 2>&1; echo "exit $?")
  got=$(bash -c 'ulimit -s 32 && exec "$@"' - "$CG" "$@" 2>&1; echo "exit $?")
  expect "$* under ulimit -s 32" "exit $status"$'\n'"$want" "${want##*$'\n'}"$'\n'"$got"
}

small 0 --help
small 0 show
small 0 show 1
small 0 show 1 --json
small 0 check --allow all
small 1 check --allow none
small 0 show --exec "$work/ep"
small 0 check --allow all -- /bin/true
small 0 exec --keep net_raw --dry-run -- "$work/ep"
small 0 exec --keep none -- /bin/true
small 0 exec --keep none --user 1000:1000 -- /usr/bin/id -u
small 7 exec --init --keep none --user 1000:1000 -- sh -c 'id -u; exit 7'
small 0 check --init --allow all -- /bin/true
small 0 file "$work/ep" /bin/true
small 0 file --json "$work/ep"
small 0 scan /usr/bin
small 1 scan --json --allow none "$work"
small 3 scan "$work/nonexistent"
small 0 decode ffffffffffffffff
small 0 list
small 2 bogus

done_testing
