package dev.namu.zones.sign;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The steps of a zone's key rollovers, decided from the keys' states and since when they hold them.
 *
 * <p>ZSK by pre-publication (RFC 6781 4.1.1.1): when the active ZSK has signed for its lifetime (or
 * the user starts a rollover), a new ZSK is published; once the DNSKEY RRset with it can be in every
 * cache (its TTL and the zone's propagation delay) it signs instead of the old one, which stays
 * published, retired, until the old signatures can have left the caches (the largest TTL in the zone
 * and the delay), and is then removed.
 *
 * <p>KSK by double-DS (RFC 6781 4.1.2), started by hand: the new KSK's DS goes to the parent beside
 * the old one; when the user says the parent publishes it (and its TTL has passed), the new KSK
 * replaces the old in the DNSKEY RRset at once, and the old DS can go from the parent.
 */
public final class KeySchedule {

  private KeySchedule() {}

  /**
   * The keys after the steps due at {@code now}, or empty when none is.
   *
   * @param dnskeyTtl the TTL of the DNSKEY RRset
   * @param maxTtl the largest TTL of a signed RRset in the zone
   */
  public static Optional<ZoneSigning> step(ZoneSigning signing, Instant now, Duration dnskeyTtl, Duration maxTtl) {
    List<SigningKey> keys = new ArrayList<>(signing.keys());
    Duration delay = signing.propagationDelay();
    boolean changed = false;
    SigningKey active = first(keys, KeyRole.ZSK, KeyState.ACTIVE);
    SigningKey published = first(keys, KeyRole.ZSK, KeyState.PUBLISHED);
    if (published != null && !now.isBefore(published.since().plus(dnskeyTtl).plus(delay))) {
      keys.set(keys.indexOf(published), published.withState(KeyState.ACTIVE, now));
      if (active != null) {
        keys.set(keys.indexOf(active), active.withState(KeyState.RETIRED, now));
      }
      changed = true;
    } else if (published == null && active != null && !now.isBefore(active.since().plus(signing.zskLifetime()))) {
      keys.add(SigningKey.generate(signing.origin(), KeyRole.ZSK, active.algorithm(), KeyState.PUBLISHED, now));
      changed = true;
    }
    for (SigningKey k : List.copyOf(keys)) {
      if (k.role() == KeyRole.ZSK && k.state() == KeyState.RETIRED
          && !now.isBefore(k.since().plus(maxTtl).plus(delay))) {
        keys.remove(k);
        changed = true;
      }
    }
    return changed ? Optional.of(signing.withKeys(keys)) : Optional.empty();
  }

  /** When {@link #step} next has something to do, or empty when nothing is scheduled. */
  public static Optional<Instant> nextStep(ZoneSigning signing, Duration dnskeyTtl, Duration maxTtl) {
    Duration delay = signing.propagationDelay();
    Instant next = null;
    for (SigningKey k : signing.keys()) {
      Instant at = null;
      if (k.role() == KeyRole.ZSK && k.state() == KeyState.PUBLISHED) {
        at = k.since().plus(dnskeyTtl).plus(delay);
      } else if (k.role() == KeyRole.ZSK && k.state() == KeyState.RETIRED) {
        at = k.since().plus(maxTtl).plus(delay);
      } else if (k.role() == KeyRole.ZSK && k.state() == KeyState.ACTIVE
          && first(signing.keys(), KeyRole.ZSK, KeyState.PUBLISHED) == null) {
        at = k.since().plus(signing.zskLifetime());
      }
      if (at != null && (next == null || at.isBefore(next))) {
        next = at;
      }
    }
    return Optional.ofNullable(next);
  }

  /**
   * Starts a ZSK rollover now rather than at the end of the active ZSK's lifetime: a new ZSK is
   * published, and {@link #step} takes it on from there with the same waits. Empty when a ZSK
   * rollover is under way (a ZSK published or retired) or no ZSK signs.
   */
  public static Optional<ZoneSigning> startZskRollover(ZoneSigning signing, Instant now) {
    SigningKey active = first(signing.keys(), KeyRole.ZSK, KeyState.ACTIVE);
    if (active == null || first(signing.keys(), KeyRole.ZSK, KeyState.PUBLISHED) != null
        || first(signing.keys(), KeyRole.ZSK, KeyState.RETIRED) != null) {
      return Optional.empty();
    }
    List<SigningKey> keys = new ArrayList<>(signing.keys());
    keys.add(SigningKey.generate(signing.origin(), KeyRole.ZSK, active.algorithm(), KeyState.PUBLISHED, now));
    return Optional.of(signing.withKeys(keys));
  }

  /** Starts a KSK rollover: a new KSK waiting for its DS at the parent; empty when one is under way. */
  public static Optional<ZoneSigning> startKskRollover(ZoneSigning signing, Instant now) {
    SigningKey active = first(signing.keys(), KeyRole.KSK, KeyState.ACTIVE);
    if (active == null || first(signing.keys(), KeyRole.KSK, KeyState.DS_PENDING) != null) {
      return Optional.empty();
    }
    List<SigningKey> keys = new ArrayList<>(signing.keys());
    keys.add(SigningKey.generate(signing.origin(), KeyRole.KSK, active.algorithm(), KeyState.DS_PENDING, now));
    return Optional.of(signing.withKeys(keys));
  }

  /** The parent publishes the new KSK's DS: it replaces the old KSK; empty when no rollover waits. */
  public static Optional<ZoneSigning> dsPublished(ZoneSigning signing, Instant now) {
    SigningKey pending = first(signing.keys(), KeyRole.KSK, KeyState.DS_PENDING);
    if (pending == null) {
      return Optional.empty();
    }
    List<SigningKey> keys = new ArrayList<>();
    for (SigningKey k : signing.keys()) {
      if (k == pending) {
        keys.add(k.withState(KeyState.ACTIVE, now));
      } else if (k.role() != KeyRole.KSK) {
        keys.add(k);
      }
    }
    return Optional.of(signing.withKeys(keys));
  }

  private static SigningKey first(List<SigningKey> keys, KeyRole role, KeyState state) {
    for (SigningKey k : keys) {
      if (k.role() == role && k.state() == state) {
        return k;
      }
    }
    return null;
  }
}
