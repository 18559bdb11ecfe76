package dev.namu.zones.sign;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * How one stored zone is signed: its keys, NSEC or NSEC3 (RFC 5155, with the RFC 9276 parameters:
 * SHA-1, no opt-out, no extra iterations, empty salt), and how long a ZSK signs before it is rolled.
 */
public record ZoneSigning(Name origin, boolean nsec3, Duration zskLifetime, List<SigningKey> keys) {

  /** A ZSK rolls after 30 days by default, as Knot's zsk-lifetime. */
  public static final Duration DEFAULT_ZSK_LIFETIME = Duration.ofDays(30);

  public ZoneSigning {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(zskLifetime, "zskLifetime");
    if (zskLifetime.isNegative() || zskLifetime.isZero()) {
      throw new IllegalArgumentException("ZSK lifetime must be positive");
    }
    keys = List.copyOf(keys);
  }

  /** A new KSK and ZSK, both active at once (the zone is not signed yet, nothing is cached). */
  public static ZoneSigning generate(Name origin, SigningAlgorithm algorithm, boolean nsec3, Duration zskLifetime,
      Instant now) {
    return new ZoneSigning(origin, nsec3, zskLifetime, List.of(
        SigningKey.generate(origin, KeyRole.KSK, algorithm, KeyState.ACTIVE, now),
        SigningKey.generate(origin, KeyRole.ZSK, algorithm, KeyState.ACTIVE, now)));
  }

  /** The keys that sign RRsets of {@code role}. */
  public List<SigningKey> signers(KeyRole role) {
    return keys.stream().filter(k -> k.role() == role && k.state().signing()).toList();
  }

  public ZoneSigning withKeys(List<SigningKey> next) {
    return new ZoneSigning(origin, nsec3, zskLifetime, next);
  }
}
