#!/usr/bin/env bash
# Load benchmark: namud beside its peers in the same invocation, driven by dnsperf on loopback
# through the shared peer scripts, then a table of medians and namud's ratio to each peer.
#   authoritative (default): ../shared/bench/auth-qps.sh, namud serving the 100k-host zone
#   resolver (-R): ../shared/bench/resolver-qps.sh, namud recursing over a simulated hierarchy
#                  (root, TLDs, 1,000 leaf zones served by NSD on 127.0.10-12.x), hot and/or cold
#
# usage: perf/bench.sh [-P] [-p PORT] [-r RUNS] [-l SECS] [-w SECS] [-j JAVA] [-o FILE] [-k] [-f FLAGS] [PEER...]
#        perf/bench.sh -R [-t TESTS] [-r RUNS] [-l SECS] [-j JAVA] [-o FILE] [-k] [-f FLAGS] [PEER...]
#   -P        pinned: servers on CPU 0, dnsperf on CPU 1 (auth-qps.sh -P; authoritative only)
#   -R        resolver mode: recursive QPS against resolver peers
#   -t TESTS  resolver mode: "hot", "cold" or "hot cold" (default hot): hot = 1,000 names after
#             a warm-up, the cache answers; cold = 50k names never asked, every one resolved
#   -r RUNS   measured runs per server (3)      -l SECS  seconds per run (10; resolver hot: 15)
#   -w SECS   warm-up before the measured runs (5; the JVM needs it for its JIT; authoritative)
#   -j JAVA   java binary for namud (java on PATH; e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   -o FILE   also append the per-run TSV rows to FILE
#   -p PORT   authoritative: the loopback port the servers answer on (auth-qps.sh's default 15300)
#   -k        keep the scratch directory of auth-qps.sh / resolver-qps.sh
#   -f FLAGS  more namud flags, split at spaces; {dir} is namud's scratch directory of the run
#             (e.g. -f '--query-log {dir}/query.log': the query log on, written beside namud's data)
#   PEER      peers from auth-qps.sh's table (default: nsd knot), or with -R from
#             resolver-qps.sh's (default: unbound; also pdns-recursor kresd bind dnsmasq);
#             "none": namud alone (to compare namud with itself, e.g. NAMUD_FLAGS=--no-metrics)
# env: NAMU_BENCH  directory of auth-qps.sh (default: ../shared/bench beside the repository)
#      NAMUD_OPTS  JVM options for namud (default: the launcher's, see dns-server/src/main/scripts/namud)
#      NAMUD_FLAGS more namud flags, after the benchmark's own (e.g. --no-metrics, or
#                  --metrics 127.0.0.1:PORT to scrape it during the run); loopback addresses only
#
# Builds namud (mvn package) when its jar is missing or older than the sources; installs a
# missing peer or dnsperf with apt-get when run as root. Loopback only; every run is bounded.
set -euo pipefail

PIN="" PORT="" RUNS=3 DUR="" WARM=5 JAVA_BIN=java OUT="" KEEP="" MODE=auth TESTS=hot FLAGS=""
while getopts "PRt:r:l:w:j:o:p:kf:h" o; do
  case $o in
    P) PIN=-P ;; R) MODE=resolver ;; t) TESTS=$OPTARG ;; r) RUNS=$OPTARG ;; l) DUR=$OPTARG ;;
    w) WARM=$OPTARG ;; j) JAVA_BIN=$OPTARG ;; o) OUT=$OPTARG ;; p) PORT="-p $OPTARG" ;; k) KEEP=-k ;;
    f) FLAGS=$OPTARG ;;
    *) sed -n '2,32p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $MODE = resolver ]; then
  [ -z "$PIN" ] || { echo "bench.sh: -P is for the authoritative mode only" >&2; exit 2; }
  for t in $TESTS; do
    case $t in hot | cold) ;; *) echo "bench.sh: -t takes hot, cold or \"hot cold\", not '$t'" >&2; exit 2 ;; esac
  done
  DUR=${DUR:-15}
  [ $# -gt 0 ] || set -- unbound
else
  DUR=${DUR:-10}
  [ $# -gt 0 ] || set -- nsd knot
fi

REPO=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "bench.sh: $*" >&2; exit 1; }
[ "$*" = none ] && set --
# namud's extra flags, word-split as a shell would; an address in them must be on loopback
NAMUD_FLAGS=${NAMUD_FLAGS:-}
for f in $NAMUD_FLAGS; do
  a=${f#*=}
  case $a in
    *[0-9]:[0-9]* | *\]:[0-9]*)
      case $a in 127.* | \[::1\]:*) ;; *) die "NAMUD_FLAGS: $a is not a loopback address" ;; esac ;;
  esac
done

