#!/usr/bin/env bash
# Authoritative QPS of a pre-signed zone: the shared benchmark's 100k-name bench.test. signed by
# dnssec-signzone (NSEC3, no opt-out, 0 extra iterations, ECDSAP256SHA256 KSK + ZSK), served by
# namud (as a zone file) and by Knot, asked without DO and with DO (every query, dnsperf -D), the
# two alternated ROUNDS times. Each round is two perf/bench.sh invocations (Knot and namud in the
# same invocation, RUNS runs each), so namud/Knot is a same-run ratio and DO/no DO alternates.
#
# usage: flock /tmp/namu-bench.lock perf/presigned-bench.sh [-R ROUNDS] [-r RUNS] [-l SECS] [-d DIR]
#   -R ROUNDS  no-DO/DO rounds (3)   -r RUNS  bench.sh runs per server (3)   -l SECS  per run (10)
#   -d DIR     signed data (bench.test.zone, queries.txt; made there when missing, ~3-4 min of
#              dnssec-signzone; default /tmp/namu-bench-signed)
# env: NAMU_BENCH (as bench.sh), NAMUD_FLAGS (default --no-metrics)
# Needs bind9-utils (dnssec-keygen, dnssec-signzone), knot, dnsperf. Loopback only; bounded runs.
set -euo pipefail
ROUNDS=3 RUNS=3 DUR=10 DIR=/tmp/namu-bench-signed
while getopts "R:r:l:d:h" o; do
  case $o in R) ROUNDS=$OPTARG ;; r) RUNS=$OPTARG ;; l) DUR=$OPTARG ;; d) DIR=$OPTARG ;; *) sed -n '2,13p' "$0"; exit 2 ;; esac
done
REPO=$(cd "$(dirname "$0")/.." && pwd)
BENCH=${NAMU_BENCH:-$REPO/../shared/bench}
export NAMUD_FLAGS=${NAMUD_FLAGS:---no-metrics}
die() { echo "presigned-bench.sh: $*" >&2; exit 1; }
for c in dnssec-keygen dnssec-signzone dnsperf knotd; do command -v $c >/dev/null || die "$c is missing"; done

if [ ! -s "$DIR/bench.test.zone" ] || [ ! -s "$DIR/queries.txt" ]; then
  mkdir -p "$DIR/src"
  [ -s "$DIR/src/bench.test.zone" ] || python3 "$BENCH/gen-auth-data.py" "$DIR/src" >&2 || die "data generation failed"
  (cd "$DIR/src"
   ksk=$(dnssec-keygen -q -a ECDSAP256SHA256 -f KSK bench.test)
   zsk=$(dnssec-keygen -q -a ECDSAP256SHA256 bench.test)
   cp bench.test.zone unsigned.zone
   printf '$INCLUDE %s.key\n$INCLUDE %s.key\n' "$ksk" "$zsk" >>unsigned.zone
   echo "presigned-bench.sh: signing bench.test with dnssec-signzone (NSEC3, a few minutes)" >&2
   dnssec-signzone -q -3 - -H 0 -e +31536000 -o bench.test -f "$DIR/bench.test.zone" unsigned.zone "$ksk" "$zsk" >/dev/null) ||
    die "dnssec-signzone failed"
  cp "$DIR/src/queries.txt" "$DIR/queries.txt"
fi
grep -q 'NSEC3PARAM' "$DIR/bench.test.zone" || die "$DIR/bench.test.zone is not NSEC3-signed"

WORK=$(mktemp -d /tmp/presigned-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# dnsperf with the DO bit on every query, first on PATH for the DO invocations
mkdir "$WORK/dobin"
printf '#!/bin/sh\nexec %s -D "$@"\n' "$(command -v dnsperf)" >"$WORK/dobin/dnsperf"
chmod +x "$WORK/dobin/dnsperf"

for i in $(seq 1 "$ROUNDS"); do
  for mode in plain do; do
    echo "presigned-bench.sh: round $i, $mode; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    : >"$WORK/rows"
    if [ $mode = do ]; then p=$WORK/dobin:$PATH; else p=$PATH; fi
    PATH=$p NAMU_BENCH_DATA=$DIR "$REPO/perf/bench.sh" -r "$RUNS" -l "$DUR" -o "$WORK/rows" knot >"$WORK/out.$mode.$i" 2>&1 ||
      { tail -30 "$WORK/out.$mode.$i" >&2; die "bench.sh failed"; }
    grep -A2 '^| namud vs' "$WORK/out.$mode.$i" | tail -1 >&2
    awk -F'\t' -v m=$mode -v r="$i" '$1=="knot" || $1=="namud" {print m "\t" r "\t" $0}' "$WORK/rows" >>"$WORK/all"
  done
done
echo "query_mode, round, then auth-qps.sh's row (server mode run qps avg_ms max_ms lost ...)"
cat "$WORK/all"
med() { sort -g | awk '{a[NR]=$1} END{if(NR==0){print 0; exit} if(NR%2){print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'; }
q() { awk -F'\t' -v m="$1" -v s="$2" '$1==m && $3==s {print $6}' "$WORK/all" | med; }
rr() { # MODE: namud/Knot within each round (medians of its runs)
  local r
  for r in $(seq 1 "$ROUNDS"); do
    echo "$(awk -F'\t' -v m="$1" -v r="$r" '$1==m && $2==r && $3=="knot"{print $6}' "$WORK/all" | med)" \
      "$(awk -F'\t' -v m="$1" -v r="$r" '$1==m && $2==r && $3=="namud"{print $6}' "$WORK/all" | med)"
  done | awk '$1>0{printf "%.3f\n", $2/$1}'
}
echo
echo "| query | Knot median QPS | namud median QPS | namud/Knot (medians) | namud/Knot per round |"
echo "|---|---:|---:|---:|---|"
for mode in plain do; do
  k=$(q $mode knot); n=$(q $mode namud); per=$(rr $mode | tr '\n' ' ')
  awk -v m=$mode -v k="$k" -v n="$n" -v per="$per" 'BEGIN{printf "| %s | %.0f | %.0f | %.2f | %s|\n", (m=="do"?"DO":"no DO"), k, n, (k>0?n/k:0), per}'
done
for s in knot namud; do
  awk -v s=$s -v a="$(q plain $s)" -v b="$(q do $s)" 'BEGIN{printf "%s: DO/no DO %.2f\n", s, (a>0?b/a:0)}'
done
echo "Medians of $ROUNDS rounds x $RUNS runs; load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
