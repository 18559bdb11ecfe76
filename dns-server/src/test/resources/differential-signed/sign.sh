#!/bin/sh
# Makes signed.test.zone (NSEC) and signed3.test.zone (NSEC3, no salt, no extra iterations, no
# opt-out: RFC 9276) from unsigned.zone.in with dnssec-signzone (Debian bind9-utils), and
# optout.test.zone (NSEC3 with a salt, one extra iteration and opt-out, RFC 5155 6) with
# ldns-signzone (Debian ldnsutils), signatures valid for 20 years. Run once from this directory; the outputs are checked in, so the tests need
# no signer. Keys live in a temporary directory and are thrown away: a DS for secure.<zone> comes
# from a key made for it alone.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
keys=$(mktemp -d)
trap 'rm -rf "$keys"' EXIT
for zone in signed.test signed3.test; do
  cd "$keys"
  child=$(dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -n ZONE "secure.$zone")
  ksk=$(dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -n ZONE "$zone")
  zsk=$(dnssec-keygen -q -a ECDSAP256SHA256 -n ZONE "$zone")
  {
    echo "\$ORIGIN $zone."
    cat "$here/unsigned.zone.in"
    dnssec-dsfromkey -2 "$child.key"
    cat "$ksk.key" "$zsk.key"
  } > "$zone.in"
  case $zone in
    signed3.*) chain="-3 - -H 0" ;;
    *) chain="" ;;
  esac
  # -e +20y: the tests must not start failing when the signatures expire
  # shellcheck disable=SC2086
  dnssec-signzone -q -o "$zone" -e +630720000 -s -3600 $chain -O full -f "$here/$zone.zone" "$zone.in" "$zsk" "$ksk"
done
zone=optout.test
cd "$keys"
child=$(dnssec-keygen -q -a ECDSAP256SHA256 -f KSK -n ZONE "secure.$zone")
ksk=$(ldns-keygen -a ECDSAP256SHA256 -k "$zone")
zsk=$(ldns-keygen -a ECDSAP256SHA256 "$zone")
{
  echo "\$ORIGIN $zone."
  cat "$here/unsigned.zone.in"
  dnssec-dsfromkey -2 "$child.key"
} > "$zone.in"
now=$(date -u +%s)
ldns-signzone -n -p -s 5ca1ab1e -t 1 -i $((now - 3600)) -e $((now + 630720000)) -o "$zone" -f "$here/$zone.zone" "$zone.in" "$zsk" "$ksk"
