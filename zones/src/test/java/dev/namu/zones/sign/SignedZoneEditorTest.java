package dev.namu.zones.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.zones.edit.ChangeMode;
import dev.namu.zones.edit.EditOutcome;
import dev.namu.zones.edit.RecordOperation;
import dev.namu.zones.edit.RejectReason;
import dev.namu.zones.edit.ZoneChange;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.memory.MemoryZoneStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The one writer of a signed zone keeps it signed: on signing, on edits, on its upkeep and rollovers. */
class SignedZoneEditorTest {

  @TempDir Path dir;

  /** A clock the test moves. */
  static final class TestClock extends Clock {
    private volatile Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  static Name n(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Record r(String owner, long ttl, String type, String rdata) {
    try {
      return Record.fromString(n(owner), Type.value(type), 1, ttl, rdata, Name.root);
    } catch (Exception e) {
      throw new IllegalArgumentException(owner + " " + type + " " + rdata, e);
    }
  }

  /** A zone with what the signer treats apart: a delegation with glue, one with DS, a wildcard, an empty non-terminal. */
  static List<Record> zone() {
    return List.of(
        r("example.", 3600, "SOA", "ns1.example. hostmaster.example. 1 3600 600 86400 300"),
        r("example.", 3600, "NS", "ns1.example."),
        r("ns1.example.", 3600, "A", "192.0.2.1"),
        r("www.example.", 300, "A", "192.0.2.10"),
        r("www.example.", 300, "AAAA", "2001:db8::10"),
        r("*.wild.example.", 60, "TXT", "\"any\""),
        r("a.b.c.example.", 600, "MX", "10 mail.example."),
        r("sub.example.", 3600, "NS", "ns.sub.example."),
        r("ns.sub.example.", 3600, "A", "192.0.2.53"),
        r("secure.example.", 3600, "NS", "ns.other.test."),
        r("secure.example.", 3600, "DS", "12345 13 2 " + "AB".repeat(32)));
  }

  private final TestClock clock = new TestClock();
  private final MemoryZoneStore store = new MemoryZoneStore();
  private final ZoneRegistry registry = new ZoneRegistry();

  private ZoneEditor signedEditor(boolean nsec3) {
    ZoneEditor editor = ZoneEditor.open(store, registry, Set.of(), clock);
    assertInstanceOf(EditOutcome.Applied.class, editor.create(n("example."), zone(), "test"));
    EditOutcome signed = editor.sign(ZoneSigning.generate(n("example."), SigningAlgorithm.ECDSAP256SHA256, nsec3,
        ZoneSigning.DEFAULT_ZSK_LIFETIME, clock.instant()), "test");
    assertInstanceOf(EditOutcome.Applied.class, signed, signed.toString());
    return editor;
  }

  @Test
  void aSignedZoneVerifiesWithNsecAndNsec3() throws Exception {
    for (boolean nsec3 : new boolean[] {false, true}) {
      ZoneSnapshot z = signedEditor(nsec3).zone(n("example.")).orElseThrow();
      assertTrue(z.apex().has(Type.DNSKEY));
      assertEquals(nsec3, z.apex().has(Type.NSEC3PARAM));
      assertEquals(!nsec3, z.apex().has(Type.NSEC));
      // glue and the NS of a delegation are not signed (RFC 4035 2.2); the DS is
      assertFalse(z.node(n("ns.sub.example.")).has(Type.RRSIG));
      assertTrue(signatureCovers(z, n("secure.example."), Type.DS));
      assertFalse(signatureCovers(z, n("secure.example."), Type.NS));
      verifyEverySignature(z);
      dnssecVerify(z, nsec3 ? "nsec3" : "nsec");
      store.commit(List.of(new dev.namu.zones.store.ZoneWrite.Drop(n("example."), z.serial())), "test");
    }
  }

  @Test
  void anEditSignsAgainOnlyWhatItTouched() throws Exception {
    ZoneEditor editor = signedEditor(false);
    ZoneSnapshot before = editor.zone(n("example.")).orElseThrow();
    EditOutcome out = editor.edit(new ZoneChange(n("example."), List.of(),
        List.of(new RecordOperation.Add(r("new.example.", 300, "A", "192.0.2.99"))), ChangeMode.STRICT), "test");
    EditOutcome.Applied applied = assertInstanceOf(EditOutcome.Applied.class, out);
    ZoneSnapshot after = editor.zone(n("example.")).orElseThrow();
    verifyEverySignature(after);
    dnssecVerify(after, "edit");
    // new signatures: the new A, its NSEC, the NSEC before it (its next name changed), the SOA
    long newSigs = applied.diffs().get(0).added().stream().filter(x -> x.getType() == Type.RRSIG).count();
    assertEquals(4, newSigs, applied.diffs().get(0).added().toString());
    assertTrue(before.records().stream().filter(x -> x.getType() == Type.RRSIG).count() > 15);
  }

  @Test
  void editsOfAZoneWithoutDelegationsKeepItsChainWhole() throws Exception {
    ZoneEditor editor = ZoneEditor.open(store, registry, Set.of(), clock);
    Name origin = n("flat.");
    List<Record> records = new ArrayList<>(List.of(
        r("flat.", 3600, "SOA", "ns1.flat. hostmaster.flat. 1 3600 600 86400 300"),
        r("flat.", 3600, "NS", "ns1.flat."),
        r("ns1.flat.", 3600, "A", "192.0.2.1")));
    for (String h : List.of("c", "e", "g", "x.y.k")) {
      records.add(r(h + ".flat.", 300, "A", "192.0.2.2"));
    }
    editor.create(origin, records, "test");
    editor.sign(ZoneSigning.generate(origin, SigningAlgorithm.ECDSAP256SHA256, false, ZoneSigning.DEFAULT_ZSK_LIFETIME,
        clock.instant()), "test");
    List<RecordOperation> edits = List.of(
        new RecordOperation.Add(r("d.flat.", 300, "A", "192.0.2.3")),        // joins between c and e
        new RecordOperation.Add(r("zzz.flat.", 300, "TXT", "\"last\"")),    // joins at the end
        new RecordOperation.Add(r("a.flat.", 300, "A", "192.0.2.4")),        // joins right after the apex
        new RecordOperation.Add(r("e.flat.", 300, "AAAA", "2001:db8::e")),   // a new type at a name
        new RecordOperation.DeleteName(n("zzz.flat.")),                      // the last leaves
        new RecordOperation.DeleteName(n("c.flat.")),                        // one in the middle leaves
        new RecordOperation.DeleteRRset(n("e.flat."), Type.A),               // a type goes, the name stays
        new RecordOperation.DeleteName(n("x.y.k.flat.")),                    // below empty non-terminals
        new RecordOperation.Add(r("m.n.flat.", 300, "A", "192.0.2.5")));
    for (RecordOperation op : edits) {
      EditOutcome out = editor.edit(new ZoneChange(origin, List.of(), List.of(op), ChangeMode.STRICT), "test");
      EditOutcome.Applied applied = assertInstanceOf(EditOutcome.Applied.class, out, op.toString());
      ZoneSnapshot z = editor.zone(origin).orElseThrow();
      verifyEverySignature(z);
      assertChainMatchesData(z);
      // only a few signatures made anew: the RRsets touched, the SOA, the NSEC records around
      long fresh = applied.diffs().get(0).added().stream().filter(x -> x.getType() == Type.RRSIG).count();
      assertTrue(fresh >= 2 && fresh <= 5, op + ": " + fresh + " new signatures");
    }
    dnssecVerify(editor.zone(origin).orElseThrow(), "flat");
  }

  /** The NSEC chain is the one a full signing gives: every name with data, in order, with its types. */
  private static void assertChainMatchesData(ZoneSnapshot z) {
    java.util.TreeMap<Name, java.util.TreeSet<Integer>> types = new java.util.TreeMap<>();
    for (Record x : z.records()) {
      if (!ZoneSigner.isSignerType(x.getType()) || x.getType() == Type.DNSKEY) {
        types.computeIfAbsent(x.getName(), k -> new java.util.TreeSet<>()).add(x.getType());
      }
    }
    List<Name> names = new ArrayList<>(types.keySet());
    for (int i = 0; i < names.size(); i++) {
      org.xbill.DNS.NSECRecord nsec = (org.xbill.DNS.NSECRecord) z.node(names.get(i)).first(Type.NSEC);
      assertEquals(names.get((i + 1) % names.size()), nsec.getNext(), "NSEC of " + names.get(i));
      java.util.TreeSet<Integer> want = new java.util.TreeSet<>(types.get(names.get(i)));
      want.add(Type.RRSIG);
      want.add(Type.NSEC);
      assertEquals(want, java.util.Arrays.stream(nsec.getTypes()).boxed().collect(Collectors.toCollection(java.util.TreeSet::new)),
          "bitmap of " + names.get(i));
    }
    long nsecs = z.records().stream().filter(x -> x.getType() == Type.NSEC).count();
    assertEquals(names.size(), nsecs, "one NSEC per name with data");
  }

  @Test
  void theSignersRecordsAreNotEditedByHand() {
    ZoneEditor editor = signedEditor(false);
    EditOutcome out = editor.edit(new ZoneChange(n("example."), List.of(),
        List.of(new RecordOperation.DeleteRRset(n("www.example."), Type.RRSIG)), ChangeMode.STRICT), "test");
    EditOutcome.Rejected rejected = assertInstanceOf(EditOutcome.Rejected.class, out);
    assertEquals(RejectReason.SIGNED_BY_SERVER, rejected.reason());
    assertTrue(rejected.message().contains("signed by namud"), rejected.message());
  }

  @Test
  void signaturesAreMadeAgainBeforeTheyExpire() throws Exception {
    ZoneEditor editor = signedEditor(false);
    ZoneSnapshot before = editor.zone(n("example.")).orElseThrow();
    assertInstanceOf(EditOutcome.Applied.class, editor.maintainSigning(n("example."), "test"));
    assertEquals(before.serial(), editor.zone(n("example.")).orElseThrow().serial(), "nothing due yet");
    Instant due = editor.signingDue(n("example.")).orElseThrow();
    clock.advance(Duration.between(clock.instant(), due).plusMinutes(1));
    assertInstanceOf(EditOutcome.Applied.class, editor.maintainSigning(n("example."), "test"));
    ZoneSnapshot after = editor.zone(n("example.")).orElseThrow();
    assertTrue(after.serial() > before.serial());
    for (Record x : after.records()) {
      if (x instanceof RRSIGRecord sig) {
        assertTrue(Duration.between(clock.instant(), sig.getExpire()).compareTo(ZoneSigner.REFRESH) > 0, sig.toString());
      }
    }
    verifyEverySignature(after);
  }

  @Test
  void aZskRollsByPrePublication() throws Exception {
    ZoneEditor editor = signedEditor(true);
    Name origin = n("example.");
    int oldZsk = zskTags(editor, KeyState.ACTIVE).get(0);
    clock.advance(ZoneSigning.DEFAULT_ZSK_LIFETIME);
    editor.maintainSigning(origin, "test");
    // published beside the old one, not signing yet
    assertEquals(List.of(oldZsk), zskTags(editor, KeyState.ACTIVE));
    assertEquals(1, zskTags(editor, KeyState.PUBLISHED).size());
    int newZsk = zskTags(editor, KeyState.PUBLISHED).get(0);
    assertEquals(3, editor.zone(origin).orElseThrow().apex().rrset(Type.DNSKEY).size());
    assertEquals(Set.of(oldZsk), zoneSigners(editor));
    // after the DNSKEY TTL and the propagation delay it signs, the old one stays published
    clock.advance(Duration.between(clock.instant(), editor.signingDue(origin).orElseThrow()).plusSeconds(1));
    editor.maintainSigning(origin, "test");
    assertEquals(List.of(newZsk), zskTags(editor, KeyState.ACTIVE));
    assertEquals(List.of(oldZsk), zskTags(editor, KeyState.RETIRED));
    assertEquals(Set.of(newZsk), zoneSigners(editor));
    dnssecVerify(editor.zone(origin).orElseThrow(), "rolled");
    // and it goes once its signatures can have left the caches
    clock.advance(Duration.between(clock.instant(), editor.signingDue(origin).orElseThrow()).plusSeconds(1));
    editor.maintainSigning(origin, "test");
    assertEquals(List.of(), zskTags(editor, KeyState.RETIRED));
    assertEquals(2, editor.zone(origin).orElseThrow().apex().rrset(Type.DNSKEY).size());
    verifyEverySignature(editor.zone(origin).orElseThrow());
  }

  private static List<Integer> zskTags(ZoneEditor editor, KeyState state) {
    ZoneSigning s = editor.signing(n("example.")).orElseThrow();
    return s.keys().stream().filter(k -> k.role() == KeyRole.ZSK && k.state() == state)
        .map(k -> k.tag(n("example."))).toList();
  }

  /** Key tags of the signatures over the SOA (a ZSK's). */
  private static Set<Integer> zoneSigners(ZoneEditor editor) {
    ZoneSnapshot z = editor.zone(n("example.")).orElseThrow();
    return z.apex().records().stream().filter(x -> x instanceof RRSIGRecord s && s.getTypeCovered() == Type.SOA)
        .map(x -> ((RRSIGRecord) x).getFootprint()).collect(Collectors.toSet());
  }

  private static boolean signatureCovers(ZoneSnapshot z, Name name, int type) {
    return z.node(name).records().stream().anyMatch(x -> x instanceof RRSIGRecord s && s.getTypeCovered() == type);
  }

  /** Every RRSIG verifies over its RRset with the zone's DNSKEY of its tag (dnsjava's own check). */
  private void verifyEverySignature(ZoneSnapshot z) throws Exception {
    List<Record> keys = z.apex().records().stream().filter(x -> x.getType() == Type.DNSKEY).toList();
    int checked = 0;
    for (Record x : z.records()) {
      if (x instanceof RRSIGRecord sig) {
        RRset set = new RRset();
        z.records().stream().filter(y -> y.getName().equals(x.getName()) && y.getType() == sig.getTypeCovered()).forEach(set::addRR);
        DNSKEYRecord key = (DNSKEYRecord) keys.stream()
            .filter(k -> ((DNSKEYRecord) k).getFootprint() == sig.getFootprint()).findFirst().orElseThrow();
        DNSSEC.verify(set, sig, key, clock.instant());
        checked++;
      }
    }
    assertTrue(checked > 10, "signatures checked: " + checked);
  }

  /**
   * ldns-verify-zone accepts the zone as signed (NSEC or NSEC3 chain, bitmaps, signatures) at the
   * test clock's time, and BIND's dnssec-verify too while that clock is still near the real time
   * (it takes no other).
   */
  private void dnssecVerify(ZoneSnapshot z, String label) throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/ldns-verify-zone")), "ldns-verify-zone (ldnsutils) is not installed");
    Path file = dir.resolve(label + ".zone");
    List<String> lines = new ArrayList<>();
    z.records().forEach(x -> lines.add(x.toString()));
    Files.write(file, lines, StandardCharsets.UTF_8);
    String when = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneId.of("UTC"))
        .format(clock.instant());
    run(label, "ldns-verify-zone", "-t", when, file.toString());
    if (Duration.between(Instant.now(), clock.instant()).abs().compareTo(Duration.ofMinutes(30)) < 0) {
      assumeTrue(Files.isExecutable(Path.of("/usr/bin/dnssec-verify")), "dnssec-verify (bind9-utils) is not installed");
      run(label, "dnssec-verify", "-q", "-o", z.origin().toString(), file.toString());
    }
  }

  private static void run(String label, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), command[0] + " did not finish");
    assertEquals(0, p.exitValue(), command[0] + " on " + label + ":\n" + out);
  }
}
