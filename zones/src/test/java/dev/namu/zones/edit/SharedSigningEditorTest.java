package dev.namu.zones.edit;

import static dev.namu.zones.edit.EditFixtures.n;
import static dev.namu.zones.edit.EditFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.sign.KeyRole;
import dev.namu.zones.sign.KeySchedule;
import dev.namu.zones.sign.KeyState;
import dev.namu.zones.sign.SigningAlgorithm;
import dev.namu.zones.sign.SigningKey;
import dev.namu.zones.sign.ZoneSigning;
import dev.namu.zones.store.memory.MemoryZoneStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The keys of a zone two namud sharing a store both sign: each runs the signing upkeep, so both
 * take the same rollover step from the same keys; the store lets the first write its keys and the
 * other reads them, so the zone never gets two key sets (one namud's new ZSK overwritten by the
 * other's, the pre-publication wait started again under a key the caches never saw).
 */
class SharedSigningEditorTest {

  final MemoryZoneStore shared = new MemoryZoneStore();
  final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T00:00:00Z"));
  final Name home = n("home.lan.");
  ZoneEditor a;
  ZoneEditor b;

  @BeforeEach
  void setUp() {
    a = ZoneEditor.open(shared, new ZoneRegistry(), Set.of(), clock);
    assertInstanceOf(EditOutcome.Applied.class, a.create(home, zone("home.lan.", 1), "a"));
    assertInstanceOf(EditOutcome.Applied.class, a.sign(ZoneSigning.generate(home, SigningAlgorithm.ECDSAP256SHA256,
        false, Duration.ofDays(30), Duration.ZERO, clock.instant()), "a"));
    b = ZoneEditor.open(shared, new ZoneRegistry(), Set.of(), clock);
  }

  @Test
  void aRolloverStepTakenByBothIsWrittenOnceAndBothSignWithItsKeys() {
    clock.now = clock.now.plus(Duration.ofDays(30));
    // both are due: the ZSK's lifetime is over; a publishes a new ZSK first, b still holds the old keys
    assertInstanceOf(EditOutcome.Applied.class, a.maintainSigning(home, "signer"));
    ZoneSigning first = shared.signing().get(home);
    SigningKey published = onlyKey(first, KeyState.PUBLISHED);
    assertInstanceOf(EditOutcome.Applied.class, b.maintainSigning(home, "signer"));

    assertEquals(first, shared.signing().get(home), "the first step's keys stay in the store");
    assertEquals(Optional.of(first), b.signing(home), "b signs with the keys a wrote");
    assertEquals(published, onlyKey(b.signing(home).orElseThrow(), KeyState.PUBLISHED));
    assertEquals(dnskeys(a), dnskeys(b), "both serve one DNSKEY RRset");
  }

  @Test
  void aKskRolloverStartedByOneIsNotOverwrittenByTheOthersStep() {
    // a starts a KSK rollover: its new key waits for its DS, not in the zone, no new serial
    assertInstanceOf(EditOutcome.Applied.class, a.changeKeys(home, s -> KeySchedule.startKskRollover(
        s.orElseThrow(), clock.instant()), "a"));
    SigningKey pending = onlyKey(shared.signing().get(home), KeyState.DS_PENDING);
    clock.now = clock.now.plus(Duration.ofDays(30));
    // b, which has not read the store since, takes the ZSK step due now
    assertInstanceOf(EditOutcome.Applied.class, b.maintainSigning(home, "signer"));
    ZoneSigning stored = shared.signing().get(home);
    assertEquals(pending, onlyKey(stored, KeyState.DS_PENDING), "the KSK waiting for its DS is kept");
    assertEquals(1, stored.keys().stream().filter(k -> k.state() == KeyState.PUBLISHED).count(), stored.toString());
    assertEquals(Optional.of(stored), b.signing(home));
  }

  private static SigningKey onlyKey(ZoneSigning s, KeyState state) {
    List<SigningKey> keys = s.keys().stream().filter(k -> k.state() == state).toList();
    assertEquals(1, keys.size(), s.toString());
    assertEquals(state == KeyState.DS_PENDING ? KeyRole.KSK : KeyRole.ZSK, keys.get(0).role());
    return keys.get(0);
  }

  private Set<String> dnskeys(ZoneEditor editor) {
    return Set.copyOf(editor.zone(home).orElseThrow().records().stream()
        .filter(r -> r.getType() == Type.DNSKEY).map(r -> r.rdataToString()).toList());
  }

  /** A clock the test moves on. */
  static final class MovableClock extends Clock {
    Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
