package dev.namu.zones.model;

import static dev.namu.zones.TestZones.name;
import static dev.namu.zones.TestZones.records;
import static dev.namu.zones.TestZones.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class ZoneSnapshotTest {

  private static final String HEAD =
      "$TTL 3600\n@ SOA ns hostmaster 7 3600 900 604800 300\n  NS ns\nns A 192.0.2.53\n";

  @Test
  void indexesNamesIgnoringCaseAndKeepsTheZoneSpelling() {
    ZoneSnapshot z = zone("example.", HEAD + "Host A 192.0.2.1\nhost TXT \"x\"\n");
    Node n = z.node(name("HOST.EXAMPLE."));
    assertNotNull(n);
    assertEquals("Host.example.", n.name().toString());
    assertEquals(1, n.rrset(Type.A).size());
    assertEquals(1, n.rrset(Type.TXT).size());
    assertNull(n.rrset(Type.MX));
    assertEquals(7, z.serial());
    assertEquals(name("example."), z.origin());
    assertTrue(z.apex().isApex());
  }

  @Test
  void addsEmptyNonTerminalsAboveDeepNames() {
    ZoneSnapshot z = zone("example.", HEAD + "a.b.c A 192.0.2.1\n");
    assertTrue(z.node(name("b.c.example.")).isEmptyNonTerminal());
    assertTrue(z.node(name("c.example.")).isEmptyNonTerminal());
    assertFalse(z.node(name("a.b.c.example.")).isEmptyNonTerminal());
    assertNull(z.node(name("x.c.example.")));
  }

  @Test
  void negativeSoaTtlIsTheSmallerOfTtlAndMinimum() {
    // RFC 2308 section 3
    ZoneSnapshot low = zone("example.", HEAD);
    assertEquals(300, low.negativeSoa().getTTL());
    ZoneSnapshot high = zone("example.",
        "$TTL 60\n@ SOA ns hostmaster 7 3600 900 604800 300\n  NS ns\nns A 192.0.2.53\n");
    assertEquals(60, high.negativeSoa().getTTL());
    assertEquals(60, high.soa().getTTL());
  }

  @Test
  void recordsAreCanonicalAndDeduplicated() {
    ZoneSnapshot z = zone("example.", HEAD
        + "b A 192.0.2.2\nb A 192.0.2.1\nb A 192.0.2.1\na A 192.0.2.9\nZ.a A 192.0.2.3\n");
    List<String> names = z.records().stream()
        .map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString())
        .collect(Collectors.toList());
    assertEquals(List.of(
        "example. NS ns.example.",
        "example. SOA ns.example. hostmaster.example. 7 3600 900 604800 300",
        "a.example. A 192.0.2.9",
        "Z.a.example. A 192.0.2.3",
        "b.example. A 192.0.2.1",
        "b.example. A 192.0.2.2",
        "ns.example. A 192.0.2.53"), names);
  }

  @Test
  void flagsDelegationsDnamesAndWildcards() {
    ZoneSnapshot z = zone("example.", HEAD
        + "sub NS ns.sub\nns.sub A 192.0.2.9\n*.w A 192.0.2.1\nd DNAME example.net.\n");
    assertTrue(z.node(name("sub.example.")).isDelegation());
    assertFalse(z.apex().isDelegation());
    assertTrue(z.node(name("*.w.example.")).isWildcard());
    assertTrue(z.node(name("d.example.")).hasDname());
    assertTrue(z.hasDelegations() && z.hasDnames() && z.hasWildcards());
  }

  @Test
  void rrsetsAreFreshObjects() {
    ZoneSnapshot z = zone("example.", HEAD);
    RRset a = z.node(name("ns.example.")).rrset(Type.A);
    a.clear();
    assertEquals(1, z.node(name("ns.example.")).rrset(Type.A).size());
  }

  private static List<ZoneProblem> problems(String text) {
    ZoneValidationException e = assertThrows(ZoneValidationException.class,
        () -> ZoneSnapshot.build(name("example."), records("example.", text)));
    return e.problems();
  }

  private static void assertProblem(List<ZoneProblem> problems, String fragment) {
    assertTrue(problems.stream().anyMatch(p -> p.message().contains(fragment)),
        () -> "expected a problem with '" + fragment + "' in " + problems);
  }

  @Test
  void rejectsZoneWithoutSoa() {
    assertProblem(problems("$TTL 1\n@ NS ns\nns A 192.0.2.1\n"), "no SOA");
  }

  @Test
  void rejectsZoneWithoutApexNs() {
    assertProblem(problems("$TTL 1\n@ SOA ns h 1 2 3 4 5\nns A 192.0.2.1\n"), "no NS");
  }

  @Test
  void rejectsCnameWithOtherData() {
    assertProblem(problems(HEAD + "x CNAME ns\nx A 192.0.2.1\n"), "CNAME and other data");
    assertProblem(problems(HEAD + "@ CNAME ns\n"), "CNAME and other data");
    assertProblem(problems(HEAD + "x CNAME ns\nx CNAME ns2\n"), "more than one CNAME");
  }

  @Test
  void rejectsDataOutsideTheZone() {
    assertProblem(problems(HEAD + "www.example.net. A 192.0.2.1\n"), "outside the zone");
  }

  @Test
  void rejectsMissingGlueButAcceptsOutOfZoneServers() {
    assertProblem(problems(HEAD + "sub NS ns.sub\n"), "no glue");
    assertProblem(problems(HEAD + "sub NS ns.sub\nsub2 NS ns.sub\nns.sub A 192.0.2.1\nsub2 NS x.sub2\n"),
        "x.sub2.example.");
    zone("example.", HEAD + "sub NS ns.example.net.\n");
    zone("example.", HEAD + "sub NS ns\n"); // in zone, not below a cut: authoritative, not glue
    zone("example.", HEAD + "sub NS ns.sub\nns.sub AAAA 2001:db8::1\n");
  }

  @Test
  void rejectsSoaAwayFromApexAndDataBelowDname() {
    assertProblem(problems(HEAD + "x SOA ns h 1 2 3 4 5\n"), "not the zone apex");
    assertProblem(problems(HEAD + "d DNAME example.net.\nx.d A 192.0.2.1\n"), "below the DNAME");
  }

  @Test
  void collectsEveryProblemInOneRun() {
    List<ZoneProblem> p = problems("$TTL 1\n@ SOA ns h 1 2 3 4 5\nx CNAME ns\nx A 192.0.2.1\n"
        + "o.example.net. A 192.0.2.1\n");
    assertProblem(p, "no NS");
    assertProblem(p, "CNAME and other data");
    assertProblem(p, "outside the zone");
    assertTrue(p.size() >= 3);
  }

  @Test
  void locatorPlacesProblems() {
    List<Record> rs = records("example.", HEAD + "x CNAME ns\nx A 192.0.2.1\n");
    ZoneValidationException e = assertThrows(ZoneValidationException.class,
        () -> ZoneSnapshot.build(name("example."), rs,
            (r, m) -> new ZoneProblem("f.zone", r == null ? 0 : rs.indexOf(r) + 1, m)));
    assertEquals("f.zone:4: x.example. has a CNAME and other data (A); a CNAME must be alone at its"
        + " name (RFC 1034 3.6.2, RFC 2181 10.1)", e.problems().get(0).toString());
  }

  @Test
  void buildsLargeZoneQuickly() {
    List<Record> rs = new ArrayList<>(records("example.", HEAD));
    Name origin = name("example.");
    for (int i = 0; i < 200_000; i++) {
      rs.add(new org.xbill.DNS.ARecord(Name.fromConstantString("h" + i + ".example."), 1, 300,
          new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}));
    }
    long t0 = System.nanoTime();
    ZoneSnapshot z;
    try {
      z = ZoneSnapshot.build(origin, rs);
    } catch (ZoneValidationException e) {
      throw new AssertionError(e);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(200_003, z.records().size());
    assertNotNull(z.node(name("h199999.example.")));
    assertTrue(ms < 10_000, "build took " + ms + " ms");
  }

  @Test
  void warnsAboutLikelyMistakesWithoutRejecting() {
    ZoneSnapshot z = zone("example.", HEAD + "t 100 A 192.0.2.1\nt 200 A 192.0.2.2\n"
        + "sub NS ns.sub\nns.sub A 192.0.2.3\nhidden.sub TXT \"x\"\n"
        + "mx MX 1 alias\nalias CNAME ns\n");
    List<String> w = z.warnings().stream().map(ZoneProblem::message).collect(Collectors.toList());
    assertEquals(3, w.size(), w::toString);
    assertTrue(w.stream().anyMatch(m -> m.contains("RFC 2181 5.2")), w::toString);
    assertTrue(w.stream().anyMatch(m -> m.startsWith("hidden.sub.example. TXT is below a zone cut")), w::toString);
    assertTrue(w.stream().anyMatch(m -> m.contains("RFC 2181 10.3")), w::toString);
    assertEquals(100, z.node(name("t.example.")).rrset(Type.A).getTTL());
    assertEquals(List.of(), zone("example.", HEAD).warnings());
  }
}
