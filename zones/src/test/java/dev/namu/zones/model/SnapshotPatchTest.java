package dev.namu.zones.model;

import static dev.namu.zones.TestZones.name;
import static dev.namu.zones.TestZones.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** SnapshotPatch gives exactly what a full build of the same records gives, or defers to it. */
class SnapshotPatchTest {

  private static final String HEAD =
      "$TTL 3600\n@ SOA ns hostmaster 7 3600 900 604800 300\n  NS ns\nns A 192.0.2.53\n";

  private static Record rec(String owner, String type, long ttl, String rdata) {
    try {
      return Record.fromString(name(owner), Type.value(type), 1, ttl, rdata, Name.root);
    } catch (Exception e) {
      throw new IllegalArgumentException(owner + " " + type + " " + rdata, e);
    }
  }

  /** The records a full build gets for the same edit: the untouched ones, then the touched names'. */
  private static List<Record> allAfter(ZoneSnapshot base, Map<Name, List<Record>> touched) {
    List<Record> all = new ArrayList<>();
    for (Record r : base.records()) {
      if (!touched.containsKey(r.getName())) {
        all.add(r);
      }
    }
    touched.values().forEach(all::addAll);
    return all;
  }

  private static List<String> texts(List<Record> records) {
    List<String> out = new ArrayList<>();
    for (Record r : records) {
      out.add(r.toString()); // owner spelling, TTL and RDATA: Record.equals ignores the TTL
    }
    return out;
  }

  /** Every observable part of the two snapshots is the same, down to the spelling of names. */
  private static void assertSameSnapshot(ZoneSnapshot full, ZoneSnapshot patched) {
    assertEquals(texts(full.records()), texts(patched.records()));
    assertEquals(full.soa().toString(), patched.soa().toString());
    assertEquals(full.negativeSoaRecord().toString(), patched.negativeSoaRecord().toString());
    assertEquals(full.nodeCount(), patched.nodeCount());
    for (Node n : full.nodes()) {
      Node p = patched.node(n.name());
      assertNotNull(p, "missing node " + n.name());
      assertEquals(n.name().toString(), p.name().toString());
      assertEquals(texts(n.records()), texts(p.records()), "records at " + n.name());
      assertEquals(List.of(n.isApex(), n.isDelegation(), n.hasCname(), n.hasDname(), n.isWildcard(),
              n.isObscured(), n.hasWildcardChild(), n.isEmptyNonTerminal()),
          List.of(p.isApex(), p.isDelegation(), p.hasCname(), p.hasDname(), p.isWildcard(),
              p.isObscured(), p.hasWildcardChild(), p.isEmptyNonTerminal()), "flags at " + n.name());
    }
    assertEquals(full.warnings(), patched.warnings());
    assertEquals(List.of(full.hasDelegations(), full.hasDnames(), full.hasWildcards()),
        List.of(patched.hasDelegations(), patched.hasDnames(), patched.hasWildcards()));
  }

  private static ZoneSnapshot patchedAndChecked(ZoneSnapshot base, Map<Name, List<Record>> touched)
      throws ZoneValidationException {
    Optional<ZoneSnapshot> patched = SnapshotPatch.apply(base, touched);
    assertTrue(patched.isPresent(), "a plain edit is patched: " + touched);
    assertSameSnapshot(ZoneSnapshot.build(base.origin(), allAfter(base, touched)), patched.get());
    return patched.get();
  }

  private static Map<Name, List<Record>> edit(Object... nameThenRecords) {
    Map<Name, List<Record>> m = new LinkedHashMap<>();
    for (int i = 0; i < nameThenRecords.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<Record> rs = (List<Record>) nameThenRecords[i + 1];
      m.put(name((String) nameThenRecords[i]), rs);
    }
    return m;
  }

  private static Record soa(long serial) {
    return rec("example.", "SOA", 3600, "ns.example. hostmaster.example. " + serial + " 3600 900 604800 300");
  }

  private static List<Record> apex(long serial) {
    return List.of(soa(serial), rec("example.", "NS", 3600, "ns.example."));
  }

  @Test
  void addingAndRemovingNamesMakesAndDropsEmptyNonTerminals() throws Exception {
    ZoneSnapshot z = zone("example.", HEAD + "a.b.c A 192.0.2.1\nx TXT \"x\"\n");
    // a name two levels below an existing empty non-terminal, and a new deep branch
    z = patchedAndChecked(z, edit("example.", apex(8), "q.p.b.c.example.", List.of(rec("q.p.b.c.example.", "A", 60, "192.0.2.2")),
        "m.n.o.example.", List.of(rec("M.n.O.example.", "AAAA", 60, "2001:db8::1"))));
    assertTrue(z.node(name("p.b.c.example.")).isEmptyNonTerminal());
    assertEquals("n.O.example.", z.node(name("n.o.example.")).name().toString());
    // the last name below c goes: b.c and c stay while q.p.b.c is there; then both go
    z = patchedAndChecked(z, edit("example.", apex(9), "a.b.c.example.", List.of()));
    assertTrue(z.node(name("c.example.")).isEmptyNonTerminal());
    z = patchedAndChecked(z, edit("example.", apex(10), "q.p.b.c.example.", List.of()));
    assertEquals(null, z.node(name("c.example.")));
    assertEquals(null, z.node(name("p.b.c.example.")));
    // a name with records below it loses them: it stays, as an empty non-terminal
    z = patchedAndChecked(z, edit("example.", apex(11), "o.example.", List.of(rec("o.example.", "A", 60, "192.0.2.9"))));
    assertTrue(!z.node(name("o.example.")).isEmptyNonTerminal());
    z = patchedAndChecked(z, edit("example.", apex(12), "o.example.", List.of()));
    assertTrue(z.node(name("o.example.")).isEmptyNonTerminal());
    assertEquals(12, z.serial());
  }

