package dev.namu.zones.edit;

import static dev.namu.zones.edit.EditFixtures.n;
import static dev.namu.zones.edit.EditFixtures.r;
import static dev.namu.zones.edit.EditFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.sign.SigningAlgorithm;
import dev.namu.zones.sign.ZoneSigning;
import dev.namu.zones.store.ForwardingZoneStore;
import dev.namu.zones.store.JournalEntry;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneWrite;
import dev.namu.zones.store.memory.MemoryZoneStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Two editors on one store, as two namud on one shared database: each serves what it last read, the
 * store orders their commits, and an edit that finds the zone moved on is made again on what is
 * stored now, never lost and never applied over a prerequisite that no longer holds.
 */
class SharedStoreEditorTest {

  final MemoryZoneStore shared = new MemoryZoneStore();
  final ZoneRegistry registryA = new ZoneRegistry();
  final ZoneRegistry registryB = new ZoneRegistry();
  final Name home = n("home.lan.");
  ZoneEditor a;
  ZoneEditor b;

  @BeforeEach
  void setUp() {
    a = ZoneEditor.open(shared, registryA);
    assertInstanceOf(EditOutcome.Applied.class, a.create(home, zone("home.lan.", 1), "a"));
    b = ZoneEditor.open(shared, registryB);
  }

  private static EditOutcome add(ZoneEditor editor, Name zone, Record record) {
    return editor.edit(ZoneChange.of(zone, new RecordOperation.Add(record)), "tester");
  }

  @Test
  void anEditFromAStaleCopyIsMadeAgainOnTheStoredZoneAndKeepsBoth() {
    Record nas = r("nas.home.lan.", 300, "A", "192.168.0.12");
    Record pi = r("pi.home.lan.", 300, "A", "192.168.0.50");
    assertInstanceOf(EditOutcome.Applied.class, add(a, home, nas));
    // b still serves serial 1; the store is at 2
    assertEquals(1, b.zone(home).orElseThrow().serial());
    assertInstanceOf(EditOutcome.Applied.class, add(b, home, pi));
    List<Record> stored = shared.load(home).orElseThrow().records();
    assertTrue(stored.contains(nas) && stored.contains(pi), stored.toString());
    assertEquals(3, shared.load(home).orElseThrow().serial());
    assertEquals(3, b.zone(home).orElseThrow().serial());
    assertTrue(registryB.current().zone(home).records().contains(nas), "b serves a's edit too");
    List<JournalEntry> journal = shared.journal(home, 10);
    for (int i = 1; i < journal.size(); i++) {
      assertEquals(journal.get(i - 1).serialAfter(), journal.get(i).serialBefore(), journal.toString());
    }
  }

  @Test
  void aPrerequisiteIsCheckedAgainAgainstTheZoneAsStoredNow() {
    Record nas = r("nas.home.lan.", 300, "A", "192.168.0.12");
    assertInstanceOf(EditOutcome.Applied.class, add(a, home, nas));
    // RFC 2136 2.4.5 "name is not in use": true of b's copy, false of the stored zone
    ZoneChange change = new ZoneChange(home, List.of(new Prerequisite.NameNotInUse(n("nas.home.lan."))),
        List.of(new RecordOperation.Add(r("nas.home.lan.", 300, "TXT", "\"b\""))), ChangeMode.RFC2136);
    EditOutcome.Rejected rejected = assertInstanceOf(EditOutcome.Rejected.class, b.edit(change, "b"));
    assertEquals(RejectReason.NAME_IN_USE, rejected.reason());
    assertEquals(2, shared.load(home).orElseThrow().serial(), "nothing written");
  }

  @Test
  void aZoneCreatedElsewhereIsRefusedAsExistingAndThenServed() {
    Name lab = n("lab.lan.");
    assertInstanceOf(EditOutcome.Applied.class, a.create(lab, zone("lab.lan.", 1), "a"));
    EditOutcome.Rejected rejected = assertInstanceOf(EditOutcome.Rejected.class, b.create(lab, zone("lab.lan.", 5), "b"));
    assertEquals(RejectReason.ZONE_EXISTS, rejected.reason());
    assertEquals(1, b.zone(lab).orElseThrow().serial());
  }

  @Test
  void refreshServesWhatAnotherWriterCreatedChangedAndDeleted() {
    Name lab = n("lab.lan.");
    assertInstanceOf(EditOutcome.Applied.class, a.create(lab, zone("lab.lan.", 1), "a"));
    assertTrue(b.refresh(lab));
    assertEquals(1, registryB.current().zone(lab).serial());
    assertFalse(b.refresh(lab), "nothing new");
    Record nas = r("nas.lab.lan.", 300, "A", "192.168.1.2");
    assertInstanceOf(EditOutcome.Applied.class, add(a, lab, nas));
    assertTrue(b.refresh(lab));
    assertTrue(registryB.current().zone(lab).records().contains(nas));
    assertInstanceOf(EditOutcome.Applied.class, a.delete(lab, "a"));
    assertTrue(b.refresh(lab));
    assertNull(registryB.current().zone(lab));
    assertTrue(b.zone(lab).isEmpty());
  }

