#!/usr/bin/env bash
# Split horizon cost, authoritative: namud serving the 100k-name bench.test. zone (the shared
# benchmark's data) without views (A) and with two views (B: --view inside=127.0.62.0/24
# --view lab=10.0.0.0/8,lab-key., and one record of view inside laid over the zone), alternated
# A B A B ... in one run. Each server is asked by two clients in turn: one outside every view
# (dnsperf from 127.0.0.1) and one inside view inside (dnsperf -a 127.0.62.2). Each instance: a
# fresh namud, the view record added over the admin API (B), dig checks that the view answers
# inside and the zone outside, a warm-up, then one measured dnsperf run per client; which client
# goes first alternates with the pair (the JIT still warms up during the first run, so compare
# within a pair). Prints the per-run rows, the medians and the B/A ratio per client (the median
# of the pairs' ratios is the figure to quote).
#
# usage: flock /tmp/namu-bench.lock perf/views-ab.sh [-r PAIRS] [-l SECS] [-w SECS] [-p PORT]
#   -r PAIRS  A/B pairs (3)   -l SECS  dnsperf -l per measured run (10)   -w SECS  warm-up (6)
#   -p PORT   DNS port on 127.0.0.1 (15362)
# env: NAMU_BENCH (../shared/bench: gen-auth-data.py, lib.sh), NAMU_BENCH_DATA (/tmp/namu-bench-data),
#      NAMUD_OPTS (JVM options, the launcher's default otherwise)
# Loopback only; every run is bounded; namud's metrics are off (port 9153 may be taken).
set -euo pipefail
PAIRS=3 DUR=10 WARM=6 PORT=15362
while getopts "r:l:w:p:h" o; do
  case $o in r) PAIRS=$OPTARG ;; l) DUR=$OPTARG ;; w) WARM=$OPTARG ;; p) PORT=$OPTARG ;; *) sed -n '2,17p' "$0"; exit 2 ;; esac
done
REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${NAMU_BENCH:-$REPO/../shared/bench}
[ -f "$BENCH/lib.sh" ] || { echo "views-ab.sh: $BENCH/lib.sh not found (set NAMU_BENCH)" >&2; exit 1; }
# shellcheck source=/dev/null
source "$BENCH/lib.sh"
JAR=$REPO/dns-server/target/namud.jar
[ -s "$JAR" ] || pb_die "$JAR missing: mvn -B -DskipTests package"
for c in dnsperf dig curl; do command -v $c >/dev/null || pb_die "$c is missing"; done
INSIDE=127.0.62.2 OUTSIDE=127.0.0.1
# the record the view lays over the zone: h000001's A, another address inside
VNAME=h000001 VADDR=192.0.2.62
DATA=${NAMU_BENCH_DATA:-/tmp/namu-bench-data}
if [ ! -s "$DATA/bench.test.zone" ] || [ ! -s "$DATA/queries.txt" ]; then
  python3 "$BENCH/gen-auth-data.py" "$DATA" >&2 || pb_die "data generation failed"
fi
WORK=$(mktemp -d /tmp/views-ab.XXXXXX)
trap 'pb_stop_all; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
ROWS=$WORK/rows.tsv; : >"$ROWS"

api_port() { # LOG: the admin API's port once namud logs it
  local i
  for i in $(seq 1 600); do
    sed -n 's|.*admin API listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$1" | head -1 | grep . && return 0
    sleep 0.5
  done
  return 1
}

