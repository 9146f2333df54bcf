#!/bin/bash
# Every test, in every build that ships or checks: the plain build (with its
# benchmarks run once, briefly, and static analysis), the same under
# ASan+UBSan, the stub backend (what other systems get), the static musl
# binary, the static aarch64 one under qemu-user, the unit and fault tests
# for aarch64 under qemu-user (glibc: musl has no C++ library for GoogleTest),
# and the libFuzzer targets under clang for a bounded time. Each build
# directory is made afresh. Exits non-zero when anything fails.
set -u
cd "$(dirname "$0")/.."
builds=(
  "build||"
  "build-asan|-Db_sanitize=address,undefined -Db_lundef=false|"
  "build-stub|-Dcaps_backend=stub|"
  "build-static|--native-file .ci/musl.ini|"
  "build-aarch64|--cross-file .ci/aarch64.ini|"
  "build-aarch64-unit|--cross-file .ci/aarch64-glibc.ini|unit fault"
  "build-fuzz|-Dfuzz=true -Dtests=disabled -Db_sanitize=address,undefined -Db_lundef=false|--suite fuzz"
)
# UBSan reports and carries on unless told: a report fails the test.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
passed=0 failed=0 skipped=0
# Counts the summary lines of a meson test log; a run that failed without
# them (meson itself broke, or found no test) counts as one failure.
count() {  # LOG EXIT_STATUS
  local ok fail skip
  ok=$(awk '/^Ok:/ { n += $2 } END { print n + 0 }' "$1")
  fail=$(awk '/^(Fail|Timeout|Unexpected Pass):/ { n += $NF } END { print n + 0 }' "$1")
  skip=$(awk '/^Skipped:/ { n += $2 } END { print n + 0 }' "$1")
  [ "$2" != 0 ] && [ "$fail" = 0 ] && fail=1
  [ "$ok" = 0 ] && [ "$fail" = 0 ] && fail=1
  passed=$((passed + ok)) failed=$((failed + fail)) skipped=$((skipped + skip))
}
for b in "${builds[@]}"; do
  IFS='|' read -r dir setup suite <<<"$b"
  echo "=== $dir $setup"
  rm -rf "$dir"
  compiler=()
  [ "$dir" = build-fuzz ] && compiler=(env CXX=clang++)
  if ! "${compiler[@]}" meson setup "$dir" $setup >"/tmp/capguard-$dir-setup.log" 2>&1 || ! meson compile -C "$dir"; then
    cat "/tmp/capguard-$dir-setup.log"
    failed=$((failed + 1))
    continue
  fi
  meson test -C "$dir" $suite --print-errorlogs | tee "/tmp/capguard-$dir-test.log"
  count "/tmp/capguard-$dir-test.log" "${PIPESTATUS[0]}"
  # The TAP checks inside the tests, and each one skipped, with its reason.
  log=$dir/meson-logs/testlog.txt
  echo "$dir: $(grep -c '^ok ' "$log") checks passed, of which $(grep -c '^ok .* # SKIP' "$log") skipped"
  grep '^ok .* # SKIP' "$log" | sed 's/^ok [0-9]* - /  skipped: /'
  # GoogleTest's cases, and each one skipped, with the line after its "Skipped".
  cases=$(grep -cE '^\[ +(OK|SKIPPED) \] [^ ]+ \([0-9]+ ms\)$' "$log")
  if [ "$cases" != 0 ]; then
    echo "$dir: $cases GoogleTest cases passed, of which $(grep -cE '^\[  SKIPPED \] [^ ]+ \(' "$log") skipped"
    awk '/: Skipped$/ { getline why } /^\[  SKIPPED \] [^ ]+ \(/ { print "  skipped: " $4 ": " why }' "$log"
  fi
  if [ "$dir" = build-aarch64-unit ]; then
    # What ran under qemu-user is aarch64 code, not the build machine's.
    if [ "$(file -b "$dir/test/unit_test" "$dir/test/fault_test" | grep -c 'ARM aarch64')" = 2 ]; then
      passed=$((passed + 1))
      echo "$dir: unit_test and fault_test are ARM aarch64"
    else
      failed=$((failed + 1))
      echo "$dir: not aarch64: $(file "$dir/test/unit_test" "$dir/test/fault_test")"
    fi
  fi
  if [ "$dir" = build-aarch64 ] || [ "$dir" = build-static ]; then
    # The release binary: static, no interpreter, stripped within its budget:
    # 48 KiB on x86_64 (40 until issue 16 bound the prediction to the file
    # that runs: 4 KB; 44 until issue 20's ps: 4.2 KB); on aarch64 3 KiB
    # more, what the same code measured larger there (musl's aarch64
    # start-up and string code, 4-byte instructions).
    arch="x86-64" strip=strip budget=49152
    [ "$dir" = build-aarch64 ] && arch="ARM aarch64" strip=aarch64-linux-gnu-strip budget=52224
    "$strip" -o "/tmp/capguard-$dir" "$dir/capguard"
    size=$(stat -c %s "/tmp/capguard-$dir")
    if file "$dir/capguard" | grep -q "$arch.*statically linked" && ! readelf -l "$dir/capguard" | grep -q INTERP &&
      [ "$size" -le "$budget" ]; then
      passed=$((passed + 1))
      echo "$dir: $arch, static, no interpreter; $size bytes stripped (budget $budget)"
    else
      failed=$((failed + 1))
      echo "$dir: not a static $arch binary of at most $budget bytes: $size bytes, $(file "$dir/capguard")"
    fi
  fi
  if [ "$dir" = build ]; then
    meson test -C build --benchmark --test-args=--benchmark_min_time=0.001 --print-errorlogs | tee /tmp/capguard-bench.log
    count /tmp/capguard-bench.log "${PIPESTATUS[0]}"
    if test/lint.sh build; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  fi
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
