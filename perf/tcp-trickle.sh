#!/usr/bin/env bash
# New TCP queries while slow clients trickle (one byte every 4 s) at namud's default TCP limits:
# starts namud (dns-server/target/namud.jar, built by mvn package) on a free loopback port, runs
# perf/TcpTrickle.java against it, stops namud. Usage: perf/tcp-trickle.sh [COUNT [SOURCES [SECONDS]]]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000} sources=${2:-40} seconds=${3:-30}
jar=dns-server/target/namud.jar
[ -f "$jar" ] || { echo "tcp-trickle: $jar missing; build it with mvn -B -DskipTests package" >&2; exit 1; }
ulimit -n $((count + 1024)) 2>/dev/null || { echo "tcp-trickle: cannot raise the open files limit to $((count + 1024))" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
java -jar "$jar" --listen "127.0.0.1:$port" --no-api --no-recursion --data "$data" --log-level WARN &
namud=$!
trap 'kill "$namud" 2>/dev/null; wait "$namud" 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  dig +short +time=1 +tries=1 @127.0.0.1 -p "$port" nas.home.lan >/dev/null 2>&1 && break
  sleep 0.1
done
java perf/TcpTrickle.java "$port" "$count" "$sources" "$seconds"
