#!/usr/bin/env bash
# CPU time per query of each of namud's threads at a fixed query rate: a figure that holds still on a
# shared machine where peak QPS does not (it moves with the scheduler, not with the code).
#   usage: perf/cpu-per-thread.sh [-r RATE] [-- NAMUD_FLAGS...]
#   e.g.   perf/cpu-per-thread.sh -r 50000 -- --query-log {dir}/query.log
# namud (authoritative, the 100k-host bench zone) runs on CPU 0, dnsperf on CPU 1 at RATE queries a
# second (default 50000) for 10 s after an 8 s warm-up; each thread's CPU (utime+stime from
# /proc/PID/task/*/stat) is divided by the queries completed. {dir} in a flag is namud's scratch
# directory. Needs the bench data perf/bench.sh makes (/tmp/namu-bench-data). Loopback only.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
JAR=$REPO/dns-server/target/namud.jar
DATA=/tmp/namu-bench-data
RATE=50000
PORT=15391
while getopts "r:p:" o; do
  case $o in r) RATE=$OPTARG ;; p) PORT=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
[ -f "$JAR" ] || { echo "cpu-per-thread.sh: build namud first (mvn -B -DskipTests package)" >&2; exit 1; }
[ -f "$DATA/queries.txt" ] || { echo "cpu-per-thread.sh: run perf/bench.sh once to make $DATA" >&2; exit 1; }
D=$(mktemp -d /tmp/namu-cpu.XXXX)
mkdir -p "$D/zones" "$D/data"
ln -s "$DATA/bench.test.zone" "$D/zones/bench.test.zone"
# rate limiting off, as perf/bench.sh runs namud, unless the flags set it
FLAGS=()
case " $* " in *" --rrl-rate"*) ;; *) FLAGS+=(--rrl-rate 0) ;; esac
for f in "$@"; do FLAGS+=("${f//\{dir\}/$D}"); done
taskset -c 0 java -Xms256m -Xmx444m -XX:+UseG1GC -jar "$JAR" --no-api --no-recursion --no-metrics \
  --data "$D/data" --listen "127.0.0.1:$PORT" --zones "$D/zones" "${FLAGS[@]}" >"$D/namud.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$D"' EXIT
for _ in $(seq 120); do dig +short +time=1 +tries=1 -p "$PORT" @127.0.0.1 h000001.bench.test A >/dev/null 2>&1 && break; sleep 0.25; done
perf() { taskset -c 1 dnsperf -s 127.0.0.1 -p "$PORT" -d "$DATA/queries.txt" -l "$1" -Q "$RATE" -c 8 -T 2 2>&1; }
perf 8 >/dev/null
snap() {
  for t in /proc/$PID/task/*; do echo "$(tr ' ' _ <"$t/comm") $(awk '{print $14+$15}' "$t/stat")"; done |
    awk '{s[$1]+=$2} END {for (k in s) print k, s[k]}' | sort
}
snap >"$D/t0"
N=$(perf 10 | awk '/Queries completed/{print $3}')
snap >"$D/t1"
echo "namud $* at $RATE qps: $N queries completed"
join "$D/t0" "$D/t1" | awk -v n="$N" -v hz="$(getconf CLK_TCK)" '
  { d = $3 - $2; if (d > 0) printf "  %-22s %6.2f µs/query\n", $1, d * 1e6 / hz / n; t += d }
  END { printf "  %-22s %6.2f µs/query\n", "all threads", t * 1e6 / hz / n }'
