#!/usr/bin/env bash
# Amplification under a spoofed flood: for each case, 10,000 queries from one source address at
# namud (its defaults: rate limiting on for clients that may not recurse; here --no-recursion, an
# authoritative server on the Internet) and at NSD with its default rate limiting (rrl-ratelimit
# 200, rrl-slip 2, /24), in the same run; a table of bytes out / bytes in per server and case.
#   1 kB TXT      the same name and type, a 1 kB TXT answer
#   NXDOMAIN      the same name that does not exist
#   random NX     a random name under the zone each time
#   ANY apex      ANY at the zone's apex
# Each case comes from its own source address (127.0.N.1), so no case starts in another's debt.
#
# usage: perf/amplification.sh [-p PORT] [-n COUNT] [-j JAVA]
#   -p PORT   namud's port; NSD answers on PORT+1 (default 15460)
#   -n COUNT  queries per case (10000)
# Run it under the benchmark lock: flock /tmp/namu-bench.lock perf/amplification.sh
# Loopback only; every flood is bounded.
set -euo pipefail

PORT=15460 COUNT=10000 JAVA_BIN=java
while getopts "p:n:j:h" o; do
  case $o in
    p) PORT=$OPTARG ;; n) COUNT=$OPTARG ;; j) JAVA_BIN=$OPTARG ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
  esac
done
REPO=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "amplification.sh: $*" >&2; exit 1; }
command -v nsd >/dev/null || die "nsd is not installed (apt-get install nsd)"
command -v dig >/dev/null || die "dig is not installed (apt-get install bind9-dnsutils)"
JAR=$REPO/dns-server/target/namud.jar
if [ ! -s "$JAR" ] || [ -n "$(find "$REPO/zones/src/main" "$REPO/resolver/src/main" "$REPO/dns-server/src/main" -newer "$JAR" -type f -print -quit)" ]; then
  echo "amplification.sh: building namud" >&2
  (cd "$REPO" && mvn -B -q -pl dns-server -am package -DskipTests) >&2 || die "namud build failed"
fi

WORK=$(mktemp -d /tmp/namu-amplification.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/zones" "$WORK/nsd"
TXT=$(python3 -c 'print(" ".join("\"" + chr(97 + i) * 250 + "\"" for i in range(4)))')
cat >"$WORK/zones/amp.test.zone" <<ZONE
\$ORIGIN amp.test.
\$TTL 3600
@ IN SOA ns1.amp.test. hostmaster.amp.test. 1 7200 3600 1209600 300
@ IN NS ns1
@ IN NS ns2
@ IN MX 10 mail
@ IN TXT "v=spf1 -all"
ns1 IN A 192.0.2.1
ns2 IN A 192.0.2.2
mail IN A 192.0.2.25
big IN TXT $TXT
ZONE

cat >"$WORK/nsd/nsd.conf" <<CONF
server:
  ip-address: 127.0.0.1@$((PORT + 1))
  server-count: 1
  do-ip6: no
  username: ""
  chroot: ""
  zonesdir: "$WORK/nsd"
  database: ""
  zonelistfile: "$WORK/nsd/zone.list"
  xfrdfile: "$WORK/nsd/xfrd.state"
  xfrdir: "$WORK/nsd"
  pidfile: "$WORK/nsd/nsd.pid"
  logfile: "$WORK/nsd/nsd.log"
  verbosity: 0
  # rate limiting as NSD ships it: rrl-ratelimit 200, rrl-slip 2, rrl-ipv4-prefix-length 24
remote-control:
  control-enable: no
zone:
  name: amp.test
  zonefile: "$WORK/zones/amp.test.zone"
CONF

nsd -d -c "$WORK/nsd/nsd.conf" >"$WORK/nsd.out" 2>&1 &
PIDS+=($!)
"$JAVA_BIN" -Xms256m -Xmx256m -jar "$JAR" --no-api --no-metrics --no-recursion --data "$WORK/data" \
  --zones "$WORK/zones" --listen "127.0.0.1:$PORT" >"$WORK/namud.out" 2>&1 &
PIDS+=($!)

ready() {
  for _ in $(seq 1 60); do
    dig @127.0.0.1 -p "$1" +time=1 +tries=1 amp.test SOA 2>/dev/null | grep -q "status: NOERROR" && return 0
    sleep 1
  done
  return 1
}
ready "$PORT" || { cat "$WORK/namud.out" >&2; die "namud did not answer on $PORT"; }
ready $((PORT + 1)) || { cat "$WORK/nsd.out" >&2; die "nsd did not answer on $((PORT + 1))"; }

echo "| case | server | queries | bytes in | replies | bytes out | factor | full | truncated | other |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
n=0
while IFS='|' read -r name qname qtype; do
  n=$((n + 1))
  for server in namud nsd; do
    port=$PORT
    [ $server = nsd ] && port=$((PORT + 1))
    # namud and NSD each get a source of their own for each case: fresh buckets on both
    [ $server = nsd ] && source=127.0.$((2 * n + 1)).1 || source=127.0.$((2 * n)).1
    read -r sent bin replies bout full tc other < <(python3 "$REPO/perf/amplification.py" 127.0.0.1 "$port" "$source" "$qname" "$qtype" "$COUNT")
    factor=$(python3 -c "print(f'{$bout / $bin:.2f}')")
    echo "| $name | $server | $sent | $bin | $replies | $bout | $factor | $full | $tc | $other |"
  done
done <<CASES
1 kB TXT|big.amp.test|TXT
NXDOMAIN|nx.amp.test|A
random NX|{rand}.amp.test|A
ANY apex|amp.test|ANY
CASES
