package dev.namu.zones.lookup;

import static dev.namu.zones.TestZones.name;
import static dev.namu.zones.TestZones.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class AuthoritativeAnswererTest {

  private static final String HEAD =
      "$TTL 3600\n@ SOA ns hostmaster 1 3600 900 604800 600\n  NS ns\nns A 192.0.2.53\n";

  private final AuthoritativeAnswerer answerer = new AuthoritativeAnswerer();

  private static ZoneSet set(ZoneSnapshot... zones) {
    return ZoneSet.of(List.of(zones));
  }

  private AuthoritativeAnswer ask(ZoneSet zones, String qname, int qtype) {
    return answerer.answer(zones, name(qname), qtype).orElseThrow();
  }

  private static List<String> owners(List<RRset> sets) {
    return sets.stream().map(s -> s.getName() + "/" + Type.string(s.getType())).collect(Collectors.toList());
  }

  @Test
  void nameOutsideServedZonesGetsNothing() {
    ZoneSet zones = set(zone("example.", HEAD));
    assertTrue(answerer.answer(zones, name("example.org."), Type.A).isEmpty());
    assertTrue(answerer.answer(ZoneSet.empty(), name("example."), Type.A).isEmpty());
  }

  @Test
  void ownerNamesKeepTheZoneSpellingAndMatchingIgnoresCase() {
    ZoneSet zones = set(zone("example.", HEAD + "MiXeD A 192.0.2.1\n"));
    AuthoritativeAnswer a = ask(zones, "mixed.EXAMPLE.", Type.A);
    assertEquals(List.of("MiXeD.example./A"), owners(a.answer()));
    assertTrue(a.authoritative());
    assertEquals(List.of(), a.authority());
  }

  @Test
  void negativeAnswersUseTheSmallerOfSoaTtlAndMinimum() {
    ZoneSet zones = set(zone("example.", HEAD));
    AuthoritativeAnswer nx = ask(zones, "nope.example.", Type.A);
    assertEquals(Rcode.NXDOMAIN, nx.rcode());
    assertEquals(600, nx.authority().get(0).getTTL());
    AuthoritativeAnswer nodata = ask(zones, "ns.example.", Type.MX);
    assertEquals(Rcode.NOERROR, nodata.rcode());
    assertEquals(List.of("example./SOA"), owners(nodata.authority()));
    assertTrue(nodata.answer().isEmpty());
  }

  @Test
  void cnameLoopsStopAtTheFirstRepeatedName() {
    ZoneSet zones = set(zone("example.", HEAD + "a CNAME b\nb CNAME c\nc CNAME a\n"));
    AuthoritativeAnswer r = ask(zones, "a.example.", Type.A);
    assertEquals(List.of("a.example./CNAME", "b.example./CNAME", "c.example./CNAME"), owners(r.answer()));
    assertEquals(Rcode.NOERROR, r.rcode());
  }

  @Test
  void longChainsStopAtTheBudget() {
    StringBuilder sb = new StringBuilder(HEAD);
    for (int i = 0; i < 40; i++) {
      sb.append("c").append(i).append(" CNAME c").append(i + 1).append('\n');
    }
    sb.append("c40 A 192.0.2.1\n");
    AuthoritativeAnswer r = ask(set(zone("example.", sb.toString())), "c0.example.", Type.A);
    assertEquals(AuthoritativeAnswerer.MAX_CHAIN, r.answer().size());
    assertTrue(r.answer().stream().allMatch(s -> s.getType() == Type.CNAME));
  }

  @Test
  void dnameSynthesizesCnameWithTheDnameTtl() {
    ZoneSet zones = set(
        zone("example.", HEAD + "d 120 DNAME example.net.\n"),
        zone("example.net.", HEAD + "host A 192.0.2.7\n"));
    AuthoritativeAnswer r = ask(zones, "Host.d.example.", Type.A);
    assertEquals(List.of("d.example./DNAME", "Host.d.example./CNAME", "host.example.net./A"), owners(r.answer()));
    RRset cname = r.answer().get(1);
    assertEquals(120, cname.getTTL());
    assertEquals(name("Host.example.net."), ((CNAMERecord) cname.first()).getTarget());
  }

  @Test
  void dnameThatMakesTooLongANameIsYxdomain() {
    String longTarget = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + ".";
    ZoneSet zones = set(zone("example.", HEAD + "d DNAME " + longTarget + "\n"));
    String qname = "x".repeat(60) + "." + "y".repeat(30) + ".d.example.";
    AuthoritativeAnswer r = ask(zones, qname, Type.A);
    assertEquals(Rcode.YXDOMAIN, r.rcode());
    assertEquals(List.of("d.example./DNAME"), owners(r.answer()));
  }

  @Test
  void wildcardSynthesisUsesTheQueryName() {
    ZoneSet zones = set(zone("example.", HEAD + "*.w A 192.0.2.9\n"));
    AuthoritativeAnswer r = ask(zones, "Some.W.example.", Type.A);
    assertEquals(List.of("Some.W.example./A"), owners(r.answer()));
    assertEquals(3600, r.answer().get(0).getTTL());
  }

  @Test
  void referralClearsAaAndOccludesNamesBelowTheCut() {
    ZoneSet zones = set(zone("example.",
        HEAD + "sub NS ns.sub\nsub NS ns.example.net.\nns.sub A 192.0.2.8\nns.sub AAAA 2001:db8::8\n"));
    for (String q : List.of("sub.example.", "ns.sub.example.", "deep.x.sub.example.")) {
      AuthoritativeAnswer r = ask(zones, q, Type.A);
      assertFalse(r.authoritative(), q);
      assertEquals(Rcode.NOERROR, r.rcode(), q);
      assertTrue(r.answer().isEmpty(), q);
      assertEquals(List.of("sub.example./NS"), owners(r.authority()), q);
      assertEquals(List.of("ns.sub.example./A", "ns.sub.example./AAAA"), owners(r.additional()), q);
    }
  }

  @Test
  void cnameIntoAnUnservedDelegationKeepsAa() {
    ZoneSet zones = set(zone("example.", HEAD + "sub NS ns.example.net.\nalias CNAME host.sub\n"));
    AuthoritativeAnswer r = ask(zones, "alias.example.", Type.A);
    assertTrue(r.authoritative());
    assertEquals(List.of("alias.example./CNAME"), owners(r.answer()));
    assertEquals(List.of("sub.example./NS"), owners(r.authority()));
  }

  @Test
  void dsComesFromTheParentSideWhenBothAreServed() {
    ZoneSnapshot parent = zone("example.",
        HEAD + "child NS ns.example.net.\nchild DS 1 8 2 0000000000000000000000000000000000000000000000000000000000000000\n");
    ZoneSnapshot child = zone("child.example.", HEAD);
    AuthoritativeAnswer both = ask(set(parent, child), "child.example.", Type.DS);
    assertEquals(List.of("child.example./DS"), owners(both.answer()));
    assertTrue(both.authoritative());
    // only the child served: NODATA from the child, as NSD and Knot answer
    AuthoritativeAnswer childOnly = ask(set(child), "child.example.", Type.DS);
    assertTrue(childOnly.answer().isEmpty());
    assertEquals(List.of("child.example./SOA"), owners(childOnly.authority()));
    // other types at the cut go to the child
    assertEquals(List.of("child.example./NS"), owners(ask(set(parent, child), "child.example.", Type.NS).answer()));
  }

  @Test
  void anyIsAnsweredWithOneRrset() {
    ZoneSet zones = set(zone("example.", HEAD + "h A 192.0.2.1\nh TXT \"x\"\nh MX 1 h\n"));
    AuthoritativeAnswer r = ask(zones, "h.example.", Type.ANY);
    assertEquals(1, r.answer().size());
    assertEquals(List.of("h.example./A"), owners(r.answer()));
  }

  @Test
  void emptyNonTerminalIsNodata() {
    ZoneSet zones = set(zone("example.", HEAD + "a.b.c A 192.0.2.1\n"));
    AuthoritativeAnswer r = ask(zones, "b.c.example.", Type.A);
    assertEquals(Rcode.NOERROR, r.rcode());
    assertTrue(r.answer().isEmpty());
    assertEquals(List.of("example./SOA"), owners(r.authority()));
  }

  @Test
  void answersAreNotSharedWithTheZone() {
    ZoneSet zones = set(zone("example.", HEAD));
    ask(zones, "ns.example.", Type.A).answer().get(0).clear();
    ask(zones, "nope.example.", Type.A).authority().get(0).clear();
    assertEquals(1, ask(zones, "ns.example.", Type.A).answer().get(0).size());
    assertEquals(1, ask(zones, "nope.example.", Type.A).authority().get(0).size());
  }

  @Test
  void lookupOutcomesAreTheClosedSet() {
    ZoneSnapshot z = zone("example.",
        HEAD + "c CNAME ns\nd DNAME example.net.\nsub NS ns.example.net.\n");
    assertInstanceOf(LookupOutcome.Answer.class, ZoneLookup.lookup(z, name("ns.example."), Type.A));
    assertInstanceOf(LookupOutcome.Cname.class, ZoneLookup.lookup(z, name("c.example."), Type.A));
    assertInstanceOf(LookupOutcome.Dname.class, ZoneLookup.lookup(z, name("x.d.example."), Type.A));
    assertInstanceOf(LookupOutcome.Referral.class, ZoneLookup.lookup(z, name("x.sub.example."), Type.A));
    assertInstanceOf(LookupOutcome.NoData.class, ZoneLookup.lookup(z, name("ns.example."), Type.MX));
    assertInstanceOf(LookupOutcome.NxDomain.class, ZoneLookup.lookup(z, name("x.example."), Type.A));
  }
}
