#!/bin/bash
# Every test, in every build that ships: the plain build, the same under
# ASan+UBSan, the stub backend (what other systems get), and the static musl
# binary. Each build directory is made afresh. Exits non-zero when any fails.
set -u
cd "$(dirname "$0")/.."
builds=(
  "build"
  "build-asan -Db_sanitize=address,undefined -Db_lundef=false"
  "build-stub -Dcaps_backend=stub"
  "build-static --native-file .ci/musl.ini"
)
passed=0 failed=0
for b in "${builds[@]}"; do
  dir=${b%% *}
  echo "=== $b"
  rm -rf "$dir"
  if ! meson setup $b >"/tmp/capguard-$dir-setup.log" 2>&1 || ! meson compile -C "$dir"; then
    cat "/tmp/capguard-$dir-setup.log"
    failed=$((failed + 1))
    continue
  fi
  meson test -C "$dir" --print-errorlogs | tee "/tmp/capguard-$dir-test.log"
  # The benchmarks run once, briefly, to show they work; test/perf.sh measures.
  [ "$dir" = build ] && meson test -C "$dir" --benchmark --test-args=--benchmark_min_time=0.001 \
    --print-errorlogs | tee -a "/tmp/capguard-$dir-test.log"
  passed=$((passed + $(awk '/^Ok:/ { n += $2 } END { print n + 0 }' "/tmp/capguard-$dir-test.log")))
  failed=$((failed + $(awk '/^(Fail|Timeout|Unexpected Pass):/ { n += $NF } END { print n + 0 }' "/tmp/capguard-$dir-test.log")))
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