  @Test
  void aZoneDeletedAndCreatedAgainWithTheSameSerialIsReadAgain() {
    assertInstanceOf(EditOutcome.Applied.class, a.delete(home, "a"));
    List<Record> other = new java.util.ArrayList<>(zone("home.lan.", 1));
    other.add(r("new.home.lan.", 300, "A", "192.168.0.99"));
    assertInstanceOf(EditOutcome.Applied.class, a.create(home, other, "a"));
    assertEquals(1, b.zone(home).orElseThrow().serial());
    assertTrue(b.refresh(home), "same serial, other records");
    assertTrue(registryB.current().zone(home).records().contains(r("new.home.lan.", 300, "A", "192.168.0.99")));
  }

  @Test
  void anEditThatKeepsLosingIsRefusedClearlyAndChangesNothing() {
    AtomicInteger others = new AtomicInteger();
    ZoneEditor loser = ZoneEditor.open(busyStore(others), new ZoneRegistry());
    long before = shared.load(home).orElseThrow().serial();
    EditOutcome.Rejected rejected = assertInstanceOf(EditOutcome.Rejected.class,
        add(loser, home, r("mine.home.lan.", 300, "A", "192.168.0.200")));
    assertEquals(RejectReason.STORE_FAILED, rejected.reason());
    assertTrue(rejected.message().contains("another server changed the zone first " + ZoneEditor.ATTEMPTS + " times"),
        rejected.message());
    assertEquals(ZoneEditor.ATTEMPTS, others.get());
    assertEquals(before + ZoneEditor.ATTEMPTS, shared.load(home).orElseThrow().serial());
    assertFalse(shared.load(home).orElseThrow().records().stream().anyMatch(x -> x.getType() == Type.A
        && x.getName().equals(n("mine.home.lan."))), "nothing of the refused edit written");
  }

  @Test
  void aZoneUnsignedFromAStaleCopyEndsUnsignedForBoth() {
    assertInstanceOf(EditOutcome.Applied.class, a.sign(signing(), "a"));
    assertTrue(b.refresh(home));
    assertTrue(b.signing(home).isPresent(), "b signs its edits too");
    assertInstanceOf(EditOutcome.Applied.class, add(b, home, r("nas.home.lan.", 300, "A", "192.168.0.12")));
    // a still serves the serial before b's edit: its unsign loses the race, reads again and wins
    EditOutcome unsigned = a.unsign(home, "a");
    assertInstanceOf(EditOutcome.Applied.class, unsigned, unsigned.toString());
    assertEquals(Map.of(), shared.signing());
    assertTrue(a.signing(home).isEmpty());
    assertFalse(shared.load(home).orElseThrow().records().stream().anyMatch(x -> x.getType() == Type.RRSIG
        || x.getType() == Type.DNSKEY || x.getType() == Type.NSEC), "no DNSSEC record left");
    assertTrue(shared.load(home).orElseThrow().records().contains(r("nas.home.lan.", 300, "A", "192.168.0.12")));
    assertTrue(b.refresh(home));
    assertTrue(b.signing(home).isEmpty(), "b's edits are no longer signed");
  }

  @Test
  void keysOfASigningThatKeepsLosingAreNotStored() {
    AtomicInteger others = new AtomicInteger();
    ZoneEditor loser = ZoneEditor.open(busyStore(others), new ZoneRegistry());
    EditOutcome.Rejected rejected = assertInstanceOf(EditOutcome.Rejected.class, loser.sign(signing(), "loser"));
    assertEquals(RejectReason.STORE_FAILED, rejected.reason());
    assertEquals(Map.of(), shared.signing(), "no keys stored for a zone left unsigned");
    assertTrue(loser.signing(home).isEmpty());
    assertTrue(a.refresh(home) || a.signing(home).isEmpty());
    assertTrue(a.signing(home).isEmpty());
  }

  /** The shared store, where editor a commits just before each of the caller's commits; {@code others} counts them. */
  private ZoneStore busyStore(AtomicInteger others) {
    return new ForwardingZoneStore(shared) {
      @Override
      public void commit(List<ZoneWrite> writes, String actor) {
        int i = others.incrementAndGet();
        assertInstanceOf(EditOutcome.Applied.class,
            add(a, home, r("other" + i + ".home.lan.", 300, "A", "192.168.0." + i)));
        super.commit(writes, actor);
      }
    };
  }

  private ZoneSigning signing() {
    return ZoneSigning.generate(home, SigningAlgorithm.ECDSAP256SHA256, false, Duration.ofDays(30), Instant.now());
  }
}
