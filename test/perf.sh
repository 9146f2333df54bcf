#!/bin/bash
# capguard beside its peers and its floors, all measured in this one run:
# in-process costs (Google Benchmark medians), whole-process wall time
# (hyperfine medians), system calls per run (strace -c) and sizes.
# usage: test/perf.sh [BUILD] [STATIC_BUILD]   (as root, for exec and setpriv)
# With SU_EXEC_SRC=path/to/su-exec.c (its public source), su-exec joins,
# built static with musl as capguard is.
# needs: the benchmark built in BUILD (libbenchmark-dev, libcap-dev,
# libcap-ng-dev), the static capguard in STATIC_BUILD, hyperfine, strace,
# musl-tools, libcap2-bin, util-linux, libcap-ng-utils, python3; tini joins
# when installed.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build} static=${2:-build-static}
for tool in hyperfine strace musl-gcc getpcaps capsh setpriv pscap python3; do
  command -v $tool >/dev/null || { echo "perf.sh: $tool is missing" >&2; exit 2; }
done
[ -x "$build/test/capguard_bench" ] || { echo "perf.sh: no $build/test/capguard_bench (libbenchmark-dev)" >&2; exit 2; }
[ -x "$static/capguard" ] || { echo "perf.sh: no $static/capguard (meson setup $static --native-file .ci/musl.ini)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Medians over rounds, and each ratio as the median of its per-round ratios,
# checked against its target.
cat >"$tmp/report.py" <<'PY'
import statistics
def report(rounds, unit, checks):
    for name in rounds[0]:
        print(f"  {name:34s} {statistics.median(r[name] for r in rounds):10.0f} {unit}")
    print("  ratios:")
    for label, a, b, op, target in checks:
        if a not in rounds[0] or b not in rounds[0]:
            print(f"  {label:58s} n/a (not built)")
            continue
        r = statistics.median(x[a] / x[b] for x in rounds)
        ok = r <= target if op == "<=" else r >= target
        print(f"  {label:58s} {r:6.2f}x  target {op} {target}x  {'met' if ok else 'MISSED'}")
PY

echo "== in-process, median of 15 interleaved repetitions"
"$build/test/capguard_bench" --benchmark_repetitions=15 --benchmark_enable_random_interleaving=true \
  --benchmark_min_time=0.05 --benchmark_report_aggregates_only=true --benchmark_format=json >"$tmp/bench.json" 2>/dev/null
python3 - "$tmp/bench.json" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1].rsplit("/", 1)[0])
from report import report
med = {b["run_name"]: b["real_time"] for b in json.load(open(sys.argv[1]))["benchmarks"]
       if b.get("aggregate_name") == "median"}
report([med], "ns", [
    ("guard check / one raw capget", "Capguard_GuardCheck", "Floor_RawCapget", "<=", 2),
    ("libcap cap_get_proc+cap_get_flag (E,P) / guard check", "Libcap_GetProcGetFlag", "Capguard_GuardCheck", ">=", 10),
    ("libcap the same job (E,P and ambient) / guard check", "Libcap_GetProcGetFlagAmbient", "Capguard_GuardCheck", ">=", 10),
    ("libcap-ng capng_get_caps_process+have / guard check", "Libcapng_GetCapsHaveCapability", "Capguard_GuardCheck", ">=", 40),
    ("five-set read via /proc / bare open+read+close", "Capguard_ReadThreadProc", "Floor_OpenReadClose", "<=", 1.1),
])
PY

