#!/usr/bin/env bash
# DNS over TLS load: namud beside Unbound's DoT in the same invocation, both answering one name from
# memory (namud its built-in zone home.lan, Unbound the same record as local-data, no recursion), so
# the figure is the cost of TLS, framing and the answer path. dnsperf -m dot drives each in turn;
# runs alternate namud, unbound, namud, ...; medians of the runs and namud's ratio to Unbound.
#
# usage: perf/dot-bench.sh [-r RUNS] [-l SECS] [-w SECS] [-c CLIENTS] [-t THREADS] [-j JAVA]
#   -r RUNS     measured runs per server (5)   -l SECS  seconds per run (8)
#   -w SECS     warm-up of each server before the measured runs (15; namud's JIT needs it)
#   -c CLIENTS  dnsperf clients = TLS connections (10)
#   -t THREADS  server threads, namud --threads and Unbound num-threads (2)
#   -j JAVA     java binary for namud (java on PATH)
# Run it under the shared lock: flock /tmp/namu-bench.lock perf/dot-bench.sh
# Needs openssl, unbound and dnsperf with -m dot (2.9+). Loopback only; every run is bounded.
set -euo pipefail

RUNS=5 DUR=8 WARM=15 CLIENTS=10 THREADS=2 JAVA_BIN=java
while getopts "r:l:w:c:t:j:h" o; do
  case $o in
    r) RUNS=$OPTARG ;; l) DUR=$OPTARG ;; w) WARM=$OPTARG ;; c) CLIENTS=$OPTARG ;; t) THREADS=$OPTARG ;; j) JAVA_BIN=$OPTARG ;;
    *) sed -n '2,15p' "$0"; exit 2 ;;
  esac
done
REPO=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "dot-bench.sh: $*" >&2; exit 1; }
for t in openssl unbound dnsperf; do command -v $t >/dev/null || die "$t is not installed"; done
dnsperf -h 2>&1 | grep -q 'udp, tcp, dot' || die "this dnsperf has no -m dot (2.9 or newer needed)"

JAR=$REPO/dns-server/target/namud.jar
if [ ! -f "$JAR" ] || [ -n "$(find "$REPO/dns-server/src/main" -newer "$JAR" -type f | head -1)" ]; then
  (cd "$REPO" && mvn -B -q -o -pl dns-server -am package -DskipTests) >&2 || die "namud build failed"
fi

S=$(mktemp -d /tmp/dot-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$S"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$S/key.pem" -out "$S/cert.pem" \
  -days 2 -subj /CN=bench.test -addext subjectAltName=IP:127.0.0.1 2>/dev/null
echo "nas.home.lan A" > "$S/queries"

# wait-dot PORT: until a DoT query is answered, at most 30 s
wait_dot() {
  for _ in $(seq 60); do
    dnsperf -m dot -s 127.0.0.1 -p "$1" -d "$S/queries" -n 1 -c 1 >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

NAMUD_PORT=$(free_port) NAMUD_DOT=$(free_port)
"$JAVA_BIN" -jar "$JAR" --listen "127.0.0.1:$NAMUD_PORT" --listen-tls "127.0.0.1:$NAMUD_DOT" \
  --tls-cert "$S/cert.pem" --tls-key "$S/key.pem" --threads "$THREADS" --no-api --no-metrics --no-recursion \
  --rrl-rate 0 --data "$S/data" --log-level WARN >"$S/namud.log" 2>&1 &
PIDS+=($!)

UB_DOT=$(free_port)
cat > "$S/unbound.conf" <<CONF
server:
  interface: 127.0.0.1@$UB_DOT
  tls-port: $UB_DOT
  tls-service-key: "$S/key.pem"
  tls-service-pem: "$S/cert.pem"
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$S"
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 0
  num-threads: $THREADS
  incoming-num-tcp: 1000
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  local-zone: "home.lan." static
  local-data: "nas.home.lan. 3600 IN A 192.168.0.12"
remote-control:
  control-enable: no
CONF
unbound -d -c "$S/unbound.conf" >"$S/unbound.log" 2>&1 &
PIDS+=($!)

wait_dot "$NAMUD_DOT" || { cat "$S/namud.log" >&2; die "namud does not answer over DoT"; }
wait_dot "$UB_DOT" || { cat "$S/unbound.log" >&2; die "unbound does not answer over DoT"; }

# run PORT [SECS]: one bounded dnsperf DoT run, prints its QPS and lost queries
run() {
  local out
  out=$(dnsperf -m dot -s 127.0.0.1 -p "$1" -d "$S/queries" -c "$CLIENTS" -l "${2:-$DUR}" -q 200 2>&1)
  local qps lost
  qps=$(awk '/Queries per second:/ {print $4}' <<<"$out")
  lost=$(awk '/Queries lost:/ {print $3}' <<<"$out")
  [ -n "$qps" ] || { echo "$out" >&2; die "dnsperf gave no QPS"; }
  echo "$qps $lost"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# warm-up: namud's JIT, both servers' session caches
run "$NAMUD_DOT" "$WARM" >/dev/null; run "$UB_DOT" "$WARM" >/dev/null
echo "run server qps lost"
: > "$S/rows"
for i in $(seq "$RUNS"); do
  read -r q l <<<"$(run "$NAMUD_DOT")"; echo "$i namud $q $l" | tee -a "$S/rows"
  read -r q l <<<"$(run "$UB_DOT")"; echo "$i unbound $q $l" | tee -a "$S/rows"
done
N=$(awk '$2=="namud" {print $3}' "$S/rows" | median)
U=$(awk '$2=="unbound" {print $3}' "$S/rows" | median)
echo
echo "DoT, $CLIENTS connections, $THREADS server threads, $RUNS x ${DUR}s runs, medians: namud $N qps, unbound $U qps, ratio namud/unbound $(awk -v n="$N" -v u="$U" 'BEGIN {printf "%.2f", n/u}')"