  @Test
  void anEmptyNonTerminalTakesTheSpellingOfItsFirstNameBelowAsAFullBuildDoes() throws Exception {
    ZoneSnapshot z = zone("example.", HEAD + "c.B A 192.0.2.1\n");
    assertEquals("B.example.", z.node(name("b.example.")).name().toString());
    z = patchedAndChecked(z, edit("example.", apex(8), "a.b.example.", List.of(rec("a.b.example.", "A", 60, "192.0.2.2"))));
    assertEquals("b.example.", z.node(name("b.example.")).name().toString());
  }

  @Test
  void recordsOfAnRRsetAreSortedAndDuplicatesDropped() throws Exception {
    ZoneSnapshot z = zone("example.", HEAD + "h A 192.0.2.1\n");
    patchedAndChecked(z, edit("example.", List.of(rec("example.", "NS", 3600, "ns.example."), soa(8),
            rec("example.", "MX", 3600, "10 h.example.")),
        "h.example.", List.of(rec("h.example.", "TXT", 60, "\"t\""), rec("h.example.", "A", 60, "192.0.2.9"),
            rec("H.example.", "A", 60, "192.0.2.1"), rec("h.example.", "A", 60, "192.0.2.9"))));
  }

  @Test
  void randomPlainEditsMatchAFullBuild() throws Exception {
    Random random = new Random(20261124);
    String[] labels = {"a", "B", "c", "www", "mail", "x1", "Y2"};
    ZoneSnapshot z = zone("example.", HEAD + "a.b 300 A 192.0.2.1\nwww 300 TXT \"w\"\n");
    long serial = 8;
    for (int round = 0; round < 300; round++) {
      Map<Name, List<Record>> touched = new LinkedHashMap<>();
      touched.put(name("example."), apex(serial++));
      int names = 1 + random.nextInt(3);
      for (int k = 0; k < names; k++) {
        StringBuilder owner = new StringBuilder();
        int depth = 1 + random.nextInt(3);
        for (int d = 0; d < depth; d++) {
          owner.append(labels[random.nextInt(labels.length)]).append('.');
        }
        String o = owner.append("example.").toString();
        List<Record> rs = new ArrayList<>();
        if (random.nextInt(3) > 0) { // else the name loses all its records
          Node now = z.node(name(o));
          if (now != null && random.nextBoolean()) {
            rs.addAll(now.records());
          }
          for (int i = random.nextInt(3); i >= 0; i--) {
            rs.add(random.nextBoolean()
                ? rec(o, "A", 300, "192.0.2." + random.nextInt(4))
                : rec(o, "TXT", 300, "\"t" + random.nextInt(3) + "\""));
          }
          rs.add(rec(o, "MX", 300, "10 ns.example."));
        }
        if (name(o).equals(name("ns.example."))) {
          continue; // the name server's address stays
        }
        touched.put(name(o), rs);
      }
      z = patchedAndChecked(z, touched);
    }
    assertTrue(z.nodeCount() > 5);
  }

  @Test
  void anythingAFullBuildMustJudgeIsLeftToIt() throws Exception {
    ZoneSnapshot z = zone("example.", HEAD + "h A 192.0.2.1\n");
    List<Map<Name, List<Record>>> deferred = List.of(
        edit("example.", apex(8), "c.example.", List.of(rec("c.example.", "CNAME", 60, "h.example."))),
        edit("example.", apex(8), "sub.example.", List.of(rec("sub.example.", "NS", 60, "ns.other."))),
        edit("example.", apex(8), "d.example.", List.of(rec("d.example.", "DNAME", 60, "other."))),
        edit("example.", apex(8), "*.example.", List.of(rec("*.example.", "A", 60, "192.0.2.7"))),
        edit("example.", apex(8), "h.example.", List.of(rec("h.example.", "A", 60, "192.0.2.1"),
            rec("h.example.", "A", 120, "192.0.2.2"))),
        edit("example.", List.of(soa(8))),
        edit("example.", apex(8), "h.example.", List.of(soa(8))),
        edit("example.", apex(8), "out.other.", List.of(rec("out.other.", "A", 60, "192.0.2.1"))));
    for (Map<Name, List<Record>> e : deferred) {
      assertEquals(Optional.empty(), SnapshotPatch.apply(z, e), e.toString());
    }
    // a zone that has a cut, or warnings, is always built in full
    ZoneSnapshot cut = zone("example.", HEAD + "sub NS ns.sub\nns.sub A 192.0.2.9\n");
    assertEquals(Optional.empty(), SnapshotPatch.apply(cut, edit("example.", apex(8))));
    ZoneSnapshot warned = zone("example.", HEAD + "al CNAME ns\n@ MX 10 al\n");
    assertTrue(!warned.warnings().isEmpty());
    assertEquals(Optional.empty(), SnapshotPatch.apply(warned, edit("example.", apex(8))));
    // an MX that points at an alias would earn a warning
    ZoneSnapshot alias = zone("example.", HEAD + "al CNAME ns\n");
    assertEquals(Optional.empty(), SnapshotPatch.apply(alias,
        edit("example.", apex(8), "m.example.", List.of(rec("m.example.", "MX", 60, "10 al.example.")))));
    assertEquals(8, ((SOARecord) apex(8).get(0)).getSerial());
  }
}
