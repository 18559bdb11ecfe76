#!/usr/bin/env bash
# The performance targets in one run: every benchmark with its peer measured in the same invocation,
# then one table of namud's figure, the peer's, the ratio and whether the target is met.
#   auth      perf/bench.sh (unpinned and -P pinned) against NSD and Knot: QPS, QPS per server
#             CPU-second, average latency
#   resolver  perf/bench.sh -R -t "hot cold" against Unbound: QPS, SERVFAIL and lost queries
#   zoneload  a 1,000,000-record zone (gen-auth-data.py 540000 names) loaded by Knot and by namud:
#             seconds to the first SOA answer, CPU seconds used by then, and RSS 3 s later
#             (perf/zone-load.py)
#   edits     1,000 single-record API edits, each checked over UDP (perf/edits.py)
#   startup   first answer on the example zones (perf/first-answer.py)
#
# usage: perf/targets.sh [-r RUNS] [-j JAVA] [-k DIR] [-p DIR] [SECTION...]   (default: all five)
#   -r RUNS  runs per server and measurement (3; medians are reported)
#   -j JAVA  java binary for namud (java on PATH)
#   -k DIR   keep every tool's output and the per-run rows in DIR (default: a scratch directory)
#   -p DIR   also profile namud: a JFR recording (settings=profile) of every namud a section
#            starts, kept in DIR/SECTION.jfr/, folded into DIR/SECTION-jdkN.collapsed (all its
#            runs summed, perf/jfr-fold.py --threads) and drawn as DIR/SECTION-jdkN.svg
#            (perf/flamegraph.py). The recording costs namud a few percent.
# Loopback only; every run is bounded. Takes about 7 minutes for all sections on 2 cores.
set -euo pipefail

RUNS=3 JAVA_BIN=java KEEPDIR="" PROFDIR=""
while getopts "r:j:k:p:h" o; do
  case $o in
    r) RUNS=$OPTARG ;; j) JAVA_BIN=$OPTARG ;; k) KEEPDIR=$OPTARG ;; p) PROFDIR=$OPTARG ;;
    *) sed -n '2,/^set -e/p' "$0" | grep '^#'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
case $RUNS in '' | *[!0-9]* | 0) echo "targets.sh: -r takes a number of runs (1 or more), not '$RUNS'" >&2; exit 2 ;; esac
command -v "$JAVA_BIN" >/dev/null 2>&1 || { echo "targets.sh: java not found: $JAVA_BIN" >&2; exit 2; }
[ $# -gt 0 ] || set -- auth resolver zoneload edits startup
for s in "$@"; do
  case $s in auth | resolver | zoneload | edits | startup) ;; *) echo "targets.sh: unknown section '$s'" >&2; exit 2 ;; esac
done