one() { # CONFIG PAIR
  local cfg=$1 pair=$2 d=$WORK/$1.$2 views=() pid api tok got c addr out
  mkdir -p "$d/zones"; ln -s "$DATA/bench.test.zone" "$d/zones/bench.test.zone"
  [ "$cfg" = B ] && views=(--view inside=127.0.62.0/24 --view lab=10.0.0.0/8,lab-key.)
  pb_udp_port_busy 127.0.0.1 "$PORT" && pb_die "port 127.0.0.1:$PORT busy (-p PORT)"
  pb_start "$d/namud.log" env JAVA=java NAMUD_JAR="$JAR" "$REPO/dns-server/src/main/scripts/namud" \
    --no-recursion --rrl-rate 0 --no-metrics --listen "127.0.0.1:$PORT" --api 127.0.0.1:0 \
    --data "$d/data" --zones "$d/zones" "${views[@]}"
  pid=$PB_LAST_PID
  pb_wait_answer 127.0.0.1 "$PORT" bench.test SOA 300 || { tail -20 "$d/namud.log" >&2; pb_die "namud ($cfg) did not answer"; }
  api=$(api_port "$d/namud.log") || { tail -20 "$d/namud.log" >&2; pb_die "no admin API in namud's log"; }
  tok=$(cat "$d/data/api-token")
  if [ "$cfg" = B ]; then
    curl -sf -o /dev/null -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
      -d "{\"name\":\"$VNAME\",\"type\":\"A\",\"data\":\"$VADDR\"}" \
      "http://127.0.0.1:$api/api/v1/zones/bench.test./records?view=inside" || pb_die "adding the view record failed"
  fi
  # the view answers inside, the zone outside (and both the same without views)
  for c in $INSIDE $OUTSIDE; do
    got=$(dig +short +tries=1 +time=2 -b "$c" -p "$PORT" @127.0.0.1 "$VNAME.bench.test" A)
    if [ "$cfg" = B ] && [ "$c" = $INSIDE ]; then
      [ "$got" = $VADDR ] || pb_die "config B: $c got '$got' for $VNAME, not the view's $VADDR"
    else
      [ -n "$got" ] && [ "$got" != $VADDR ] || pb_die "config $cfg: $c got '$got' for $VNAME, not the zone's address"
    fi
  done
  dnsperf -s 127.0.0.1 -p "$PORT" -a $OUTSIDE -d "$DATA/queries.txt" -l $((WARM / 2)) -c 8 -T 2 -q 100 >"$d/warm.out" 2>&1
  dnsperf -s 127.0.0.1 -p "$PORT" -a $INSIDE -d "$DATA/queries.txt" -l $((WARM / 2)) -c 8 -T 2 -q 100 >>"$d/warm.out" 2>&1
  # the client asked first alternates with the pair (the JIT keeps warming during the first)
  local order="outside inside"; [ $((pair % 2)) = 0 ] && order="inside outside"
  for c in $order; do
    addr=$OUTSIDE; [ $c = inside ] && addr=$INSIDE
    out=$d/dnsperf.$c
    dnsperf -s 127.0.0.1 -p "$PORT" -a "$addr" -d "$DATA/queries.txt" -l "$DUR" -c 8 -T 2 -q 100 >"$out" 2>&1
    [ -d "/proc/$pid" ] || { tail -20 "$d/namud.log" >&2; pb_die "namud ($cfg) died"; }
    read -r qps avg mx lost sent comp rc < <(pb_parse_dnsperf "$out")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$cfg" "$pair" "$c" "$qps" "$avg" "$lost" "$rc" "$(cut -d' ' -f1 /proc/loadavg)" >>"$ROWS"
    pb_log "config $cfg pair $pair $c: qps $qps avg ${avg}ms lost $lost rcodes $rc load $(cut -d' ' -f1 /proc/loadavg)"
  done
  pb_stop "$pid"; pb_forget "$pid"
}

pb_log "views-ab: $PAIRS pairs, ${DUR}s runs, load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
for i in $(seq 1 "$PAIRS"); do one A "$i"; one B "$i"; done
printf 'config\tpair\tclient\tqps\tavg_ms\tlost\trcodes\tload1\n'; cat "$ROWS"
echo
echo "| client | no views (A) median QPS | two views (B) median QPS | B/A of medians | median of pair ratios B/A | pair ratios |"
echo "|---|---:|---:|---:|---:|---|"
for c in outside inside; do
  a=$(awk -F'\t' -v c=$c '$1=="A" && $3==c{print $4}' "$ROWS" | pb_median)
  b=$(awk -F'\t' -v c=$c '$1=="B" && $3==c{print $4}' "$ROWS" | pb_median)
  pr=$(awk -F'\t' -v c=$c '$3==c{q[$1,$2]=$4} END{for(i=1;(("A",i) in q);i++) if(q["A",i]>0) printf "%.3f ", q["B",i]/q["A",i]}' "$ROWS")
  pm=$(echo "$pr" | tr ' ' '\n' | grep . | pb_median)
  awk -v c=$c -v a="$a" -v b="$b" -v pm="$pm" -v pr="$pr" 'BEGIN{printf "| %s | %.0f | %.0f | %.2f | %.2f | %s|\n", c, a, b, b/a, pm, pr}'
done
echo
echo "Outside: dnsperf from $OUTSIDE, in no view. Inside: dnsperf -a $INSIDE, in view inside (B) with one record ($VNAME A)."
