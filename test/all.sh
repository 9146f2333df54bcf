#!/bin/bash
# Every test, in every build that ships or checks: the plain build (with its
# benchmarks run once, briefly, and static analysis), the same under
# ASan+UBSan, the stub backend (what other systems get), the static musl
# binary, and the libFuzzer targets under clang for a bounded time. Each
# build directory is made afresh. Exits non-zero when anything fails.
set -u
cd "$(dirname "$0")/.."
builds=(
  "build||"
  "build-asan|-Db_sanitize=address,undefined -Db_lundef=false|"
  "build-stub|-Dcaps_backend=stub|"
  "build-static|--native-file .ci/musl.ini|"
  "build-fuzz|-Dfuzz=true -Dtests=disabled -Db_sanitize=address,undefined -Db_lundef=false|--suite fuzz"
)
passed=0 failed=0
count() {  # the Ok and failure lines of a meson test log
  passed=$((passed + $(awk '/^Ok:/ { n += $2 } END { print n + 0 }' "$1")))
  failed=$((failed + $(awk '/^(Fail|Timeout|Unexpected Pass):/ { n += $NF } END { print n + 0 }' "$1")))
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
  count "/tmp/capguard-$dir-test.log"
  if [ "$dir" = build ]; then
    meson test -C build --benchmark --test-args=--benchmark_min_time=0.001 --print-errorlogs | tee /tmp/capguard-bench.log
    count /tmp/capguard-bench.log
    if test/lint.sh build; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
