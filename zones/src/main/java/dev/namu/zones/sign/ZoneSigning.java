package dev.namu.zones.sign;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * How one stored zone is signed: its keys, NSEC or NSEC3 (RFC 5155, with the RFC 9276 parameters:
 * SHA-1, no opt-out, no extra iterations, empty salt), how long a ZSK signs before it is rolled, and
 * the propagation delay each rollover step waits on top of the TTLs (the time a change takes to reach
 * every secondary, Knot's propagation-delay).
 */
public record ZoneSigning(Name origin, boolean nsec3, Duration zskLifetime, Duration propagationDelay,
    List<SigningKey> keys) {

  /** A ZSK rolls after 30 days by default, as Knot's zsk-lifetime. */
  public static final Duration DEFAULT_ZSK_LIFETIME = Duration.ofDays(30);
  /** An hour for a change to reach every secondary by default, as Knot's propagation-delay. */
  public static final Duration DEFAULT_PROPAGATION_DELAY = Duration.ofHours(1);

  public ZoneSigning {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(zskLifetime, "zskLifetime");
    Objects.requireNonNull(propagationDelay, "propagationDelay");
    if (zskLifetime.isNegative() || zskLifetime.isZero()) {
      throw new IllegalArgumentException("ZSK lifetime must be positive");
    }
    if (propagationDelay.isNegative()) {
      throw new IllegalArgumentException("propagation delay must not be negative");
    }
    keys = List.copyOf(keys);
  }

  /** With the default propagation delay. */
  public ZoneSigning(Name origin, boolean nsec3, Duration zskLifetime, List<SigningKey> keys) {
    this(origin, nsec3, zskLifetime, DEFAULT_PROPAGATION_DELAY, keys);
  }

  /** A new KSK and ZSK, both active at once, with the default propagation delay. */
  public static ZoneSigning generate(Name origin, SigningAlgorithm algorithm, boolean nsec3, Duration zskLifetime,
      Instant now) {
    return generate(origin, algorithm, nsec3, zskLifetime, DEFAULT_PROPAGATION_DELAY, now);
  }

  /** A new KSK and ZSK, both active at once (the zone is not signed yet, nothing is cached). */
  public static ZoneSigning generate(Name origin, SigningAlgorithm algorithm, boolean nsec3, Duration zskLifetime,
      Duration propagationDelay, Instant now) {
    return new ZoneSigning(origin, nsec3, zskLifetime, propagationDelay, List.of(
        SigningKey.generate(origin, KeyRole.KSK, algorithm, KeyState.ACTIVE, now),
        SigningKey.generate(origin, KeyRole.ZSK, algorithm, KeyState.ACTIVE, now)));
  }

  /** The keys that sign RRsets of {@code role}. */
  public List<SigningKey> signers(KeyRole role) {
    return keys.stream().filter(k -> k.role() == role && k.state().signing()).toList();
  }

  public ZoneSigning withKeys(List<SigningKey> next) {
    return new ZoneSigning(origin, nsec3, zskLifetime, propagationDelay, next);
  }
}
