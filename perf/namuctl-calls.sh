#!/usr/bin/env bash
# Time per namuctl call, as scripts pay it: COUNT `namuctl record add` calls in a loop against a
# namud on loopback (ephemeral ports, a temporary data directory), RUNS times for each way of
# starting namuctl; prints the median time per call of each. Run after
# `mvn -B -q -pl dns-server,admin-cli -am package -DskipTests`.
# Ways: plain (java -jar admin-cli/target/namuctl.jar), launcher (admin-cli/src/main/scripts/namuctl),
# and with BEFORE_JAR=FILE, before (java -jar FILE: an older build, for a before/after in one run).
# Usage: [BEFORE_JAR=FILE] [WAYS="plain launcher"] perf/namuctl-calls.sh [COUNT [RUNS]]   (100 calls, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-100}
RUNS=${2:-3}
NAMUD=dns-server/target/namud.jar
JAR=admin-cli/target/namuctl.jar
LAUNCHER=admin-cli/src/main/scripts/namuctl
[ -s "$NAMUD" ] && [ -s "$JAR" ] || { echo "build first: mvn -B -q -pl dns-server,admin-cli -am package -DskipTests" >&2; exit 1; }
work=$(mktemp -d)
java -jar "$NAMUD" --listen 127.0.0.1:0 --api 127.0.0.1:0 --data "$work/data" --no-recursion >"$work/namud.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 300); do
  grep -q "admin API listening" "$work/namud.log" && break
  sleep 0.1
done
api=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/namud.log" | head -1)
[ -n "$api" ] || { echo "namud did not start:" >&2; cat "$work/namud.log" >&2; exit 1; }
export NAMU_SERVER=$api NAMU_TOKEN=$(cat "$work/data/api-token")
# the launcher keeps its class-data archive here, made by its first call
export NAMUCTL_CACHE=$work/cache

plain() { java -jar "$JAR" "$@"; }
launcher() { "$LAUNCHER" "$@"; }
before() { java -jar "$BEFORE_JAR" "$@"; }

# per call: wall time, and the CPU time namuctl's processes used (less moved by other load)
loop() {
  local way=$1 zone=$2 run=$3 i
  for i in $(seq "$COUNT"); do
    $way record add "$zone" "r$run-$i" A "192.0.2.$((i % 250 + 1))" >/dev/null
  done
}
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }

TIMEFORMAT='%R %U %S'
zone=0
for way in ${WAYS:-${BEFORE_JAR:+before} plain launcher}; do
  $way zone create "w$zone.test" >/dev/null   # also the launcher's first call, which writes its archive
  walls=() cpus=()
  for run in $(seq "$RUNS"); do
    read -r real user sys < <({ time loop "$way" "w$zone.test" "$run"; } 2>&1)
    walls+=("$(awk -v t="$real" -v n="$COUNT" 'BEGIN{printf "%d", t * 1000 / n}')")
    cpus+=("$(awk -v u="$user" -v s="$sys" -v n="$COUNT" 'BEGIN{printf "%d", (u + s) * 1000 / n}')")
  done
  printf '%-9s %d calls x %d runs: median %s ms wall, %s ms CPU per call (wall per run: %s; load %s)\n' "$way" "$COUNT" \
    "$RUNS" "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)" "${walls[*]}" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  zone=$((zone + 1))
done