# ../shared/bench beside the repository; from a git worktree, beside the main working copy
find_bench() {
  local c common
  for c in "${NAMU_BENCH:-}" "$REPO/../shared/bench"; do
    [ -n "$c" ] && [ -x "$c/auth-qps.sh" ] && { cd "$c" && pwd; return 0; }
  done
  if common=$(git -C "$REPO" rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
    c=$(dirname "$common")/../shared/bench
    [ -x "$c/auth-qps.sh" ] && { cd "$c" && pwd; return 0; }
  fi
  return 1
}
BENCH=$(find_bench) || die "peer benchmark scripts not found: expected $REPO/../shared/bench/auth-qps.sh
(set NAMU_BENCH=/path/to/shared/bench to point elsewhere)"

# ------------------------------------------------------------------ tools and peers
need_pkg() { # COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "bench.sh: installing $2 (missing $1)" >&2
    # keep Debian from starting the daemon it installs: the benchmark starts its own copy
    [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >&2 || die "apt-get install $2 failed"
  else
    die "$1 is missing: apt-get install $2 (as root)"
  fi
}
need_pkg dnsperf dnsperf
need_pkg bc bc
need_pkg dig bind9-dnsutils
[ $MODE = resolver ] && need_pkg nsd nsd # serves the simulated hierarchy
for p in "$@"; do
  case $p in
    unbound) need_pkg unbound unbound ;;
    pdns-recursor) need_pkg pdns_recursor pdns-recursor ;;
    kresd) need_pkg kresd knot-resolver ;;
    dnsmasq) need_pkg dnsmasq dnsmasq; need_pkg unbound unbound ;;
    nsd) need_pkg nsd nsd ;;
    knot) need_pkg knotd knot ;;
    bind) need_pkg named bind9 ;;
    pdns) need_pkg pdns_server pdns-server; need_pkg zone2sql pdns-backend-bind ;;
  esac
done
command -v "$JAVA_BIN" >/dev/null || die "java not found: $JAVA_BIN"

# ------------------------------------------------------------------ namud
JAR=$REPO/dns-server/target/namud.jar
if [ ! -s "$JAR" ] || [ -n "$(find "$REPO/zones/src/main" "$REPO/resolver/src/main" "$REPO/dns-server/src/main" -newer "$JAR" -type f -print -quit)" ]; then
  echo "bench.sh: building namud" >&2
  (cd "$REPO" && mvn -B -q -pl dns-server -am package -DskipTests) >&2 || die "namud build failed"
fi
LAUNCHER=$REPO/dns-server/src/main/scripts/namud

# -f: {dir} becomes the wrapper's "$4", namud's scratch directory of the run
EXTRA=${FLAGS//\{dir\}/\"\$4\"}
SCRATCH=$(mktemp -d /tmp/namu-bench.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
# ------------------------------------------------------------------ resolver mode
if [ $MODE = resolver ]; then
  # resolver-qps.sh runs COMMAND with exec: this wrapper makes namud's empty zone directory and
  # becomes namud (exec), so that the script measures and stops the JVM itself. No zones: every
  # name is recursed for, from the hierarchy's root hints.
  cat >"$SCRATCH/run-namud" <<EOF
#!/usr/bin/env bash
# run-namud ADDR PORT HINTS DIR
set -e
mkdir -p "\$4/zones"
export JAVA="$JAVA_BIN" NAMUD_JAR="$JAR"
${NAMUD_OPTS+export NAMUD_OPTS="$NAMUD_OPTS"}
exec "$LAUNCHER" --no-api --data "\$4/namu-data" --zones "\$4/zones" --listen "\$1:\$2" --root-hints "\$3" $NAMUD_FLAGS $EXTRA
EOF
  chmod +x "$SCRATCH/run-namud"
  ROWS=$SCRATCH/rows.tsv
  echo "bench.sh: resolver mode, tests: $TESTS; load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; java $("$JAVA_BIN" -version 2>&1 | head -1)" >&2
  "$BENCH/resolver-qps.sh" $KEEP -t "$TESTS" -r "$RUNS" -l "$DUR" -o "$ROWS" "$@" \
    "custom:namud:$SCRATCH/run-namud {addr} {port} {hints} {dir}" | tee "$SCRATCH/table.txt"
  [ -n "$OUT" ] && cat "$ROWS" >>"$OUT"
  # rows: resolver test run qps avg_ms max_ms lost sent completed servfail rss_kib res_cpu_pct ...
  med() { # NAME TEST AWK-EXPRESSION: its median over the runs
    awk -F'\t' -v n="$1" -v t="$2" '$1==n && $2==t && $4>0 {print '"$3"'}' "$ROWS" | sort -g |
      awk '{a[NR]=$1} END{if(NR==0){exit} if(NR%2){print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'
  }
  echo
  echo "| namud vs | test | peer QPS | namud QPS | QPS ratio | peer µs CPU/query | namud µs CPU/query | CPU/query ratio | peer avg ms | namud avg ms | peer RSS MiB | namud RSS MiB |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for t in $TESTS; do
    # CPU per query: resolver CPU % of one core / QPS, in microseconds
    NQ=$(med namud "$t" '$4'); NC=$(med namud "$t" '$12*10000/$4'); NL=$(med namud "$t" '$5'); NM=$(med namud "$t" '$11/1024')
    for p in "$@"; do
      PQ=$(med "$p" "$t" '$4'); PC=$(med "$p" "$t" '$12*10000/$4'); PL=$(med "$p" "$t" '$5'); PM=$(med "$p" "$t" '$11/1024')
      if [ -z "$PQ" ] || [ -z "$NQ" ]; then echo "| $p | $t | ${PQ:--} | ${NQ:--} | - | | | | | | | |"; continue; fi
      awk -v p="$p" -v t="$t" -v pq="$PQ" -v nq="$NQ" -v pc="$PC" -v nc="$NC" -v pl="$PL" -v nl="$NL" -v pm="$PM" -v nm="$NM" 'BEGIN{
        printf "| %s | %s | %.0f | %.0f | %.2fx | %.1f | %.1f | %s | %.3f | %.3f | %.1f | %.1f |\n",
          p, t, pq, nq, nq/pq, pc, nc, (pc > 0 ? sprintf("%.2fx", nc/pc) : "-"), pl, nl, pm, nm
      }'
    done
  done
  echo
  echo "Medians of $RUNS runs; peers measured in the same invocation. QPS ratio above 1 and CPU/query ratio below 1 favour namud."
  exit 0
fi

# auth-qps.sh runs COMMAND with exec, so the zone directory is made by this wrapper, which then
# becomes namud (exec) so that auth-qps.sh measures and stops the JVM itself.
# namud serves every NAME.zone file of --zones as zone NAME: the zone file is linked in as bench.test.zone.
# --no-recursion: namud is measured as the authoritative-only server its peers are. With recursion on,
# a query with RD for a name below the zone's delegation (sub.bench.test, served by nobody here) is
# resolved for a loopback client, as BIND does, and waits out the timeouts of the missing child.
# --rrl-rate 0: rate limiting off, as the peers' configs have it (one source asking thousands of
# NXDOMAIN names a second is what RRL exists to limit), unless NAMUD_FLAGS sets it.
case " $NAMUD_FLAGS " in *" --rrl-rate"*) RRL_OFF= ;; *) RRL_OFF="--rrl-rate 0" ;; esac
cat >"$SCRATCH/run-namud" <<EOF
#!/usr/bin/env bash
# run-namud ADDR PORT ZONEFILE DIR
set -e
mkdir -p "\$4/zones"
ln -sf "\$3" "\$4/zones/bench.test.zone"
export JAVA="$JAVA_BIN" NAMUD_JAR="$JAR"
${NAMUD_OPTS+export NAMUD_OPTS="$NAMUD_OPTS"}
exec "$LAUNCHER" --no-api --no-recursion $RRL_OFF --data "\$4/namu-data" --listen "\$1:\$2" --zones "\$4/zones" $NAMUD_FLAGS $EXTRA
EOF
chmod +x "$SCRATCH/run-namud"