REPO=$(cd "$(dirname "$0")/.." && pwd)
PERF=$REPO/perf
LAUNCHER=$REPO/dns-server/src/main/scripts/namud
if [ -n "$KEEPDIR" ]; then mkdir -p "$KEEPDIR"; W=$(cd "$KEEPDIR" && pwd); else W=$(mktemp -d /tmp/namu-targets.XXXXXX); trap 'rm -rf "$W"' EXIT; fi
export JAVA="$JAVA_BIN"
if [ -n "$PROFDIR" ]; then
  mkdir -p "$PROFDIR"; PROFDIR=$(cd "$PROFDIR" && pwd)
  JFR_BIN=$(dirname "$(readlink -f "$(command -v "$JAVA_BIN")")")/jfr
  [ -x "$JFR_BIN" ] || { echo "targets.sh: -p needs the JDK's jfr tool beside java: $JFR_BIN missing" >&2; exit 2; }
  JDK_TAG=jdk$("$JAVA_BIN" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
fi
EXTRA_OPTS=${NAMUD_EXTRA_OPTS:-}
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
median() { sort -g | awk '{a[NR]=$1} END{if(NR==0){exit} if(NR%2){print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'; }
# col FILE NAME MODE-OR-TEST AWK-EXPR: median of the expression over that server's rows
col() { awk -F'\t' -v n="$2" -v m="$3" '$1==n && $2==m && $4>0 {print '"$4"'}' "$1" | median; }

TABLE=$W/targets.md
: >"$TABLE"
# row TARGET NAMUD PEER RATIO MET(1/0/empty)
row() {
  local status="not measured"
  if [ -n "$2" ] && [ -n "$3" ]; then if [ "$5" = 1 ]; then status="met"; else status="**not met**"; fi; fi
  printf '| %s | %s | %s | %s | %s |\n' "$1" "${2:--}" "${3:--}" "${4:--}" "$status" >>"$TABLE"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{if (b > 0) printf "%.2fx", a/b}'; }
atleast() { awk -v a="$1" -v b="$2" 'BEGIN{print (a >= b) ? 1 : 0}'; }

# built only when a source is newer than the jar: a new jar (even the same bytes) gets a new
# class-data archive from the launcher, made by the first namud run of the sections below
JAR=$REPO/dns-server/target/namud.jar
if [ ! -s "$JAR" ] || [ -n "$(find "$REPO/zones/src/main" "$REPO/resolver/src/main" "$REPO/dns-server/src/main" -newer "$JAR" -type f -print -quit)" ]; then
  (cd "$REPO" && mvn -B -q -pl dns-server -am package -DskipTests) >&2 || { echo "targets.sh: build failed" >&2; exit 1; }
fi

auth() {
  local rows=$W/auth.tsv pin label
  : >"$rows"
  for pin in "" -P; do
    log "auth ${pin:-unpinned}: perf/bench.sh $pin -r $RUNS nsd knot"
    "$PERF/bench.sh" $pin -r "$RUNS" -j "$JAVA_BIN" -o "$rows" nsd knot >"$W/auth${pin}.txt"
  done
  for mode in unpinned pinned; do
    label=$mode
    local nq pq nc pc nl pl
    nq=$(col "$rows" namud "$mode" '$4'); pq=$(col "$rows" nsd "$mode" '$4')
    row "QPS >= 1.0x NSD, $label" "$nq" "$pq" "$(ratio "$nq" "$pq")" "$(atleast "$nq" "$pq")"
    nc=$(col "$rows" namud "$mode" '$4*100/$11'); pc=$(col "$rows" nsd "$mode" '$4*100/$11')
    row "QPS per server CPU-second >= NSD, $label" "$(printf %.0f "$nc")" "$(printf %.0f "$pc")" "$(ratio "$nc" "$pc")" "$(atleast "$nc" "$pc")"
    nl=$(col "$rows" namud "$mode" '$5'); pl=$(col "$rows" nsd "$mode" '$5')
    # "no worse": within a tenth of NSD's average, the run-to-run spread of either server here
    row "avg latency ms no worse than NSD, $label" "$nl" "$pl" "$(ratio "$nl" "$pl")" "$(atleast "$(awk -v p="$pl" 'BEGIN{print p*1.1}')" "$nl")"
  done
}

resolver() {
  local rows=$W/resolver.tsv t nq pq bad
  : >"$rows"
  log "resolver: perf/bench.sh -R -t \"hot cold\" -r $RUNS unbound"
  "$PERF/bench.sh" -R -t "hot cold" -r "$RUNS" -j "$JAVA_BIN" -o "$rows" unbound >"$W/resolver.txt"
  for t in hot cold; do
    nq=$(col "$rows" namud "$t" '$4'); pq=$(col "$rows" unbound "$t" '$4')
    bad=$(awk -F'\t' -v t="$t" '$1=="namud" && $2==t {s += $7 + $10} END{print s+0}' "$rows")
    row "resolver $t QPS >= 1.0x Unbound" "$nq" "$pq" "$(ratio "$nq" "$pq")" "$(atleast "$nq" "$pq")"
    row "resolver $t: no SERVFAIL or lost query (all runs)" "$bad" "0" "" "$(atleast 0 "$bad")"
  done
}

zoneload() {
  local data=${NAMU_ZONELOAD_DATA:-/tmp/namu-zoneload-data} port=15391 r out
  if ! command -v knotd >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      log "zoneload: installing knot (the peer)"
      # keep Debian from starting the daemon it installs: this script starts its own copy
      [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q knot >&2 || true
    fi
    command -v knotd >/dev/null 2>&1 || { log "zoneload: knotd missing (apt-get install knot as root): not measured"; row "1M-record zone load vs Knot" "" "" "" ""; return; }
  fi
  if [ ! -s "$data/bench.test.zone" ]; then
    log "zoneload: generating the 1,000,000-record zone in $data"
    mkdir -p "$data"
    # the generator sits beside auth-qps.sh: NAMU_BENCH, else ../shared/bench beside the repository
    python3 "${NAMU_BENCH:-$REPO/../shared/bench}/gen-auth-data.py" "$data" 540000 1000 >&2
  fi
  local zonefile=$data/bench.test.zone
  : >"$W/zoneload.tsv"
  for r in $(seq "$RUNS"); do
    local kd=$W/knot.$r nd=$W/namud.$r
    mkdir -p "$kd/db" "$nd/zones"
    cat >"$kd/knot.conf" <<EOF
server:
    rundir: "$kd"
    listen: 127.0.0.1@$port
    udp-workers: 2
    tcp-workers: 1
    background-workers: 1
database:
    storage: "$kd/db"
log:
  - target: "$kd/knot.log"
    any: warning
template:
  - id: default
    storage: "$kd"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
    semantic-checks: off
zone:
  - domain: bench.test
    file: "$zonefile"
EOF
    ln -sf "$zonefile" "$nd/zones/bench.test.zone"
    out=$(python3 "$PERF/zone-load.py" "$port" knotd -c "$kd/knot.conf")
    log "zoneload knot run $r: $out"
    printf 'knot\t%s\n' "$out" >>"$W/zoneload.tsv"
    # metrics on a free port: another namud on the machine may hold the default 9153, and namud
    # stops when its metrics port is taken
    out=$(python3 "$PERF/zone-load.py" "$port" "$LAUNCHER" --no-api --data "$nd/data" --zones "$nd/zones" --listen "127.0.0.1:$port" --metrics 127.0.0.1:0)
    log "zoneload namud run $r: $out"
    printf 'namud\t%s\n' "$out" >>"$W/zoneload.tsv"
  done
  local nt kt nm km nc kc
  secs() { awk -F'\t' -v n="$1" '$1==n {if (match($2, /after [0-9.]+ s/)) print substr($2, RSTART+6, RLENGTH-8)}' "$W/zoneload.tsv" | median; }
  mib() { awk -F'\t' -v n="$1" '$1==n {if (match($2, /RSS [0-9]+ MiB/)) print substr($2, RSTART+4, RLENGTH-8)}' "$W/zoneload.tsv" | median; }
  cpu() { awk -F'\t' -v n="$1" '$1==n {if (match($2, /CPU [0-9.]+ s/)) print substr($2, RSTART+4, RLENGTH-6)}' "$W/zoneload.tsv" | median; }
  nt=$(secs namud); kt=$(secs knot); nm=$(mib namud); km=$(mib knot); nc=$(cpu namud); kc=$(cpu knot)
  row "1M-record zone: seconds to first answer, faster than Knot" "$nt" "$kt" "$(ratio "$nt" "$kt")" "$(atleast "$kt" "$nt")"
  # the CPU the server used by then (all threads): steadier than the wall time on a busy machine
  row "1M-record zone: CPU seconds by first answer, less than Knot's" "$nc" "$kc" "$(ratio "$nc" "$kc")" "$(atleast "$kc" "$nc")"
  row "1M-record zone: RSS MiB <= 1.5x Knot's" "$nm" "$km" "$(ratio "$nm" "$km")" "$(atleast "$(awk -v k="$km" 'BEGIN{print 1.5*k}')" "$nm")"
}

edits() {
  local r total vis cpu
  : >"$W/edits.txt"
  for r in $(seq "$RUNS"); do
    log "edits run $r: perf/edits.py"
    python3 "$PERF/edits.py" >>"$W/edits.txt" 2>&1
  done
  total=$(grep -o 'edits ([^)]*): [0-9.]* s total' "$W/edits.txt" | awk '{print $(NF-2)}' | median)
  vis=$(grep -o 'ack-to-visible[^;]*max [0-9.]* ms' "$W/edits.txt" | awk '{print $(NF-1)}' | median)
  row "1,000 single API edits, seconds <= 1" "$total" "1" "" "$(atleast 1 "$total")"
  row "each edit visible in answers within 10 ms (max, ms)" "$vis" "10" "" "$(atleast 10 "$vis")"
  # namud's CPU per edit (all threads), steadier than the wall time on a busy machine: 1,000 edits
  # in 1 s leave at most 1 ms per edit
  cpu=$(grep -o '([0-9.]* ms per edit)' "$W/edits.txt" | tr -d '(' | awk '{print $1}' | median)
  row "namud CPU per edit, ms <= 1" "$cpu" "1" "" "$(atleast 1 "$cpu")"
}

startup() {
  local r ms port=15392
  : >"$W/startup.txt"
  for r in $(seq "$RUNS"); do
    rm -rf "$W/startup-data"
    out=$(python3 "$PERF/first-answer.py" "$port" home.lan "$LAUNCHER" --no-api --data "$W/startup-data" --listen "127.0.0.1:$port" --metrics 127.0.0.1:0)
    log "startup run $r: $out"
    echo "$out" >>"$W/startup.txt"
  done
  ms=$(awk '/ ms/{print $1}' "$W/startup.txt" | median)
  row "first answer within 1 s of start (ms, new store)" "$ms" "1000" "" "$(atleast 1000 "$ms")"
}

log "targets.sh: sections $*; $RUNS runs; load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; java $("$JAVA_BIN" -version 2>&1 | head -1)"
# profiled SECTION: every JVM the launcher starts records into SECTION.jfr/ (a directory: JDK 17
# names each file by its PID there), then the recordings are folded and drawn
profiled() {
  local s=$1 rec
  [ -n "$PROFDIR" ] || { "$s"; return; }
  rec=$PROFDIR/$s.jfr
  rm -rf "$rec"; mkdir -p "$rec"
  # NAMUD_CDS=off: the JVM turns JFR off while it writes a class-data archive (a new jar's first run)
  NAMUD_CDS=off NAMUD_EXTRA_OPTS="$EXTRA_OPTS -XX:FlightRecorderOptions=stackdepth=128 -XX:StartFlightRecording=settings=profile,filename=$rec,dumponexit=true" "$s"
  if ls "$rec"/*.jfr >/dev/null 2>&1 && python3 "$PERF/jfr-fold.py" --threads --jfr "$JFR_BIN" "$rec"/*.jfr >"$PROFDIR/$s-$JDK_TAG.collapsed"; then
    python3 "$PERF/flamegraph.py" --title "namud, targets.sh $s, $JDK_TAG, $(date -u +%Y-%m-%d)" "$PROFDIR/$s-$JDK_TAG.collapsed" >"$PROFDIR/$s-$JDK_TAG.svg"
    log "$s: profile in $PROFDIR/$s-$JDK_TAG.collapsed and .svg"
  else
    log "$s: no recording was written (namud stopped with SIGKILL?): no profile"
  fi
}
for s in "$@"; do profiled "$s"; done
echo
echo "| target | namud | peer or bound | ratio | status |"
echo "|---|---:|---:|---:|---|"
cat "$TABLE"
echo
echo "Medians of $RUNS runs, peers measured in the same invocation ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, java: $("$JAVA_BIN" -version 2>&1 | head -1))."
[ -n "$KEEPDIR" ] && echo "Tool output and per-run rows: $W"
exit 0