echo "== whole processes (static capguard): hyperfine, 21 rounds of 30 runs in shuffled order; medians over rounds"
musl-gcc -static -Os -o "$tmp/floor" test/floor.c
musl-gcc -static -Os -o "$tmp/init_floor" test/init_floor.c
musl-gcc -static -Os -o "$tmp/exec_floor" test/exec_floor.c
cg=$static/capguard
all=$(seq -s, 0 63)
declare -a names=() cmds=()
add() { names+=("$1"); cmds+=("$2"); }
add "floor (static capget+write)" "$tmp/floor"
add "capguard show" "$cg show"
add "capguard show PID" "$cg show $$"
add "getpcaps PID" "getpcaps $$"
add "capsh --print" "capsh --print"
add "setpriv -d" "setpriv -d"
add "/bin/true" "/bin/true"
add "capguard check -- /bin/true" "$cg check --allow $all -- /bin/true"
if [ "$(id -u)" = 0 ]; then
  cp /bin/true "$tmp/fcap" && setcap cap_net_raw+ep "$tmp/fcap"
  add "capguard file FILE" "$cg file $tmp/fcap"
  add "getcap FILE" "getcap $tmp/fcap"
  add "capguard show --exec FILE" "$cg show --exec $tmp/fcap"
  add "capguard exec -- /bin/true" "$cg exec --keep net_bind_service --user 1000:1000 -- /bin/true"
  add "setpriv (same drop) -- /bin/true" "setpriv --reuid=1000 --regid=1000 --clear-groups --bounding-set=-all,+net_bind_service --inh-caps=-all,+net_bind_service --ambient-caps=+net_bind_service -- /bin/true"
  add "capguard exec --user -- /bin/true" "$cg exec --keep none --user 1000:1000 -- /bin/true"
  add "exec floor (exec alone) -- /bin/true" "$tmp/exec_floor /bin/true"
  add "capguard exec --init --user -- /bin/true" "$cg exec --init --keep none --user 1000:1000 -- /bin/true"
  add "init floor (fork, exec, wait) -- /bin/true" "$tmp/init_floor /bin/true"
  command -v tini >/dev/null && add "tini -s -- /bin/true" "tini -s -- /bin/true"
  if [ -n "${SU_EXEC_SRC:-}" ]; then
    musl-gcc -static -Os -o "$tmp/su-exec" "$SU_EXEC_SRC"
    add "su-exec 1000:1000 /bin/true" "$tmp/su-exec 1000:1000 /bin/true"
  fi
fi
# The machine drifts: rounds, each timing every command in a new order, and
# ratios taken within a round before their median is, keep drift out.
for round in $(seq 21); do
  args=()
  for i in $(shuf -i 0-$((${#names[@]} - 1))); do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  hyperfine -N --warmup 5 --runs 30 --export-json "$tmp/hf$round.json" "${args[@]}" >/dev/null 2>&1
done
python3 - "$tmp"/hf*.json <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1].rsplit("/", 1)[0])
from report import report
rounds = [{r["command"]: r["median"] * 1e6 for r in json.load(open(f))["results"]} for f in sys.argv[1:]]
# What an init adds to starting /bin/true: capguard's --init over its exec
# alone, and the bare fork, exec and wait of the floor over /bin/true.
for r in rounds:
    if "capguard exec --init --user -- /bin/true" in r:
        r["added by capguard --init"] = r["capguard exec --init --user -- /bin/true"] - r["capguard exec --user -- /bin/true"]
        r["added by the init floor"] = r["init floor (fork, exec, wait) -- /bin/true"] - r["/bin/true"]
report(rounds, "us", [
    ("capguard show / floor", "capguard show", "floor (static capget+write)", "<=", 1.2),
    ("capguard exec --init / capguard exec (--user -- /bin/true)", "capguard exec --init --user -- /bin/true",
     "capguard exec --user -- /bin/true", "<=", 1.1),
    ("what --init adds / what the init floor adds", "added by capguard --init", "added by the init floor", "<=", 1.1),
    ("tini -s / capguard exec --init (both -- /bin/true)", "tini -s -- /bin/true",
     "capguard exec --init --user -- /bin/true", ">=", 1),
    ("getpcaps PID / capguard show PID", "getpcaps PID", "capguard show PID", ">=", 5),
    ("capsh --print / capguard show", "capsh --print", "capguard show", ">=", 1),
    ("setpriv -d / capguard show", "setpriv -d", "capguard show", ">=", 1),
    ("setpriv -- /bin/true / capguard exec -- /bin/true", "setpriv (same drop) -- /bin/true", "capguard exec -- /bin/true", ">=", 1),
    ("capguard exec --keep none --user / su-exec", "capguard exec --user -- /bin/true", "su-exec 1000:1000 /bin/true", "<=", 0.85),
    ("exec floor / su-exec (both -- /bin/true)", "exec floor (exec alone) -- /bin/true", "su-exec 1000:1000 /bin/true", "<=", 0.85),
    ("getcap FILE / capguard file FILE", "getcap FILE", "capguard file FILE", ">=", 1),
])
PY

echo "== a tree: /usr, 7 rounds of 3 runs; getcap -r also enters other mounts, capguard scan does not"
musl-gcc -static -Os -o "$tmp/scan_floor" test/scan_floor.c
for round in $(seq 7); do
  hyperfine -N --warmup 1 --runs 3 --export-json "$tmp/scan$round.json" -n "capguard scan /usr" "$cg scan /usr" \
    -n "getcap -r /usr" "getcap -r /usr" -n "scan floor /usr" "$tmp/scan_floor /usr" >/dev/null 2>&1
done
python3 - "$tmp"/scan*.json <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1].rsplit("/", 1)[0])
from report import report
rounds = [{r["command"]: r["median"] * 1e3 for r in json.load(open(f))["results"]} for f in sys.argv[1:]]
report(rounds, "ms", [("capguard scan / getcap -r", "capguard scan /usr", "getcap -r /usr", "<=", 0.75),
                      ("scan floor / getcap -r", "scan floor /usr", "getcap -r /usr", "<=", 0.75),
                      ("capguard scan / scan floor", "capguard scan /usr", "scan floor /usr", "<=", 1.1)])
