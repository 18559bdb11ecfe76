#!/usr/bin/env bash
# Reloads while dnsperf runs: namud (dns-server/target/namud.jar, built by mvn package) serves a
# zones directory of ~100k records (bench.test., one A per host) from a config file, on a free
# loopback port; dnsperf asks for random hosts at a fixed rate while, every few seconds, the zone
# file changes (serial and one record: the whole 100k-record zone is read again) and the config
# file changes (the recursion ACL, a second listen address added or removed), then a reload is
# asked, by SIGHUP or by the admin API in turn. Prints each reload's time and answer, then
# dnsperf's summary: "Queries lost" must be 0.
# Usage: perf/reload-under-load.sh [SECONDS [QPS [RELOAD_EVERY_SECONDS [HOSTS]]]]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60} qps=${2:-5000} every=${3:-4} hosts=${4:-100000}
jar=dns-server/target/namud.jar
[ -f "$jar" ] || { echo "reload-under-load: $jar missing; build it with mvn -B -DskipTests package" >&2; exit 1; }
command -v dnsperf >/dev/null || { echo "reload-under-load: dnsperf not installed" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port) port2=$(free_port) api=$(free_port) dead=$(free_port)
work=$(mktemp -d)
mkdir -p "$work/zones" "$work/data"

zone() { # zone SERIAL: writes bench.test.zone with that serial; www's address follows it
  python3 - "$work/zones/bench.test.zone" "$hosts" "$1" <<'EOF'
import sys
path, hosts, serial = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path + ".tmp", "w") as f:
    f.write("$ORIGIN bench.test.\n$TTL 3600\n")
    f.write(f"@ IN SOA ns hostmaster {serial} 3600 600 86400 60\n@ IN NS ns\nns IN A 192.0.2.53\n")
    f.write(f"www IN A 192.0.2.{serial % 250 + 1}\n")
    for i in range(hosts):
        f.write(f"h{i} IN A 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}\n")
import os; os.replace(path + ".tmp", path)
EOF
}
config() { # config N: the listen list and ACL of round N
  local listen="127.0.0.1:$port" allow="127.0.0.0/8"
  if [ $(($1 % 2)) = 1 ]; then listen="$listen, 127.0.0.2:$port2"; allow="127.0.0.0/8, 10.0.0.0/8"; fi
  cat > "$work/namud.yaml" <<EOF
listen: [$listen]
zones: $work/zones
data: $work/data
log-level: INFO
api: {listen: 127.0.0.1:$api}
recursion: {allow: [$allow], forward: ["127.0.0.1:$dead"]}  # never asked: every query is for bench.test.
EOF
}
python3 -c "
import random; random.seed(1)
print('\n'.join('h%d.bench.test A' % random.randrange($hosts) for _ in range(100000)))" > "$work/queries.txt"
zone 1
config 0
java -jar "$jar" --config "$work/namud.yaml" > "$work/namud.log" 2>&1 &
namud=$!
trap 'kill "$namud" 2>/dev/null; wait "$namud" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 600); do
  dig +short +time=1 +tries=1 @127.0.0.1 -p "$port" bench.test SOA 2>/dev/null | grep -q hostmaster && break
  sleep 0.2
done
for _ in $(seq 100); do [ -s "$work/data/api-token" ] && break; sleep 0.2; done
token=$(cat "$work/data/api-token")

dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -l "$seconds" -Q "$qps" -c 4 -t 5 > "$work/dnsperf.txt" 2>&1 &
perf=$!
round=1
sleep "$every"
while kill -0 "$perf" 2>/dev/null && [ $((round * every)) -lt $((seconds - every)) ]; do
  zone $((round + 1))
  config "$round"
  start=$(date +%s.%N)
  if [ $((round % 2)) = 1 ]; then
    kill -HUP "$namud"
    # SIGHUP answers nobody: wait for its line in the log
    until [ "$(grep -c 'reload: \(applied\|no setting\)' "$work/namud.log")" -ge "$round" ]; do sleep 0.05; done
    how="SIGHUP"; reply=$(grep 'reload: \(applied\|no setting\)' "$work/namud.log" | tail -1 | sed 's/.*reload: //')
  else
    how="API"; reply=$(curl -s -X POST -H "Authorization: Bearer $token" "http://127.0.0.1:$api/api/v1/reload" | tr -s '\n ' ' ')
  fi
  end=$(date +%s.%N)
  www=$(dig +short +time=2 +tries=1 @127.0.0.1 -p "$port" www.bench.test A)
  printf 'reload %d (%s): %.2f s, www.bench.test -> %s: %s\n' "$round" "$how" "$(echo "$end - $start" | bc)" "$www" "$reply"
  round=$((round + 1))
  sleep "$every"
done
wait "$perf" || true
grep -E 'Queries (sent|completed|lost)|Queries per second|Average Latency|Latency StdDev' "$work/dnsperf.txt"
grep -E 'Response codes' "$work/dnsperf.txt" || true
if grep -q 'reload refused\|ERROR' "$work/namud.log"; then grep 'reload refused\|ERROR' "$work/namud.log"; fi