# the zone and query files are generated once and reused between invocations
DATA=${NAMU_BENCH_DATA:-/tmp/namu-bench-data}
ROWS=$SCRATCH/rows.tsv
echo "bench.sh: load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs; java $("$JAVA_BIN" -version 2>&1 | head -1)" >&2
"$BENCH/auth-qps.sh" $PIN $PORT $KEEP -r "$RUNS" -l "$DUR" -w "$WARM" -d "$DATA" -o "$ROWS" "$@" \
  "custom:namud:$SCRATCH/run-namud {addr} {port} {zonefile} {dir}" | tee "$SCRATCH/table.txt"
[ -n "$OUT" ] && cat "$ROWS" >>"$OUT"

# ------------------------------------------------------------------ ratios
median_of() { # NAME COLUMN
  awk -F'\t' -v n="$1" -v c="$2" '$1==n{print $c}' "$ROWS" | sort -g |
    awk '{a[NR]=$1} END{if(NR==0){exit} if(NR%2){print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'
}
per_cpu() { # NAME: median of QPS per server CPU-second
  awk -F'\t' -v n="$1" '$1==n && $11>0{print $4*100/$11}' "$ROWS" | sort -g |
    awk '{a[NR]=$1} END{if(NR==0){exit} if(NR%2){print a[(NR+1)/2]} else {print (a[NR/2]+a[NR/2+1])/2}}'
}
NQ=$(median_of namud 4)
NE=$(per_cpu namud)
echo
echo "| namud vs | mode | peer QPS | namud QPS | QPS ratio | peer QPS/CPU-s | namud QPS/CPU-s | CPU-s ratio |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
for p in "$@"; do
  PQ=$(median_of "$p" 4); PE=$(per_cpu "$p")
  if [ -z "$PQ" ] || [ -z "$NQ" ]; then echo "| $p | ${PIN:+pinned} | ${PQ:--} | ${NQ:--} | - | | | |"; continue; fi
  awk -v p="$p" -v m="${PIN:+pinned}" -v pq="$PQ" -v nq="$NQ" -v pe="${PE:-0}" -v ne="${NE:-0}" 'BEGIN{
    if (m == "") m = "unpinned"
    printf "| %s | %s | %.0f | %.0f | %.2fx | %.0f | %.0f | %s |\n", p, m, pq, nq, nq/pq, pe, ne, (pe > 0 ? sprintf("%.2fx", ne/pe) : "-")
  }'
done
