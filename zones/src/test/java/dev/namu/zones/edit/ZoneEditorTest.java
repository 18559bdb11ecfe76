package dev.namu.zones.edit;

import static dev.namu.zones.edit.EditFixtures.n;
import static dev.namu.zones.edit.EditFixtures.r;
import static dev.namu.zones.edit.EditFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.registry.ZoneSet;
import dev.namu.zones.store.ForwardingZoneStore;
import dev.namu.zones.store.JournalEntry;
import dev.namu.zones.store.StoreException;
import dev.namu.zones.store.StoredZone;
import dev.namu.zones.store.ZoneWrite;
import dev.namu.zones.store.memory.MemoryZoneStore;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneEditorTest {

  /** A memory store whose commits can be made to fail, to show a failed write publishes nothing. */
  static final class FlakyStore extends ForwardingZoneStore {
    final AtomicBoolean fail = new AtomicBoolean();

    FlakyStore() {
      super(new MemoryZoneStore());
    }

    @Override
    public void commit(List<ZoneWrite> writes, String actor) {
      if (fail.get()) {
        throw new StoreException("disk full");
      }
      super.commit(writes, actor);
    }
  }

  FlakyStore store;
  ZoneRegistry registry;
  ZoneEditor editor;
  final Name home = n("home.lan.");

  @BeforeEach
  void setUp() {
    store = new FlakyStore();
    registry = new ZoneRegistry();
    editor = ZoneEditor.open(store, registry);
    assertInstanceOf(EditOutcome.Applied.class, editor.create(home, zone("home.lan.", 1), "test"));
  }

  private ZoneSnapshot served() {
    return registry.current().zone(home);
  }

  private EditOutcome edit(RecordOperation... ops) {
    return editor.edit(ZoneChange.of(home, ops), "tester");
  }

  private static boolean has(ZoneSnapshot z, Record r) {
    return z.records().stream().anyMatch(x -> x.equals(r) && x.getTTL() == r.getTTL());
  }

  private static java.util.Set<dev.namu.zones.store.RecordText> texts(java.util.Collection<Record> records) {
    java.util.Set<dev.namu.zones.store.RecordText> out = new java.util.HashSet<>();
    records.forEach(r -> out.add(dev.namu.zones.store.RecordText.of(r)));
    return out;
  }

  /**
   * The snapshot an edit published (patched or built) is the one a full build of its records gives:
   * records in the same order, the same names (spelling included), the same flags and warnings.
   */
  private static void assertBuiltInFull(ZoneSnapshot z, String what) {
    ZoneSnapshot full;
    try {
      full = ZoneSnapshot.build(z.origin(), z.records());
    } catch (dev.namu.zones.model.ZoneValidationException e) {
      throw new AssertionError(what + ": served zone does not build: " + e.getMessage(), e);
    }
    assertEquals(full.records().stream().map(Record::toString).toList(),
        z.records().stream().map(Record::toString).toList(), what);
    assertEquals(full.nodeCount(), z.nodeCount(), what);
    for (dev.namu.zones.model.Node n : full.nodes()) {
      dev.namu.zones.model.Node p = z.node(n.name());
      assertTrue(p != null, what + ": no node " + n.name());
      assertEquals(n.toString() + " " + n.isEmptyNonTerminal() + n.isApex() + n.hasCname() + n.isWildcard()
              + n.hasWildcardChild() + n.isObscured() + n.isDelegation() + n.hasDname(),
          p.toString() + " " + p.isEmptyNonTerminal() + p.isApex() + p.hasCname() + p.isWildcard()
              + p.hasWildcardChild() + p.isObscured() + p.isDelegation() + p.hasDname(), what);
    }
    assertEquals(full.warnings(), z.warnings(), what);
    assertEquals(full.soa().toString(), z.soa().toString(), what);
  }

  /**
   * An edit reads and copies only the names it touches; whatever the edits, the zone served must be
   * the zone before with the edit's removed records taken out and its added ones put in, and the
   * same as the store holds (which only ever sees those diffs).
   */
  @Test
  void randomEditsKeepTheServedZoneEqualToItsDiffsAndTheStore() {
    java.util.Random random = new java.util.Random(5);
    String[] names = {"a", "b", "c", "d.e", "e", "*.w", "home.lan.", "x.y.z"};
    String[] types = {"A", "A", "A", "TXT", "CNAME", "MX"};
    int applied = 0;
    for (int i = 0; i < 600; i++) {
      String name = names[random.nextInt(names.length)];
      Name owner = name.endsWith(".") ? n(name) : n(name + ".home.lan.");
      String type = types[random.nextInt(types.length)];
      long ttl = random.nextBoolean() ? 300 : 600;
      String data = switch (type) {
        case "A" -> "192.0.2." + random.nextInt(4);
        case "TXT" -> "\"t" + random.nextInt(3) + "\"";
        case "CNAME" -> (random.nextBoolean() ? "a.home.lan." : "elsewhere.example.");
        default -> "10 " + names[random.nextInt(3)] + ".home.lan.";
      };
      Record rec = r(owner.toString(), ttl, type, data);
      RecordOperation op = switch (random.nextInt(6)) {
        case 0, 1 -> new RecordOperation.Add(rec);
        case 2 -> new RecordOperation.Delete(rec);
        case 3 -> new RecordOperation.DeleteRRset(owner, Type.value(type));
        case 4 -> new RecordOperation.DeleteName(owner);
        default -> new RecordOperation.ReplaceRRset(owner, Type.value(type), List.of(rec));
      };
      ChangeMode mode = random.nextBoolean() ? ChangeMode.STRICT : ChangeMode.RFC2136;
      ZoneSnapshot before = served();
      EditOutcome out = editor.edit(List.of(new ZoneChange(home, List.of(), List.of(op), mode)), "random");
      if (out instanceof EditOutcome.Applied a && !a.diffs().isEmpty()) {
        applied++;
        java.util.Set<dev.namu.zones.store.RecordText> expected = texts(before.records());
        expected.removeAll(texts(a.diffs().get(0).removed()));
        expected.addAll(texts(a.diffs().get(0).added()));
        assertEquals(expected, texts(served().records()), "edit " + i + ": " + op);
      } else {
        assertSame(before, served(), "edit " + i + " changed nothing: " + op);
      }
      assertEquals(texts(store.load(home).orElseThrow().records()), texts(served().records()), "edit " + i);
      assertBuiltInFull(served(), "edit " + i + ": " + op);
    }
    assertTrue(applied > 100, applied + " edits applied");
  }

  @Test
  void createPublishesAndStores() {
    assertEquals(1, served().serial());
    assertEquals(1, store.load(home).orElseThrow().serial());
    assertInstanceOf(EditOutcome.Rejected.class, editor.create(home, zone("home.lan.", 1), "test"));
  }

  @Test
  void addAdvancesSerialStoresJournalsAndPublishes() {
    Record nas = r("nas.home.lan.", 300, "A", "192.168.0.12");
    EditOutcome.Applied applied = assertInstanceOf(EditOutcome.Applied.class, edit(new RecordOperation.Add(nas)));
    assertEquals(1, applied.diffs().size());
    ZoneDiff d = applied.diffs().get(0);
    assertEquals(2, d.after().orElseThrow().serial());
    assertEquals(1, d.removed().size()); // the old SOA
    assertEquals(2, d.added().size()); // the new SOA and nas
    assertTrue(has(served(), nas));
    assertEquals(2, served().serial());
    StoredZone stored = store.load(home).orElseThrow();
    assertEquals(2, stored.serial());
    assertTrue(stored.records().contains(nas));
    JournalEntry j = store.journal(home, 1).get(0);
    assertEquals(OptionalLong.of(1), j.serialBefore());
    assertEquals(OptionalLong.of(2), j.serialAfter());
    assertEquals("tester", j.actor());
    assertTrue(j.added().contains(nas));
  }

  @Test
  void addingWhatIsThereChangesNothingAndKeepsTheSerial() {
    Record nas = r("nas.home.lan.", 300, "A", "192.168.0.12");
    edit(new RecordOperation.Add(nas));
    ZoneSnapshot before = served();
    EditOutcome.Applied again = assertInstanceOf(EditOutcome.Applied.class, edit(new RecordOperation.Add(nas)));
    assertFalse(again.changed());
    assertSame(before, served());
    assertEquals(2, store.journal(home, 100).size());
  }

  @Test
  void newTtlAppliesToTheWholeRRset() {
    edit(new RecordOperation.Add(r("www.home.lan.", 300, "A", "192.168.0.1")));
    edit(new RecordOperation.Add(r("www.home.lan.", 60, "A", "192.168.0.2")));
    List<Record> www = served().records().stream().filter(x -> x.getName().equals(n("www.home.lan."))).toList();
    assertEquals(2, www.size());
    assertTrue(www.stream().allMatch(x -> x.getTTL() == 60));
    assertEquals(new java.util.HashSet<>(www), new java.util.HashSet<>(
        store.load(home).orElseThrow().records().stream().filter(x -> x.getName().equals(n("www.home.lan."))).toList()));
  }

  @Test
  void cnameBesideOtherDataIsRejectedAndChangesNothing() {
    edit(new RecordOperation.Add(r("nas.home.lan.", 300, "A", "192.168.0.12")));
    ZoneSnapshot before = served();
    EditOutcome.Rejected rej = assertInstanceOf(EditOutcome.Rejected.class,
        edit(new RecordOperation.Add(r("nas.home.lan.", 300, "CNAME", "other.home.lan."))));
    assertEquals(RejectReason.CNAME_CONFLICT, rej.reason());
    assertTrue(rej.message().contains("CNAME"), rej.message());
    assertSame(before, served());
    assertEquals(before.serial(), store.load(home).orElseThrow().serial());
  }

  @Test
  void rfc2136ModeIgnoresTheConflictingRecordButAppliesTheRest() {
    edit(new RecordOperation.Add(r("nas.home.lan.", 300, "A", "192.168.0.12")));
    EditOutcome out = editor.edit(new ZoneChange(home, List.of(), List.of(
        new RecordOperation.Add(r("nas.home.lan.", 300, "CNAME", "other.home.lan.")),
        new RecordOperation.Add(r("tv.home.lan.", 300, "A", "192.168.0.13"))), ChangeMode.RFC2136), "t");
    assertTrue(((EditOutcome.Applied) out).changed());
    assertTrue(has(served(), r("tv.home.lan.", 300, "A", "192.168.0.13")));
    assertFalse(served().records().stream().anyMatch(x -> x.getType() == Type.CNAME));
  }

  @Test
  void anEditThatMakesTheZoneInvalidIsRejectedWithProblems() {
    ZoneSnapshot before = served();
    // an in-zone delegation without glue: ZoneSnapshot.build rejects it
    EditOutcome.Rejected rej = assertInstanceOf(EditOutcome.Rejected.class,
        edit(new RecordOperation.Add(r("sub.home.lan.", 300, "NS", "ns.sub.home.lan."))));
    assertEquals(RejectReason.INVALID, rej.reason());
    assertFalse(rej.problems().isEmpty());
    assertSame(before, served());
  }

  @Test
  void outOfZoneNameIsRejected() {
    EditOutcome.Rejected rej = assertInstanceOf(EditOutcome.Rejected.class,
        edit(new RecordOperation.Add(r("nas.example.com.", 300, "A", "192.0.2.1"))));
    assertEquals(RejectReason.INVALID, rej.reason());
    assertTrue(rej.message().contains("outside"));
  }

  @Test
  void strictDeleteOfMissingRecordIsNotFound() {
    EditOutcome.Rejected rej = assertInstanceOf(EditOutcome.Rejected.class,
        edit(new RecordOperation.Delete(r("nope.home.lan.", 300, "A", "192.168.0.99"))));
    assertEquals(RejectReason.NOT_FOUND, rej.reason());
  }

  @Test
  void apexSoaAndLastNsAreKept() {
    assertEquals(RejectReason.INVALID, ((EditOutcome.Rejected) edit(new RecordOperation.DeleteRRset(home, Type.NS))).reason());
    assertEquals(RejectReason.INVALID, ((EditOutcome.Rejected) edit(new RecordOperation.Delete(r("home.lan.", 3600, "NS", "ns1.home.lan.")))).reason());
    // delete-name at the apex keeps SOA and NS (RFC 2136 3.4.2.3)
    edit(new RecordOperation.Add(r("home.lan.", 300, "TXT", "\"v=spf1 -all\"")));
    assertInstanceOf(EditOutcome.Applied.class, edit(new RecordOperation.DeleteName(home)));
    assertTrue(served().records().stream().anyMatch(x -> x.getType() == Type.SOA));
    assertTrue(served().records().stream().anyMatch(x -> x.getType() == Type.NS));
    assertFalse(served().records().stream().anyMatch(x -> x.getType() == Type.TXT));
  }

  @Test
  void replaceRRsetSwapsAllValues() {
    edit(new RecordOperation.Add(r("www.home.lan.", 300, "A", "192.168.0.1")),
        new RecordOperation.Add(r("www.home.lan.", 300, "A", "192.168.0.2")));
    edit(new RecordOperation.ReplaceRRset(n("www.home.lan."), Type.A,
        List.of(r("www.home.lan.", 120, "A", "192.168.0.3"))));
    List<Record> www = served().records().stream().filter(x -> x.getName().equals(n("www.home.lan."))).toList();
    assertEquals(List.of(r("www.home.lan.", 120, "A", "192.168.0.3")), www);
  }

  @Test
  void prerequisitesAreCheckedBeforeAnyUpdate() {
    Record txt = r("_acme-challenge.home.lan.", 60, "TXT", "\"token\"");
    ZoneChange change = new ZoneChange(home, List.of(new Prerequisite.NameInUse(n("nas.home.lan."))),
        List.of(new RecordOperation.Add(txt)), ChangeMode.RFC2136);
    assertEquals(RejectReason.NAME_NOT_IN_USE, ((EditOutcome.Rejected) editor.edit(change, "k")).reason());
    assertFalse(has(served(), txt));
    edit(new RecordOperation.Add(r("nas.home.lan.", 300, "A", "192.168.0.12")));
    assertInstanceOf(EditOutcome.Applied.class, editor.edit(change, "k"));
    assertTrue(has(served(), txt));
    assertEquals(RejectReason.RRSET_EXISTS, ((EditOutcome.Rejected) editor.edit(new ZoneChange(home,
        List.of(new Prerequisite.RRsetDoesNotExist(n("nas.home.lan."), Type.A)), List.of(), ChangeMode.RFC2136), "k")).reason());
    assertEquals(RejectReason.NAME_IN_USE, ((EditOutcome.Rejected) editor.edit(new ZoneChange(home,
        List.of(new Prerequisite.NameNotInUse(n("nas.home.lan."))), List.of(), ChangeMode.RFC2136), "k")).reason());
    assertEquals(RejectReason.RRSET_MISSING, ((EditOutcome.Rejected) editor.edit(new ZoneChange(home,
        List.of(new Prerequisite.RRsetExistsWithValues(n("nas.home.lan."), Type.A,
            List.of(r("nas.home.lan.", 0, "A", "192.168.0.99")))), List.of(), ChangeMode.RFC2136), "k")).reason());
    assertInstanceOf(EditOutcome.Applied.class, editor.edit(new ZoneChange(home,
        List.of(new Prerequisite.RRsetExistsWithValues(n("nas.home.lan."), Type.A,
            List.of(r("nas.home.lan.", 0, "A", "192.168.0.12")))), List.of(), ChangeMode.RFC2136), "k"));
  }

  @Test
  void aFailedStoreWritePublishesNothing() {
    ZoneSnapshot before = served();
    store.fail.set(true);
    EditOutcome.Rejected rej = assertInstanceOf(EditOutcome.Rejected.class,
        edit(new RecordOperation.Add(r("nas.home.lan.", 300, "A", "192.168.0.12"))));
    assertEquals(RejectReason.STORE_FAILED, rej.reason());
    assertTrue(rej.message().contains("disk full"));
    assertSame(before, served());
    assertSame(before, editor.zone(home).orElseThrow());
    store.fail.set(false);
    assertInstanceOf(EditOutcome.Applied.class, edit(new RecordOperation.Add(r("nas.home.lan.", 300, "A", "192.168.0.12"))));
    assertEquals(2, served().serial());
  }

  @Test
  void soaWithNewerSerialIsTaken() {
    Record soa = r("home.lan.", 3600, "SOA", "ns1.home.lan. admin.home.lan. 2026112401 7200 600 86400 60");
    edit(new RecordOperation.Add(soa));
    assertEquals(2026112401L, served().serial());
    assertEquals(n("admin.home.lan."), served().soa().getAdmin());
    edit(new RecordOperation.Add(r("x.home.lan.", 300, "A", "192.168.0.1")));
    assertEquals(2026112402L, served().serial());
  }

  @Test
  void reverseZoneGetsPtrInTheSameEdit() {
    Name rev = n("168.192.in-addr.arpa.");
    editor.create(rev, zone("168.192.in-addr.arpa.", 1), "t");
    ReversePointers ptrs = new ReversePointers(editor::enclosingZone);
    Record nas = r("nas.home.lan.", 300, "A", "192.168.0.12");
    ZoneChange add = ZoneChange.of(home, new RecordOperation.Add(nas));
    EditOutcome.Applied a = assertInstanceOf(EditOutcome.Applied.class,
        editor.edit(ptrs.withPointers(add, editor.zone(home)), "t"));
    assertEquals(2, a.diffs().size());
    ZoneSet set = registry.current();
    assertTrue(set.zone(rev).records().contains(r("12.0.168.192.in-addr.arpa.", 300, "PTR", "nas.home.lan.")));
    ZoneChange del = ZoneChange.of(home, new RecordOperation.Delete(nas));
    editor.edit(ptrs.withPointers(del, editor.zone(home)), "t");
    assertFalse(registry.current().zone(rev).records().stream().anyMatch(x -> x.getType() == Type.PTR));
    assertFalse(has(served(), nas));
    // no reverse zone for 10/8: no PTR, forward edit still applies
    assertInstanceOf(EditOutcome.Applied.class, editor.edit(ptrs.withPointers(
        ZoneChange.of(home, new RecordOperation.Add(r("tv.home.lan.", 300, "A", "10.1.2.3"))), editor.zone(home)), "t"));
  }

  @Test
  void multiZoneEditFailingInOneZoneChangesNeither() {
    Name rev = n("168.192.in-addr.arpa.");
    editor.create(rev, zone("168.192.in-addr.arpa.", 1), "t");
    ZoneSet before = registry.current();
    EditOutcome out = editor.edit(List.of(
        ZoneChange.of(home, new RecordOperation.Add(r("nas.home.lan.", 300, "A", "192.168.0.12"))),
        ZoneChange.of(rev, new RecordOperation.Add(r("12.0.168.192.in-addr.arpa.", 300, "CNAME", "x.")),
            new RecordOperation.Add(r("12.0.168.192.in-addr.arpa.", 300, "PTR", "nas.home.lan.")))), "t");
    assertInstanceOf(EditOutcome.Rejected.class, out);
    assertSame(before, registry.current());
    assertEquals(1, store.load(home).orElseThrow().serial());
  }

  @Test
  void deleteAndReplaceZone() {
    List<Record> imported = new java.util.ArrayList<>(zone("home.lan.", 1));
    imported.add(r("printer.home.lan.", 300, "A", "192.168.0.50"));
    EditOutcome.Applied a = assertInstanceOf(EditOutcome.Applied.class, editor.replace(home, imported, "import"));
    // serial 1 is not newer than the served 1: advanced past it
    assertEquals(2, served().serial());
    assertTrue(has(served(), r("printer.home.lan.", 300, "A", "192.168.0.50")));
    assertEquals(1, a.diffs().size());
    assertInstanceOf(EditOutcome.Applied.class, editor.delete(home, "t"));
    assertEquals(null, registry.current().zone(home));
    assertTrue(store.load(home).isEmpty());
    assertEquals(RejectReason.NO_SUCH_ZONE, ((EditOutcome.Rejected) editor.delete(home, "t")).reason());
    assertEquals(RejectReason.NO_SUCH_ZONE, ((EditOutcome.Rejected) edit(new RecordOperation.Add(r("a.home.lan.", 1, "A", "192.0.2.1")))).reason());
  }

  @Test
  void reopeningServesWhatWasStored() {
    edit(new RecordOperation.Add(r("nas.home.lan.", 300, "A", "192.168.0.12")));
    ZoneRegistry fresh = new ZoneRegistry();
    ZoneEditor again = ZoneEditor.open(store, fresh);
    assertEquals(2, fresh.current().zone(home).serial());
    assertEquals(served().records(), fresh.current().zone(home).records());
    assertEquals(1, again.zones().size());
  }
}
