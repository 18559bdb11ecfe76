#!/usr/bin/env bash
# Resolver hot-cache QPS with DNSSEC validation: namud validating (--trust-anchor), namud with
# --dnssec off, and Unbound validating (validator iterator, 2 threads), alternated in one run over
# one hierarchy signed here with dnssec-keygen/dnssec-signzone (., test., bench.test. with 1,000
# names, ECDSAP256SHA256) and served by NSD on 127.0.65.1-3. Each run: a fresh server, 2 warm-up
# passes over the 1,000 names, then dnsperf -l SECS (plain queries, -c 8 -T 2 -q 100); medians.
# MODE=cold: LEAVES signed leaf zones (z0.test. ..., default 200) of PER names each (default 100),
# each delegated from test. with its DS; each run a fresh server asked every name once, in a
# shuffled order (dnsperf -n 1 -c 8 -q 100), so every leaf's DS and DNSKEY are fetched and
# validated too: resolutions/s = names / dnsperf's run time, with SERVFAIL and lost counts.
#
# BASE=JAR adds a fourth server, namud validating from that jar (an A/B in the same run);
# WHO="on base" runs only those; JAVA_OPTS go to both namud JVMs (JFR: -XX:StartFlightRecording=...).
#
# usage: RUNS=3 SECS=8 flock /tmp/namu-bench.lock perf/validation-bench.sh [dns-server/target/namud.jar]
#        MODE=cold RUNS=3 flock /tmp/namu-bench.lock perf/validation-bench.sh
#        MODE=cold BASE=/tmp/base/namud.jar flock /tmp/namu-bench.lock perf/validation-bench.sh
# Needs nsd, unbound, dnsperf, dig and bind9-utils. Loopback only; every run is bounded.
set -euo pipefail
JAR=$(readlink -f "${1:-dns-server/target/namud.jar}"); RUNS=${RUNS:-3}; SECS=${SECS:-8}; P=${P:-25353}
MODE=${MODE:-hot}; LEAVES=${LEAVES:-200}; PER=${PER:-100}; BASE=${BASE:+$(readlink -f "$BASE")}
W=$(mktemp -d /tmp/vbench.XXXX); cd "$W"; mkdir keys z
sign() { # zone file-in alg -> signed z/NAME.zone, echoes key
  local zone=$1 in=$2 k
  k=$(dnssec-keygen -q -K keys -a ECDSAP256SHA256 -f KSK "$zone")
  echo "\$INCLUDE $W/keys/$k.key" >> "$in"
  dnssec-signzone -q -z -O full -K keys -o "$zone" -f "z/$3" "$in" "$k" >/dev/null
  echo "$k"
}
leaf() { # zone names-file -> signed z/ZONE.zone and its DS line in ds.in; its names in names.txt
  { echo '$TTL 3600'; echo "$1 IN SOA ns.$1 h.$1 1 3600 600 86400 60"
    echo "$1 IN NS ns.$1"; echo "ns.$1 IN A 127.0.65.3"
    for i in $(seq 0 $(($2 - 1))); do echo "h$i.$1 IN A 192.0.2.$((i % 250 + 1))"; done; } > leaf.in
  local k; k=$(sign "$1" leaf.in "$1zone"); dnssec-dsfromkey -2 keys/$k.key >> ds.in
  LZ+=("$1"); echo "$1 NS ns.$1" >> deleg.in; echo "ns.$1 A 127.0.65.3" >> deleg.in
  for i in $(seq 0 $(($2 - 1))); do echo "h$i.$1 A"; done >> names.txt
}
: > ds.in; : > deleg.in; : > names.txt; LZ=()
if [ "$MODE" = cold ]; then
  for z in $(seq 0 $((LEAVES - 1))); do leaf "z$z.test." "$PER"; done
  shuf --random-source=<(yes) names.txt > names.shuf; mv names.shuf names.txt   # same order each run
else
  leaf bench.test. 1000
fi
{ echo '$TTL 3600'; echo 'test. IN SOA ns.nic.test. h.nic.test. 1 3600 600 86400 60'; echo 'test. IN NS ns.nic.test.'
  echo 'ns.nic.test. IN A 127.0.65.2'; cat deleg.in ds.in; } > tld.in
tk=$(sign test. tld.in test.zone)
{ echo '$TTL 86400'; echo '. IN SOA a.root-servers. h.root-servers. 1 3600 600 86400 60'; echo '. IN NS a.root-servers.'
  echo 'a.root-servers. IN A 127.0.65.1'; echo 'test. IN NS ns.nic.test.'; echo 'ns.nic.test. IN A 127.0.65.2'
  dnssec-dsfromkey -2 keys/$tk.key; } > root.in
