package dev.namu.zones.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.sign.KeySchedule;
import dev.namu.zones.sign.SigningAlgorithm;
import dev.namu.zones.sign.ZoneSigning;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The battery every {@link ZoneStore} passes (STYLE habit 10). Subclasses say how to make a store. */
public abstract class ZoneStoreContract {

  protected abstract ZoneStore newStore();

  protected ZoneStore store;

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  protected static Name n(String s) {
    return Name.fromConstantString(s);
  }

  protected static Record r(String owner, int ttl, String type, String rdata) {
    try {
      return Record.fromString(n(owner), Type.value(type), 1, ttl, rdata, Name.root);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  protected static List<Record> zone(String origin, long serial) {
    return List.of(
        r(origin, 3600, "SOA", "ns1." + origin + " admin." + origin + " " + serial + " 3600 600 86400 300"),
        r(origin, 3600, "NS", "ns1." + origin),
        r("ns1." + origin, 3600, "A", "192.0.2.1"));
  }

  protected static OptionalLong none() {
    return OptionalLong.empty();
  }

  @Test
  void versionsGiveEachZonesSerialAndANewGenerationWhenItIsCreatedAgain() {
    assertEquals(List.of(), store.versions());
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 7, zone("example.", 7))), "test");
    store.commit(List.of(new ZoneWrite.Put(n("other."), none(), 1, zone("other.", 1))), "test");
    ZoneVersion first = versionOf("example.");
    assertEquals(7, first.serial());
    assertEquals(1, versionOf("other.").serial());
    store.commit(List.of(new ZoneWrite.Drop(n("example."), 7)), "test");
    assertEquals(List.of(n("other.")), store.versions().stream().map(ZoneVersion::origin).toList());
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 7, zone("example.", 7))), "test");
    ZoneVersion again = versionOf("example.");
    assertEquals(7, again.serial());
    assertNotEquals(first.generation(), again.generation(), "created again: another generation");
  }

  private ZoneVersion versionOf(String origin) {
    return store.versions().stream().filter(v -> v.origin().equals(n(origin))).findFirst().orElseThrow();
  }

  @Test
  void emptyStoreHasNoZones() {
    assertEquals(List.of(), store.zoneNames());
    assertTrue(store.load(n("example.")).isEmpty());
    assertEquals(List.of(), store.loadAll());
  }

  @Test
  void putCreatesZoneAndLoadReturnsTheSameRecords() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    StoredZone loaded = store.load(n("example.")).orElseThrow();
    assertEquals(1, loaded.serial());
    assertEquals(new HashSet<>(zone("example.", 1)), new HashSet<>(loaded.records()));
    assertEquals(List.of(n("example.")), store.zoneNames());
  }

  @Test
  void zoneNamesCompareCaseInsensitively() {
    store.commit(List.of(new ZoneWrite.Put(n("Example."), none(), 1, zone("Example.", 1))), "test");
    assertTrue(store.load(n("example.")).isPresent());
    assertThrows(StoreConflictException.class,
        () -> store.commit(List.of(new ZoneWrite.Put(n("EXAMPLE."), none(), 1, zone("example.", 1))), "t"));
  }

  @Test
  void creatingAnExistingZoneConflicts() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    assertThrows(StoreConflictException.class,
        () -> store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 5, zone("example.", 5))), "test"));
    assertEquals(1, store.load(n("example.")).orElseThrow().serial());
  }

  @Test
  void patchRemovesAndAddsAndAdvancesSerial() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    Record oldSoa = zone("example.", 1).get(0);
    Record newSoa = zone("example.", 2).get(0);
    Record www = r("www.example.", 300, "A", "192.0.2.80");
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(oldSoa), List.of(newSoa, www))), "alice");
    StoredZone z = store.load(n("example.")).orElseThrow();
    assertEquals(2, z.serial());
    assertTrue(z.records().contains(www));
    assertEquals(4, z.records().size());
    Record soa = z.records().stream().filter(x -> x.getType() == Type.SOA).findFirst().orElseThrow();
    assertEquals(2, ((org.xbill.DNS.SOARecord) soa).getSerial());
  }

  @Test
  void patchReplacingTheSoaKeepsItsNewSpellingAndTtlAndJournalsBoth() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    Record oldSoa = zone("example.", 1).get(0);
    Record newSoa = r("EXAMPLE.", 60, "SOA", "ns1.example. admin.example. 2 3600 600 86400 300");
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(oldSoa), List.of(newSoa))), "t");
    StoredZone z = store.load(n("example.")).orElseThrow();
    List<Record> soas = z.records().stream().filter(x -> x.getType() == Type.SOA).toList();
    assertEquals(1, soas.size());
    assertEquals(newSoa.toString(), soas.get(0).toString());
    assertEquals(3, z.records().size());
    JournalEntry last = store.journal(n("example."), 1).get(0);
    assertEquals(List.of(oldSoa), last.removed());
    assertEquals(List.of(newSoa), last.added());
  }

  @Test
  void patchReplacingASoaThatIsNotStoredChangesNothing() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    Record notStored = zone("example.", 9).get(0);
    Record www = r("www.example.", 300, "A", "192.0.2.80");
    assertThrows(StoreConflictException.class, () -> store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2,
        List.of(notStored), List.of(zone("example.", 2).get(0), www))), "t"));
    StoredZone z = store.load(n("example.")).orElseThrow();
    assertEquals(1, z.serial());
    assertEquals(new HashSet<>(zone("example.", 1)), new HashSet<>(z.records()));
  }

  @Test
  void patchWithStaleSerialChangesNothing() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    Record www = r("www.example.", 300, "A", "192.0.2.80");
    assertThrows(StoreConflictException.class,
        () -> store.commit(List.of(new ZoneWrite.Patch(n("example."), 7, 8, List.of(), List.of(www))), "t"));
    StoredZone z = store.load(n("example.")).orElseThrow();
    assertEquals(1, z.serial());
    assertFalse(z.records().contains(www));
  }

  @Test
  void patchRemovingAMissingRecordChangesNothing() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    Record missing = r("nope.example.", 300, "A", "192.0.2.9");
    Record www = r("www.example.", 300, "A", "192.0.2.80");
    assertThrows(StoreConflictException.class,
        () -> store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(missing), List.of(www))), "t"));
    assertEquals(1, store.load(n("example.")).orElseThrow().serial());
    assertEquals(3, store.load(n("example.")).orElseThrow().records().size());
  }

  @Test
  void oneFailingWriteRollsBackTheWholeCommit() {
    store.commit(List.of(new ZoneWrite.Put(n("a.example."), none(), 1, zone("a.example.", 1))), "test");
    Record www = r("www.a.example.", 300, "A", "192.0.2.80");
    assertThrows(StoreConflictException.class, () -> store.commit(List.of(
        new ZoneWrite.Patch(n("a.example."), 1, 2, List.of(), List.of(www)),
        new ZoneWrite.Patch(n("missing.example."), 1, 2, List.of(), List.of())), "t"));
    assertEquals(1, store.load(n("a.example.")).orElseThrow().serial());
    assertFalse(store.load(n("a.example.")).orElseThrow().records().contains(www));
    assertEquals(1, store.journal(n("a.example."), 100).size());
  }

  @Test
  void twoZonesInOneCommit() {
    store.commit(List.of(
        new ZoneWrite.Put(n("a.example."), none(), 1, zone("a.example.", 1)),
        new ZoneWrite.Put(n("b.example."), none(), 1, zone("b.example.", 1))), "test");
    assertEquals(List.of(n("a.example."), n("b.example.")), store.zoneNames());
    assertEquals(2, store.loadAll().size());
  }

  @Test
  void putWithSerialReplacesAllRecords() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    List<Record> next = List.of(zone("example.", 9).get(0), zone("example.", 9).get(1), r("ns1.example.", 60, "A", "192.0.2.2"));
    store.commit(List.of(new ZoneWrite.Put(n("example."), OptionalLong.of(1), 9, next)), "import");
    StoredZone z = store.load(n("example.")).orElseThrow();
    assertEquals(new HashSet<>(next), new HashSet<>(z.records()));
    assertEquals(9, z.serial());
  }

  @Test
  void dropDeletesZoneButKeepsJournal() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    store.commit(List.of(new ZoneWrite.Drop(n("example."), 1)), "bob");
    assertTrue(store.load(n("example.")).isEmpty());
    List<JournalEntry> j = store.journal(n("example."), 10);
    assertEquals(2, j.size());
    assertEquals(OptionalLong.empty(), j.get(1).serialAfter());
    assertEquals("bob", j.get(1).actor());
    assertEquals(3, j.get(1).removed().size());
    // and the zone can be created again
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 3, zone("example.", 3))), "test");
    assertEquals(3, store.load(n("example.")).orElseThrow().serial());
  }

  @Test
  void journalRecordsSerialsRecordsTimeAndActor() {
    Instant before = Instant.now().minusSeconds(5);
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "token:admin");
    Record www = r("www.example.", 300, "A", "192.0.2.80");
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2,
        List.of(zone("example.", 1).get(0)), List.of(zone("example.", 2).get(0), www))), "key:acme.");
    List<JournalEntry> j = store.journal(n("example."), 10);
    assertEquals(2, j.size());
    JournalEntry create = j.get(0);
    assertEquals(OptionalLong.empty(), create.serialBefore());
    assertEquals(OptionalLong.of(1), create.serialAfter());
    assertEquals("token:admin", create.actor());
    JournalEntry patch = j.get(1);
    assertEquals(OptionalLong.of(1), patch.serialBefore());
    assertEquals(OptionalLong.of(2), patch.serialAfter());
    assertEquals(List.of(zone("example.", 1).get(0)), patch.removed());
    assertEquals(List.of(zone("example.", 2).get(0), www), patch.added());
    assertEquals("key:acme.", patch.actor());
    assertTrue(patch.when().isAfter(before) && patch.when().isBefore(Instant.now().plusSeconds(5)));
    assertTrue(patch.id() > create.id());
    // limit keeps the newest
    assertEquals(List.of(patch.id()), store.journal(n("example."), 1).stream().map(JournalEntry::id).toList());
  }

  @Test
  void recordsOfManyTypesRoundTrip() {
    List<Record> records = new java.util.ArrayList<>(zone("example.", 1));
    records.add(r("txt.example.", 60, "TXT", "\"hello world\" \"with \\\"quotes\\\"\""));
    records.add(r("mx.example.", 60, "MX", "10 mail.example."));
    records.add(r("_sip._tcp.example.", 60, "SRV", "10 5 5060 sip.example."));
    records.add(r("v6.example.", 60, "AAAA", "2001:db8::1"));
    records.add(r("caa.example.", 60, "CAA", "0 issue \"letsencrypt.org\""));
    records.add(r("unk.example.", 60, "TYPE65280", "\\# 3 010203"));
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, records)), "test");
    List<Record> loaded = store.load(n("example.")).orElseThrow().records();
    assertEquals(new HashSet<>(records), new HashSet<>(loaded));
    for (Record r : records) {
      Record back = loaded.stream().filter(r::equals).findFirst().orElseThrow();
      assertEquals(r.getTTL(), back.getTTL());
      assertEquals(r.rdataToString(), back.rdataToString());
    }
  }

  @Test
  void tsigKeysAddReplaceListDelete() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    store.putKey(new StoredKey(n("acme."), "hmac-sha256", "c2VjcmV0", t));
    store.putKey(new StoredKey(n("b-key."), "hmac-sha512", "YW5vdGhlcg==", t));
    store.putKey(new StoredKey(n("acme."), "hmac-sha512", "bmV3", t));
    List<StoredKey> keys = store.keys();
    assertEquals(2, keys.size());
    assertEquals(n("acme."), keys.get(0).name());
    assertEquals("hmac-sha512", keys.get(0).algorithm());
    assertEquals("bmV3", keys.get(0).secret());
    assertTrue(store.deleteKey(n("acme.")));
    assertFalse(store.deleteKey(n("acme.")));
    assertEquals(1, store.keys().size());
  }

  @Test
  void apiTokensAddListDeleteWithTheirScopes() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    EditScope acme = EditScope.parse("example.com.", "_acme-challenge", true, "TXT");
    store.addToken(new StoredToken("acme", "a".repeat(64), t, acme));
    store.addToken(new StoredToken("all", "b".repeat(64), t, EditScope.ANY));
    assertThrows(StoreConflictException.class,
        () -> store.addToken(new StoredToken("acme", "c".repeat(64), t, EditScope.ANY)));
    List<StoredToken> tokens = store.tokens();
    assertEquals(List.of("acme", "all"), tokens.stream().map(StoredToken::name).toList());
    assertEquals("a".repeat(64), tokens.get(0).sha256());
    assertEquals(acme, tokens.get(0).scope());
    assertEquals(EditScope.ANY, tokens.get(1).scope());
    assertTrue(store.deleteToken("acme"));
    assertFalse(store.deleteToken("acme"));
    assertEquals(List.of("all"), store.tokens().stream().map(StoredToken::name).toList());
  }

  @Test
  void keySecretNeverAppearsInToString() {
    StoredKey k = new StoredKey(n("acme."), "hmac-sha256", "c2VjcmV0", Instant.now());
    assertFalse(k.toString().contains("c2VjcmV0"));
  }

  @Test
  void aThousandRecordPatchIsOneJournalEntry() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    List<Record> added = new java.util.ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      added.add(r("h" + i + ".example.", 300, "A", "10.0." + (i / 256) + "." + (i % 256)));
    }
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(), added)), "batch");
    assertEquals(1003, store.load(n("example.")).orElseThrow().records().size());
    assertEquals(1000, store.journal(n("example."), 1).get(0).added().size());
  }

  @Test
  void transferSettingsAreKeptInOrderAndGoWithTheirZone() {
    assertEquals(Map.of(), store.transferSettings());
    assertThrows(StoreConflictException.class, () -> store.putTransferSettings(n("example."),
        new TransferSettings(List.of("k1."), List.of())));
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    TransferSettings settings = new TransferSettings(List.of("xfr.key.", "192.0.2.0/24", "10.0.0.1"),
        List.of("192.0.2.7:5300", "192.0.2.8"));
    store.putTransferSettings(n("EXAMPLE."), settings);
    assertEquals(Map.of(n("example."), settings), store.transferSettings());
    store.putTransferSettings(n("example."), new TransferSettings(List.of(), List.of("192.0.2.9")));
    assertEquals(List.of("192.0.2.9"), store.transferSettings().get(n("example.")).alsoNotify());
    assertEquals(List.of(), store.transferSettings().get(n("example.")).allowTransfer());
    store.commit(List.of(new ZoneWrite.Drop(n("example."), 1)), "test");
    assertEquals(Map.of(), store.transferSettings());
  }

  @Test
  void aViewsRecordsAreKeptByZoneAndViewAndReplacedWhole() {
    // a view may overlay a zone the store does not hold (one served from a file)
    ViewOverlay inside = new ViewOverlay(n("example.com."), "inside",
        List.of(r("nas.example.com.", 60, "A", "192.168.0.12"), r("nas.example.com.", 60, "A", "192.168.0.13")));
    ViewOverlay guests = new ViewOverlay(n("example.com."), "guests", List.of(r("nas.example.com.", 60, "A", "10.0.0.12")));
    ViewOverlay other = new ViewOverlay(n("Example.NET."), "inside", List.of(r("www.example.net.", 30, "TXT", "\"x y\"")));
    store.putViewOverlay(inside);
    store.putViewOverlay(guests);
    store.putViewOverlay(other);
    assertEquals(java.util.Set.of(inside, guests, other), java.util.Set.copyOf(store.viewOverlays()));

    ViewOverlay replaced = new ViewOverlay(n("example.com."), "inside", List.of(r("printer.example.com.", 60, "A", "192.168.0.9")));
    store.putViewOverlay(replaced);
    store.putViewOverlay(new ViewOverlay(n("example.net."), "inside", List.of()));
    assertEquals(java.util.Set.of(replaced, guests), java.util.Set.copyOf(store.viewOverlays()));
    assertEquals(60, store.viewOverlays().stream().filter(o -> o.view().equals("inside")).findFirst().orElseThrow()
        .records().get(0).getTTL());
  }

  @Test
  void theViewsVersionChangesWithEveryWriteOfTheirRecordsEvenOneThatKeepsTheirNumber() {
    java.util.Set<ViewOverlaysVersion> seen = new java.util.HashSet<>();
    ViewOverlaysVersion empty = store.viewOverlaysVersion();
    assertEquals(empty, store.viewOverlaysVersion(), "reading changes nothing");
    seen.add(empty);
    store.putViewOverlay(new ViewOverlay(n("example.com."), "inside", List.of(r("nas.example.com.", 60, "A", "192.168.0.12"))));
    assertTrue(seen.add(store.viewOverlaysVersion()), "a record added");
    // the same number of records, one of them changed: the case a count alone would miss
    store.putViewOverlay(new ViewOverlay(n("example.com."), "inside", List.of(r("nas.example.com.", 60, "A", "192.168.0.13"))));
    assertTrue(seen.add(store.viewOverlaysVersion()), "a record replaced");
    store.putViewOverlay(new ViewOverlay(n("example.com."), "inside", List.of()));
    assertEquals(0, store.viewOverlaysVersion().records());
  }

  @Test
  void signingKeysAreKeptAndGoWithTheirZone() {
    assertEquals(Map.of(), store.signing());
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    ZoneSigning signing = ZoneSigning.generate(n("example."), SigningAlgorithm.ED25519, true,
        java.time.Duration.ofDays(7), now);
    assertThrows(StoreConflictException.class, () -> putSigning(signing));
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    putSigning(signing);
    assertEquals(Map.of(n("example."), signing), store.signing());
    ZoneSigning rolled = KeySchedule.startKskRollover(signing, now.plusSeconds(60)).orElseThrow();
    putSigning(rolled);
    ZoneSigning back = store.signing().get(n("example."));
    assertEquals(rolled, back);
    assertEquals(3, back.keys().size());
    // the private key read back still signs for the public key
    assertEquals(java.util.Arrays.toString(rolled.keys().get(2).privateKey()),
        java.util.Arrays.toString(back.keys().get(2).privateKey()));
    store.commit(List.of(new ZoneWrite.Drop(n("example."), 1)), "test");
    assertEquals(Map.of(), store.signing());
  }

  @Test
  void signingIsWrittenWithTheRecordsOrNotAtAll() {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    ZoneSigning signing = ZoneSigning.generate(n("example."), SigningAlgorithm.ECDSAP256SHA256, false,
        java.time.Duration.ofDays(7), now);
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    Record www = r("www.example.", 300, "A", "192.0.2.1");
    // a commit that loses its race (serial 1 is gone) leaves the keys out too
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(), List.of(www))), "other");
    assertThrows(StoreConflictException.class, () -> store.commit(List.of(
        new ZoneWrite.Patch(n("example."), 1, 2, List.of(), List.of()), new ZoneWrite.Signing(n("example."),
            Optional.of(signing))), "test"));
    assertEquals(Map.of(), store.signing());
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 2, 3, List.of(), List.of()),
        new ZoneWrite.Signing(n("example."), Optional.of(signing))), "test");
    assertEquals(Map.of(n("example."), signing), store.signing());
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 3, 4, List.of(), List.of()),
        new ZoneWrite.Signing(n("example."), Optional.empty())), "test");
    assertEquals(Map.of(), store.signing());
  }

  private void putSigning(ZoneSigning signing) {
    store.commit(List.of(new ZoneWrite.Signing(signing.origin(), Optional.of(signing))), "test");
  }

  @Test
  void keysAreWrittenOnlyOverTheKeysExpectedAndEachWriteIsANewVersion() {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    Name origin = n("example.");
    store.commit(List.of(new ZoneWrite.Put(origin, none(), 1, zone("example.", 1))), "test");
    ZoneSigning signing = ZoneSigning.generate(origin, SigningAlgorithm.ECDSAP256SHA256, false,
        java.time.Duration.ofDays(7), java.time.Duration.ofSeconds(5), now);
    long unsigned = store.versions().get(0).signing();
    store.commit(List.of(new ZoneWrite.SigningExpected(origin, Optional.empty()),
        new ZoneWrite.Signing(origin, Optional.of(signing))), "test");
    assertEquals(signing, store.signing().get(origin), "the propagation delay is kept too");
    long signedVersion = store.versions().get(0).signing();
    assertNotEquals(unsigned, signedVersion);
    // two writers change the keys from the same ones: the first writes, the second is refused whole
    ZoneSigning first = KeySchedule.startZskRollover(signing, now.plusSeconds(60)).orElseThrow();
    ZoneSigning second = KeySchedule.startKskRollover(signing, now.plusSeconds(60)).orElseThrow();
    store.commit(List.of(new ZoneWrite.SigningExpected(origin, Optional.of(signing)),
        new ZoneWrite.Signing(origin, Optional.of(first))), "test");
    assertThrows(StoreConflictException.class, () -> store.commit(List.of(
        new ZoneWrite.SigningExpected(origin, Optional.of(signing)), new ZoneWrite.Signing(origin, Optional.of(second))),
        "test"));
    assertThrows(StoreConflictException.class, () -> store.commit(List.of(
        new ZoneWrite.SigningExpected(origin, Optional.empty()), new ZoneWrite.Signing(origin, Optional.of(second))),
        "test"));
    assertEquals(first, store.signing().get(origin));
    // a key change without a new serial is a new version of the zone
    ZoneVersion v = store.versions().get(0);
    assertEquals(1, v.serial());
    assertNotEquals(signedVersion, v.signing());
  }
}
