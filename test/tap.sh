# TAP output for the shell tests, sourced by them: ok, not_ok, skip, expect,
# root_states, mount_ns, and done_testing, which prints the plan and exits non-zero if
# any check failed.
n=0 failed=0
# Outside systemd: under it the refusal's fix differs (tested where set on purpose).
unset INVOCATION_ID
ok() { n=$((n + 1)); echo "ok $n - $1"; }
# not_ok NAME [DIAGNOSTIC...]: each diagnostic on a "# " line of its own.
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
done_testing() { echo "1..$n"; exit $((failed > 0)); }
# expect NAME WANT GOT [DIAGNOSTIC...]: ok when GOT is WANT.
expect() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "want: $2" "got:  $3" "${@:4}"; fi; }
# root_states NAME: for the suites that build real privileged states, skips
# NAME and ends the test unless it runs as root and without a sanitizer,
# whose environment set-uid and file-capability copies drop.
root_states() {
  [ "$(id -u)" != 0 ] && { skip "$1" "needs root to build the states"; done_testing; }
  [ "${CAPGUARD_SANITIZE:-none}" != none ] &&
    { skip "$1" "set-uid and file-capability copies drop the sanitizer's environment; the plain and static builds run this"; done_testing; }
}
# mount_ns NAME: skips NAME and ends the test unless this process may make
# a mount namespace of its own.
mount_ns() {
  unshare -m true 2>/dev/null || { skip "$1" "unshare -m is not permitted here (no CAP_SYS_ADMIN)"; done_testing; }
}
