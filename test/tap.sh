# TAP output for the shell tests, sourced by them: ok, not_ok, skip, and
# done_testing, which prints the plan and exits non-zero if any check failed.
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
# not_ok NAME [DIAGNOSTIC...]: each diagnostic on a "# " line of its own.
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
done_testing() { echo "1..$n"; exit $((failed > 0)); }