PY

echo "== every process: /proc with 1,000 more sleeping processes, 7 rounds of 5 runs"
sleepers=()
for _ in $(seq 1000); do sleep 600 & sleepers+=($!); done
for round in $(seq 7); do
  hyperfine -N --warmup 1 --runs 5 --export-json "$tmp/ps$round.json" -n "capguard ps" "$cg ps" -n "pscap" "pscap" \
    >/dev/null 2>&1
done
kill "${sleepers[@]}"
python3 - "$tmp"/ps*.json <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1].rsplit("/", 1)[0])
from report import report
rounds = [{r["command"]: r["median"] * 1e3 for r in json.load(open(f))["results"]} for f in sys.argv[1:]]
report(rounds, "ms", [("capguard ps / pscap", "capguard ps", "pscap", "<=", 0.5)])
PY

echo "== system calls per run (strace -f -c, execve to exit)"
for i in "${!names[@]}"; do
  strace -f -c -o "$tmp/strace" ${cmds[$i]} >/dev/null 2>&1 || true
  printf '  %-34s %4s\n' "${names[$i]}" "$(awk '$NF == "total" { print $4 }' "$tmp/strace")"
done

# From capguard's own execve to the target's, exclusive.
strace -f -o "$tmp/trace" "$cg" exec --keep none --user 1000:1000 -- /bin/true
calls=$(awk 'NR > 1 && / execve(at)?\(/ { exit } NR > 1 { n++ } END { print n + 0 }' "$tmp/trace")
printf '  %-34s %4s  target <= 100: %s\n' "capguard exec, before /bin/true" "$calls" "$( ((calls <= 100)) && echo met || echo MISSED)"

echo "== sizes in bytes (stripped; peers with the shared libraries they load)"
strip -o "$tmp/capguard" "$cg"
printf '  %-34s %8s\n' "capguard (static, every command)" "$(stat -c %s "$tmp/capguard")"
printf '  %-34s %8s\n' "floor (static)" "$(strip -o "$tmp/f" "$tmp/floor" && stat -c %s "$tmp/f")"
for peer in getpcaps capsh setpriv; do
  bin=$(command -v $peer)
  libs=$(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
  total=$(stat -L -c %s "$bin" $libs | awk '{ s += $1 } END { print s }')
  printf '  %-34s %8s  (%s alone, with %s)\n' "$peer" "$total" "$(stat -L -c %s "$bin")" "$(echo $libs | xargs -n1 basename | tr '\n' ' ')"
done
text=$(size -A "$static"/libcapguard.a.p/*.o | awk '$1 ~ /^\.text/ { s += $2 } END { print s }')
printf '  %-34s %8s  target <= 12288\n' "library .text (static build)" "$text"