rk=$(sign . root.in root.zone)
dnssec-dsfromkey -2 keys/$rk.key > root.ds
printf '. 3600000 NS a.root-servers.\na.root-servers. 3600000 A 127.0.65.1\n' > named.root
PIDS=()
nsd_for() { # addr zone... (each zone from z/ZONEzone)
  mkdir -p n$1; cat > n$1/nsd.conf <<C
server:
  ip-address: $1@$P
  port: $P
  do-ip6: no
  username: ""
  chroot: ""
  zonesdir: "$W/z"
  pidfile: "$W/n$1/nsd.pid"
  database: ""
  xfrdfile: "$W/n$1/xfrd"
  zonelistfile: "$W/n$1/zl"
  logfile: "$W/n$1/log"
  server-count: 1
remote-control:
  control-enable: no
C
  local a=$1 zn; shift
  for zn in "$@"; do printf 'zone:\n  name: "%s"\n  zonefile: "%s"\n' "$zn" "$([ "$zn" = . ] && echo root.zone || echo "${zn}zone")"; done >> n$a/nsd.conf
  nsd -d -c n$a/nsd.conf & PIDS+=($!)
}
nsd_for 127.0.65.1 .; nsd_for 127.0.65.2 test.; nsd_for 127.0.65.3 "${LZ[@]}"
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
sleep 2
cat > unbound.conf <<C
server:
  interface: 127.0.0.1
  port: 5392
  do-ip6: no
  do-not-query-localhost: no
  username: ""
  chroot: ""
  directory: "$W"
  pidfile: "$W/unbound.pid"
  use-syslog: no
  logfile: "$W/unbound.log"
  verbosity: 0
  num-threads: 2
  module-config: "validator iterator"
  trust-anchor-file: "$W/root.ds"
  access-control: 127.0.0.0/8 allow
  local-zone: "test." nodefault
  qname-minimisation: yes
  minimal-responses: yes
stub-zone:
  name: "."
  stub-addr: 127.0.65.1@$P
stub-zone:
  name: "test."
  stub-addr: 127.0.65.2@$P
C
# Unbound has no upstream port: a stub per zone says where each is served (it still asks test. for each DS)
for zn in "${LZ[@]}"; do printf 'stub-zone:\n  name: "%s"\n  stub-addr: 127.0.65.3@%s\n' "$zn" "$P"; done >> unbound.conf
measure() { # port -> qps
  dnsperf -s 127.0.0.1 -p "$2" -d names.txt -n 2 -c 8 -q 100 >/dev/null 2>&1 || true   # warm: 2 passes
  dnsperf -s 127.0.0.1 -p "$2" -d names.txt -l "$SECS" -c 8 -T 2 -q 100 2>/dev/null \
    | awk '/Queries per second/ {print $4}'
}
measure_cold() { # port -> "resolutions/s servfail lost": every name once, in one pass
  dnsperf -s 127.0.0.1 -p "$1" -d names.txt -n 1 -c 8 -q 100 -t 10 2>/dev/null | awk -v n="$(wc -l < names.txt)" '
    /Queries lost:/ {lost = $3} /Run time \(s\):/ {t = $4}
    /Response codes:/ {for (i = 3; i <= NF; i++) if ($i == "SERVFAIL") sf = $(i + 1)}
    END {printf "%.0f %d %d\n", n / t, sf, lost}'
}
wait_up() { for i in $(seq 1 100); do dig +norec +time=1 +tries=1 -p "$1" @127.0.0.1 "$(head -1 names.txt | cut -d' ' -f1)" A >/dev/null 2>&1 && return 0; sleep 0.3; done; return 1; }
declare -A R
mkdir -p "$W/z-empty"
for run in $(seq 1 "$RUNS"); do
  for who in ${WHO:-${BASE:+base} on off unbound}; do
    case $who in
      base) java -Xmx1g ${JAVA_OPTS:-} -jar "$BASE" --listen 127.0.0.1:5391 --no-api --no-metrics --data "$W/d-$run-base" --zones "$W/z-empty" --root-hints named.root --upstream-port $P --no-local-zone test --log-level WARN --trust-anchor root.ds & pid=$!; port=5391 ;;
      on)  java -Xmx1g ${JAVA_OPTS:-} -jar "$JAR" --listen 127.0.0.1:5391 --no-api --no-metrics --data "$W/d-$run-on" --zones "$W/z-empty" --root-hints named.root --upstream-port $P --no-local-zone test --log-level WARN --trust-anchor root.ds & pid=$!; port=5391 ;;
      off) java -Xmx1g ${JAVA_OPTS:-} -jar "$JAR" --listen 127.0.0.1:5391 --no-api --no-metrics --data "$W/d-$run-off" --zones "$W/z-empty" --root-hints named.root --upstream-port $P --no-local-zone test --log-level WARN --dnssec off & pid=$!; port=5391 ;;
      unbound) unbound -d -c unbound.conf & pid=$!; port=5392 ;;
    esac
    wait_up $port || { echo "$who did not answer" >&2; kill $pid; exit 1; }
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    if [ "$MODE" = cold ]; then read -r q sf lost < <(measure_cold $port); else q=$(measure $port); fi
    R[$who]+="$q "
    ad=$(dig +dnssec +time=2 -p $port @127.0.0.1 "$(sed -n 7p names.txt | cut -d' ' -f1)" A \
      | awk '/status:/ {s = $6} /^;; flags:/ {a = / ad[; ]/ ? 1 : 0} END {print a, s}' | tr -d ,)
    if [ "$MODE" = cold ]; then echo "run $run $who resolutions/s $q servfail $sf lost $lost of $(wc -l < names.txt) (ad on a DO query: $ad, load $load)" >&2
    else echo "run $run $who qps $q (ad on a DO query: $ad, load $load)" >&2; fi
    kill $pid; wait $pid 2>/dev/null || true
  done
done
med() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
on=$(echo ${R[on]:-0} | med); off=$(echo ${R[off]:-0} | med); ub=$(echo ${R[unbound]:-0} | med)
if [ -n "$BASE" ]; then echo "median namud validating from BASE $(echo ${R[base]:-0} | med)"; fi
echo "medians: namud validating $on, namud --dnssec off $off, unbound validating $ub"
echo "on/off $(echo "scale=3; $on/$off" | bc), namud validating/unbound validating $(echo "scale=3; $on/$ub" | bc)"
