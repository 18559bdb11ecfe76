#!/usr/bin/env bash
# AXFR of a 1M-record zone from namud and from knotd in the same run: the wall time of
# `kdig axfr` (records counted), and each server's memory before and during the transfer:
# namud's used heap (jcmd GC.heap_info, after a full GC before; the peak sampled every 0.2 s
# during, and once right after a full GC forced early in the transfer: what it holds live) and VmRSS
# of both (/proc/PID/status). namud streams the transfer from the zone it
# serves, so its heap during the transfer should stay near its heap before (no second copy).
#
# usage: perf/xfr-big.sh [-r RUNS] [-j JAVA]     (run it under the shared lock, see perf/bench.sh)
#   -r RUNS   transfers per server, alternating (3)   -j JAVA  java binary for namud (java)
# env: NAMU_BENCH  directory of gen-auth-data.py (default: ../shared/bench beside the repository)
#      NAMUD_OPTS  JVM options for namud (default -Xms64m -Xmx1g -XX:+UseG1GC)
# The zone: gen-auth-data.py DIR 540000 1 (bench.test., 999,015 records), served by namud from a
# zone file (--zones: the 100,000-record import cap of the store does not apply) and by knotd from
# the same file. Loopback only; every wait is bounded.
set -euo pipefail
RUNS=3 JAVA_BIN=java
while getopts "r:j:h" o; do
  case $o in r) RUNS=$OPTARG ;; j) JAVA_BIN=$OPTARG ;; *) sed -n '2,15p' "$0"; exit 2 ;; esac
done
REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${NAMU_BENCH:-$REPO/../shared/bench}
JAR=$REPO/dns-server/target/namud.jar
die() { echo "xfr-big.sh: $*" >&2; exit 1; }
[ -f "$JAR" ] || die "$JAR missing; build it with mvn -B -DskipTests package"
[ -f "$BENCH/gen-auth-data.py" ] || die "no gen-auth-data.py in $BENCH; set NAMU_BENCH"
for t in kdig knotd jcmd; do command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] || die "$t is not installed"; done
KNOTD=$(command -v knotd || echo /usr/sbin/knotd)
JCMD=$(dirname "$(readlink -f "$(command -v "$JAVA_BIN")")")/jcmd
[ -x "$JCMD" ] || JCMD=jcmd

d=$(mktemp -d /tmp/namu-xfr-big.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$d"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_mib() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
heap_mib() { "$JCMD" "$1" GC.heap_info 2>/dev/null | awk '/ used / {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub("K,?", "", v); printf "%d", v / 1024; exit}}'; }
await_soa() { # port pid: until bench.test. SOA is answered with data, at most 300 s
  for _ in $(seq 1500); do
    kill -0 "$2" 2>/dev/null || die "the server (pid $2) exited; see $d"
    [ -n "$(kdig +short +time=1 +retry=0 @127.0.0.1 -p "$1" bench.test. SOA 2>/dev/null)" ] && return 0
    sleep 0.2
  done
  die "no answer on port $1 after 300 s"
}

echo "generating the zone..." >&2
mkdir -p "$d/zones"
python3 "$BENCH/gen-auth-data.py" "$d/zones" 540000 1 >/dev/null
records=$(grep -cv '^\$' "$d/zones/bench.test.zone")

np=$(free_port)
cp "$JAR" "$d/namud.jar" # a build during the run rewrites the jar namud reads its classes from
# shellcheck disable=SC2086
"$JAVA_BIN" ${NAMUD_OPTS:--Xms64m -Xmx1g -XX:+UseG1GC} -jar "$d/namud.jar" --listen "127.0.0.1:$np" --zones "$d/zones" \
  --data "$d/namud-data" --no-api --no-metrics --no-recursion --rrl-rate 0 --log-level WARN \
  --allow-transfer bench.test.=127.0.0.1/32 >"$d/namud.log" 2>&1 &
namud=$!; pids+=("$namud")

kp=$(free_port)
mkdir -p "$d/knot/db" "$d/knot/run"
cat >"$d/knot/knot.conf" <<CONF
server:
  listen: 127.0.0.1@$kp
  rundir: "$d/knot/run"
  pidfile: "$d/knot/run/knot.pid"
  background-workers: 1
log:
  - target: stderr
    any: warning
database:
  storage: "$d/knot/db"
acl:
  - id: local
    address: 127.0.0.1
    action: transfer
template:
  - id: default
    storage: "$d/zones"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
  - domain: bench.test.
    file: bench.test.zone
    acl: local
CONF
"$KNOTD" -c "$d/knot/knot.conf" >"$d/knot.log" 2>&1 &
knot=$!; pids+=("$knot")
await_soa "$np" "$namud"
await_soa "$kp" "$knot"

# one transfer from server NAME on PORT, pid PID: prints "seconds records rss_before rss_peak heap_before
# heap_peak live_during": heap_peak is the used heap sampled (garbage of the messages made included),
# live_during the used heap right after a full GC forced at the second sample (what it holds live)
transfer() {
  local name=$1 port=$2 pid=$3 heap0=- heapmax=- live=- rss0 rssmax n=0
  if [ "$name" = namud ]; then "$JCMD" "$pid" GC.run >/dev/null; heap0=$(heap_mib "$pid"); heapmax=$heap0; fi
  rss0=$(rss_mib "$pid"); rssmax=$rss0
  local t0 t1
  t0=$(date +%s.%N)
  kdig +time=120 +retry=0 +noall +answer @127.0.0.1 -p "$port" bench.test. AXFR >"$d/axfr.txt" 2>"$d/kdig.err" &
  local k=$!
  while kill -0 "$k" 2>/dev/null; do
    local r; r=$(rss_mib "$pid"); [ "$r" -gt "$rssmax" ] && rssmax=$r
    if [ "$name" = namud ]; then
      local h; h=$(heap_mib "$pid"); [ -n "$h" ] && [ "$h" -gt "$heapmax" ] && heapmax=$h
      n=$((n + 1))
      if [ $n -eq 2 ] && kill -0 "$k" 2>/dev/null; then "$JCMD" "$pid" GC.run >/dev/null; live=$(heap_mib "$pid"); fi
    fi
    sleep 0.2
  done
  wait "$k" || die "kdig axfr from $name failed: $(cat "$d/kdig.err")"
  t1=$(date +%s.%N)
  echo "$(echo "$t1 - $t0" | bc) $(grep -c . "$d/axfr.txt") $rss0 $rssmax $heap0 $heapmax $live"
}

echo "zone bench.test.: $records records in the file; $RUNS transfers per server, alternating" >&2
printf 'server\trun\tseconds\trecords\trss_before_MiB\trss_peak_MiB\theap_before_MiB\theap_peak_MiB\tlive_during_MiB\n'
for run in $(seq "$RUNS"); do
  for s in knot namud; do
    if [ $s = knot ]; then row=$(transfer knot "$kp" "$knot"); else row=$(transfer namud "$np" "$namud"); fi
    echo "$s	$run	${row// /	}"
  done
done | tee "$d/rows.tsv"
echo "medians:"
for s in knot namud; do
  awk -v s=$s -F'\t' '$1 == s {print $3}' "$d/rows.tsv" | sort -n | awk -v s=$s '{a[NR] = $1} END {printf "  %s: %.2f s per transfer\n", s, a[int((NR + 1) / 2)]}'
done
