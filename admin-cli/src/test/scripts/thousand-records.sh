#!/usr/bin/env bash
# Must-show for live editing: 1,000 `namuctl record add` calls, the same number of records in one
# `namuctl record batch`, then every record asked of namud with dig. Loopback, ephemeral ports only.
# Usage: admin-cli/src/test/scripts/thousand-records.sh [COUNT]   (after mvn package)
set -euo pipefail
cd "$(dirname "$0")/../../../.."
COUNT=${1:-1000}
NAMUD=dns-server/target/namud.jar
NAMUCTL=admin-cli/target/namuctl.jar
JAVA_OPTS=(-XX:TieredStopAtLevel=1 -Xshare:auto)
work=$(mktemp -d)
mkdir -p "$work/zones"
java -jar "$NAMUD" --listen 127.0.0.1:0 --api 127.0.0.1:0 --data "$work/data" --zones "$work/zones" >"$work/namud.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 300); do
  grep -q "admin API listening" "$work/namud.log" && grep -q "namud serving" "$work/namud.log" && break
  sleep 0.1
done
dns=$(grep -o 'namud serving .* on 127\.0\.0\.1:[0-9]*' "$work/namud.log" | grep -o '[0-9]*$')
api=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$work/namud.log" | head -1)
ctl() { java "${JAVA_OPTS[@]}" -jar "$NAMUCTL" "$@" --server "$api" --data "$work/data"; }
ctl zone create one.test >/dev/null
ctl zone create batch.test >/dev/null

start=$(date +%s.%N)
for i in $(seq 0 $((COUNT - 1))); do
  ctl record add one.test "h$i" A "10.2.$((i / 256)).$((i % 256))" >/dev/null
done
end=$(date +%s.%N)
echo "namuctl record add x $COUNT: $(echo "$end - $start" | bc) s"

for i in $(seq 0 $((COUNT - 1))); do echo "add h$i A 10.3.$((i / 256)).$((i % 256))"; done >"$work/batch.txt"
start=$(date +%s.%N)
ctl record batch batch.test "$work/batch.txt"
end=$(date +%s.%N)
echo "namuctl record batch of $COUNT (one process, JVM start included): $(echo "$end - $start" | bc) s"

for i in $(seq 0 $((COUNT - 1))); do echo "h$i.one.test. A"; echo "h$i.batch.test. A"; done >"$work/questions.txt"
answered=$(dig @127.0.0.1 -p "$dns" +norecurse +noall +answer +time=3 +tries=3 -f "$work/questions.txt" | grep -c $'\tA\t' || true)
echo "dig answered $answered of $((2 * COUNT)) names"
[ "$answered" -eq $((2 * COUNT)) ]
