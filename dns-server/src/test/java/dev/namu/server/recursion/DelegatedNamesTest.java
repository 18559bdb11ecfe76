package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A name below a delegation in a zone namud serves, asked over real sockets: namud serves {@code
 * corp.}, which delegates {@code sub.corp.} to another server on 127.0.0.15; the test root does
 * not know {@code corp.} at all, so only iteration from namud's own delegation finds the child.
 * A client that may recurse and sets RD gets the answer (RA), as from BIND or Unbound; a client
 * without RD, or outside the recursion ACL, or a namud without recursion, gets the referral.
 */
class DelegatedNamesTest {
  private static final int SLOW_MS = 15_000;
  private static final String CHILD = "127.0.0.15";

  @TempDir static Path dir;
  static TestHierarchy hierarchy;
  static NamudServer child;
  static NamudServer recursor;
  static InetSocketAddress address;
  static Path zones;

  @BeforeAll
  static void start() throws Exception {
    hierarchy = TestHierarchy.start(dir);
    Path childZones = Files.createDirectories(dir.resolve("child-zones"));
    TestHierarchy.writeServedZone(childZones, "sub.corp.", CHILD, "www 300 IN A 192.0.2.50\n");
    child = NamudServer.start("--listen", CHILD + ":" + hierarchy.port, "--zones", childZones.toString(),
        "--no-api", "--no-metrics", "--no-recursion", "--data", dir.resolve("child-data").toString(), "--log-level", "WARN");
    zones = Files.createDirectories(dir.resolve("zones"));
    TestHierarchy.writeServedZone(zones, "corp.", "10.0.0.53", """
        sub 300 IN NS ns.sub
        ns.sub 300 IN A 127.0.0.15
        alias 300 IN CNAME www.sub.corp.
        """);
    TestHierarchy.writeServedZone(zones, "lan.", "10.0.0.53", """
        into 300 IN CNAME www.sub.corp.
        """);
    recursor = recursor("recursor");
    address = recursor.boundAddresses().get(0);
  }

  /** A namud over the zones above, resolving through the test hierarchy, plus {@code flags}. */
  private static NamudServer recursor(String name, String... flags) {
    List<String> args = new java.util.ArrayList<>(List.of("--listen", "127.0.0.1:0", "--zones", zones.toString(),
        "--no-api", "--no-metrics", "--data", dir.resolve(name + "-data").toString(), "--root-hints", hierarchy.hints.toString(),
        "--upstream-port", Integer.toString(hierarchy.port), "--no-local-zone", "test", "--log-level", "WARN"));
    args.addAll(List.of(flags));
    return NamudServer.start(args.toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {recursor, child, hierarchy}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing the rest matters more
      }
    }
  }

  private static Message ask(InetSocketAddress server, Message q) throws Exception {
    byte[] reply = DnsWire.udp(server, q.toWire(), SLOW_MS);
    assertNotNull(reply, "no reply to " + q.getQuestion());
    return new Message(reply);
  }

  private static Message norec(String name, int type) {
    Message q = DnsWire.query(name, type);
    q.getHeader().unsetFlag(Flags.RD);
    return q;
  }

  private static List<String> section(Message m, int section) {
    return m.getSection(section).stream()
        .map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString()).toList();
  }

  private static void assertReferral(Message m) {
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
    assertTrue(m.getSection(Section.ANSWER).isEmpty(), m.toString());
    assertFalse(m.getHeader().getFlag(Flags.AA), "a referral is not authoritative\n" + m);
    assertEquals(List.of("sub.corp. NS ns.sub.corp."), section(m, Section.AUTHORITY), m.toString());
    assertEquals(List.of("ns.sub.corp. A 127.0.0.15"), section(m, Section.ADDITIONAL), m.toString());
  }

  /** The child's data, resolved: RA, and not authoritative. */
  private static void assertResolved(Message m, String... answer) {
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
    assertEquals(List.of(answer), section(m, Section.ANSWER), m.toString());
    assertTrue(m.getHeader().getFlag(Flags.RA), m.toString());
    assertFalse(m.getHeader().getFlag(Flags.AA), "the child's data, resolved\n" + m);
  }

  @Test
  void aRecursiveClientGetsTheNameBelowTheCutResolved() throws Exception {
    assertResolved(ask(address, DnsWire.query("www.sub.corp.", Type.A)), "www.sub.corp. A 192.0.2.50");
    // over TCP too, and a name the child does not have
    Message tcp = DnsWire.tcp(address, DnsWire.query("nothere.sub.corp.", Type.A));
    assertEquals(Rcode.NXDOMAIN, tcp.getRcode(), tcp.toString());
    assertTrue(tcp.getHeader().getFlag(Flags.RA), tcp.toString());
  }

  @Test
  void withoutRecursionDesiredTheReferralStays() throws Exception {
    for (int i = 0; i < 3; i++) { // the first reply is built, later ones could come from a prepared copy
      Message m = ask(address, norec("www.sub.corp.", Type.A));
      assertReferral(m);
    }
    // a recursive client after those: still resolved, never a kept referral
    Message rd = ask(address, DnsWire.query("www.sub.corp.", Type.A));
    assertEquals(List.of("www.sub.corp. A 192.0.2.50"), section(rd, Section.ANSWER), rd.toString());
  }

  @Test
  void cnamesIntoTheDelegatedChildAreContinued() throws Exception {
    assertResolved(ask(address, DnsWire.query("alias.corp.", Type.A)),
        "alias.corp. CNAME www.sub.corp.", "www.sub.corp. A 192.0.2.50");
    Message other = ask(address, DnsWire.query("into.lan.", Type.A));
    assertEquals(List.of("into.lan. CNAME www.sub.corp.", "www.sub.corp. A 192.0.2.50"),
        section(other, Section.ANSWER), other.toString());
    // without RD: the chain and the referral, as before
    Message norec = ask(address, norec("alias.corp.", Type.A));
    assertEquals(List.of("alias.corp. CNAME www.sub.corp."), section(norec, Section.ANSWER), norec.toString());
    assertEquals(List.of("sub.corp. NS ns.sub.corp."), section(norec, Section.AUTHORITY), norec.toString());
  }

  @Test
  void dsAtTheCutIsAnsweredByTheParent() throws Exception {
    Message m = ask(address, DnsWire.query("sub.corp.", Type.DS));
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
    assertTrue(m.getHeader().getFlag(Flags.AA), "the parent's own data (RFC 4035 3.1.4.1)\n" + m);
    assertTrue(m.getSection(Section.ANSWER).isEmpty(), m.toString());
    assertEquals("corp.", m.getSection(Section.AUTHORITY).get(0).getName().toString(), m.toString());
  }

  @Test
  void aClientOutsideTheAclOrANamudWithoutRecursionGetsTheReferral() throws Exception {
    try (NamudServer closed = recursor("acl", "--allow-recursion", "10.0.0.0/8")) {
      Message m = ask(closed.boundAddresses().get(0), DnsWire.query("www.sub.corp.", Type.A));
      assertReferral(m);
      assertEquals(0, closed.recursion().orElseThrow().resolver().stats().upstreamQueries());
    }
    try (NamudServer authOnly = NamudServer.start("--listen", "127.0.0.1:0", "--zones", zones.toString(),
        "--no-api", "--no-metrics", "--data", dir.resolve("auth-only-data").toString(), "--no-recursion", "--log-level", "WARN")) {
      for (int i = 0; i < 2; i++) {
        assertReferral(ask(authOnly.boundAddresses().get(0), DnsWire.query("www.sub.corp.", Type.A)));
      }
    }
  }
}
