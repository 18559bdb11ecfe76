package dev.namu.resolver;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DNSSEC validation settings (RFC 4033-4035).
 *
 * @param enabled validate answers (on by default, as Unbound, BIND, Knot Resolver and PowerDNS
 *     Recursor do)
 * @param trustAnchors DS or DNSKEY records the chains of trust start from; empty: the root's
 *     built-in keys, used only when the resolver starts at the IANA root (a private root or a
 *     forwarder-only setup has keys of its own, which only the operator can give)
 * @param negativeTrustAnchors domains whose answers are not validated (RFC 7646): their
 *     answers are insecure, however their zones are signed
 * @param clock the time signatures' validity windows are checked against (RFC 4034 3.1.5)
 * @param maxNsec3Iterations NSEC3 records with more extra iterations prove nothing and make the
 *     answer insecure (RFC 9276 3.2; Unbound's limit is 150)
 */
public record DnssecConfig(boolean enabled, List<Record> trustAnchors, Set<Name> negativeTrustAnchors,
    Clock clock, int maxNsec3Iterations) {

  /** RFC 9276 section 3.2 leaves the bound to the validator; Unbound and BIND use 150. */
  public static final int DEFAULT_MAX_NSEC3_ITERATIONS = 150;

  public DnssecConfig {
    trustAnchors = List.copyOf(trustAnchors);
    negativeTrustAnchors = Set.copyOf(negativeTrustAnchors);
    Objects.requireNonNull(clock, "clock");
    for (Record r : trustAnchors) {
      if (r.getType() != Type.DS && r.getType() != Type.DNSKEY) {
        throw new IllegalArgumentException("a trust anchor is a DS or DNSKEY record, not " + r);
      }
    }
    if (maxNsec3Iterations < 0) {
      throw new IllegalArgumentException("NSEC3 iteration limit must be 0 or more: " + maxNsec3Iterations);
    }
  }

  /** Validation on, the built-in root keys, the system clock. */
  public static DnssecConfig defaults() {
    return new DnssecConfig(true, List.of(), Set.of(), Clock.systemUTC(), DEFAULT_MAX_NSEC3_ITERATIONS);
  }

  /** No validation: every answer is unchecked. */
  public static DnssecConfig off() {
    return new DnssecConfig(false, List.of(), Set.of(), Clock.systemUTC(), DEFAULT_MAX_NSEC3_ITERATIONS);
  }

  public DnssecConfig withEnabled(boolean on) {
    return new DnssecConfig(on, trustAnchors, negativeTrustAnchors, clock, maxNsec3Iterations);
  }

  public DnssecConfig withTrustAnchors(List<Record> anchors) {
    return new DnssecConfig(enabled, anchors, negativeTrustAnchors, clock, maxNsec3Iterations);
  }

  public DnssecConfig withNegativeTrustAnchors(Set<Name> domains) {
    return new DnssecConfig(enabled, trustAnchors, domains, clock, maxNsec3Iterations);
  }

  public DnssecConfig withClock(Clock c) {
    return new DnssecConfig(enabled, trustAnchors, negativeTrustAnchors, c, maxNsec3Iterations);
  }

  public DnssecConfig withMaxNsec3Iterations(int n) {
    return new DnssecConfig(enabled, trustAnchors, negativeTrustAnchors, clock, n);
  }
}
