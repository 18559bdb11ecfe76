package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.cli.Namuctl;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.auth.LocallyServedZones;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The locally served zones (RFC 6303, RFC 6761, RFC 8375) through a real namud over UDP, in front
 * of a scripted root on 127.0.0.161 that answers every question (a leak would get an answer) and
 * records every query it gets: private reverse names, home.arpa, localhost, invalid and test are
 * answered by namud and none reaches the root, while a public name does.
 */
class LocallyServedZonesTest {
  private static final String ROOT = "127.0.0.161";
  private static final int REPLY_MS = 8_000;
  private static final String EMPTY_SOA = "localhost. nobody.invalid. 1 3600 1200 604800 10800";

  @TempDir Path dir;
  private final List<AutoCloseable> running = new ArrayList<>();
  private ScriptedHierarchy net;
  private InetSocketAddress dns;
  private String api;
  private Path data;

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  /** The root answers everything itself, with AA: whatever reaches it would resolve. */
  private static Message root(Message q) {
    Message m = new Message(q.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(q.getQuestion(), Section.QUESTION);
    Name qname = q.getQuestion().getName();
    int type = q.getQuestion().getType();
    try {
      if (type == Type.NS && qname.equals(Name.root)) {
        Name ns = Name.fromConstantString("a.root-servers.");
        m.addRecord(new NSRecord(Name.root, DClass.IN, 86400, ns), Section.ANSWER);
        m.addRecord(new ARecord(ns, DClass.IN, 86400, InetAddress.getByName(ROOT)), Section.ADDITIONAL);
      } else if (type == Type.A) {
        m.addRecord(new ARecord(qname, DClass.IN, 300, InetAddress.getByName("192.0.2.161")), Section.ANSWER);
      } else if (type == Type.PTR) {
        m.addRecord(new PTRRecord(qname, DClass.IN, 300, Name.fromConstantString("upstream.example.")),
            Section.ANSWER);
      }
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return m;
  }

  private void hierarchy() throws IOException {
    net = ScriptedHierarchy.start(new ScriptedHierarchy.Server(ROOT, LocallyServedZonesTest::root));
    running.add(net);
  }

  private void namud(Path zones, String... flags) throws IOException {
    if (net == null) {
      hierarchy();
    }
    data = Files.createTempDirectory(dir, "data");
    List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--zones", zones.toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--data", data.toString(),
        "--root-hints", ScriptedHierarchy.hints(dir, ROOT).toString(),
        "--upstream-port", Integer.toString(net.port), "--log-level", "WARN"));
    args.addAll(List.of(flags));
    NamudServer namud = NamudServer.start(args.toArray(String[]::new));
    running.add(namud);
    namud.awaitStore();
    dns = namud.boundAddresses().get(0);
    api = "http://127.0.0.1:" + namud.admin().apiAddress().orElseThrow().getPort();
  }

  private Path zonesDir() throws IOException {
    return Files.createDirectories(dir.resolve("zones"));
  }

  private Message ask(String name, int type) throws IOException {
    byte[] reply = DnsWire.udp(dns, DnsWire.query(name, type).toWire(), REPLY_MS);
    assertNotNull(reply, "no reply for " + name);
    return new Message(reply);
  }

  /** The names the root was asked, in lower case (the resolver asks in random case, 0x20). */
  private List<String> upstreamNames() {
    return net.seen().stream()
        .map(s -> s.query().getQuestion().getName().toString().toLowerCase(java.util.Locale.ROOT))
        .toList();
  }

  private static String reverse(String address) throws IOException {
    return ReverseMap.fromAddress(InetAddress.getByName(address)).toString();
  }

  /** NXDOMAIN, authoritative, with the empty zone's SOA (RFC 6303 3) as the only authority record. */
  private void assertEmptyZoneNxdomain(String name, int type, String zone) throws IOException {
    Message m = ask(name, type);
    assertEquals(Rcode.NXDOMAIN, m.getRcode(), name + "\n" + m);
    assertTrue(m.getHeader().getFlag(Flags.AA), "AA for " + name + "\n" + m);
    List<Record> authority = m.getSection(Section.AUTHORITY);
    assertEquals(1, authority.size(), m.toString());
    Record soa = authority.get(0);
    assertEquals(Type.SOA, soa.getType(), m.toString());
    assertEquals(zone, soa.getName().toString(), m.toString());
    assertEquals(EMPTY_SOA, soa.rdataToString(), m.toString());
  }

  @Test
  void privateNamesAreAnsweredHereAndNeverLeaveWhilePublicOnesDo() throws Exception {
    namud(zonesDir());
    assertEmptyZoneNxdomain("1.0.168.192.in-addr.arpa.", Type.PTR, "168.192.in-addr.arpa.");
    assertEmptyZoneNxdomain("1.0.0.10.in-addr.arpa.", Type.PTR, "10.in-addr.arpa.");
    assertEmptyZoneNxdomain("1.0.16.172.in-addr.arpa.", Type.PTR, "16.172.in-addr.arpa.");
    assertEmptyZoneNxdomain("9.9.31.172.in-addr.arpa.", Type.PTR, "31.172.in-addr.arpa.");
    assertEmptyZoneNxdomain("1.0.64.100.in-addr.arpa.", Type.PTR, "64.100.in-addr.arpa.");
    assertEmptyZoneNxdomain("1.0.127.100.in-addr.arpa.", Type.PTR, "127.100.in-addr.arpa.");
    assertEmptyZoneNxdomain("1.1.254.169.in-addr.arpa.", Type.PTR, "254.169.in-addr.arpa.");
    assertEmptyZoneNxdomain("1.0.0.0.in-addr.arpa.", Type.PTR, "0.in-addr.arpa.");
    assertEmptyZoneNxdomain(reverse("fd00::1"), Type.PTR, "d.f.ip6.arpa.");
    assertEmptyZoneNxdomain(reverse("fd12:3456::1"), Type.AAAA, "d.f.ip6.arpa.");
    assertEmptyZoneNxdomain(reverse("fe80::1"), Type.PTR, "8.e.f.ip6.arpa.");
    assertEmptyZoneNxdomain(reverse("febf::1"), Type.PTR, "b.e.f.ip6.arpa.");
    assertEmptyZoneNxdomain("x.home.arpa.", Type.A, "home.arpa.");
    assertEmptyZoneNxdomain("printer.home.arpa.", Type.AAAA, "home.arpa.");
    assertEmptyZoneNxdomain("anything.invalid.", Type.A, "invalid.");
    assertEmptyZoneNxdomain("www.example.test.", Type.A, "test.");
    // RFC 6303 4.3: the :: reverse name is a zone of its own; its apex has no PTR (NODATA)
    Message unspecified = ask(reverse("::"), Type.PTR);
    assertEquals(Rcode.NOERROR, unspecified.getRcode(), unspecified.toString());
    assertEquals(0, unspecified.getSection(Section.ANSWER).size(), unspecified.toString());
    assertEquals(EMPTY_SOA, unspecified.getSection(Section.AUTHORITY).get(0).rdataToString());
    // the apex of an empty zone: its SOA and NS (RFC 6303 3), authoritative
    Message apex = ask("home.arpa.", Type.NS);
    assertEquals(Rcode.NOERROR, apex.getRcode(), apex.toString());
    assertTrue(apex.getHeader().getFlag(Flags.AA), apex.toString());
    assertEquals("localhost.", apex.getSection(Section.ANSWER).get(0).rdataToString(), apex.toString());
    // localhost (RFC 6761 6.3) and the loopback reverse names (RFC 6303 4.2, 4.3)
    Message localhost = ask("localhost.", Type.A);
    assertEquals("127.0.0.1", localhost.getSection(Section.ANSWER).get(0).rdataToString(), localhost.toString());
    Message localhost6 = ask("localhost.", Type.AAAA);
    assertEquals("0:0:0:0:0:0:0:1", localhost6.getSection(Section.ANSWER).get(0).rdataToString(), localhost6.toString());
    assertEquals(Rcode.NXDOMAIN, ask("www.localhost.", Type.A).getRcode());
    assertEquals("localhost.", ask(reverse("127.0.0.1"), Type.PTR).getSection(Section.ANSWER).get(0).rdataToString());
    assertEquals(Rcode.NXDOMAIN, ask("2.0.0.127.in-addr.arpa.", Type.PTR).getRcode());
    assertEquals("localhost.", ask(reverse("::1"), Type.PTR).getSection(Section.ANSWER).get(0).rdataToString());

    // a public name does reach the hierarchy: the recording sees what leaves namud
    Message outside = ask("www.example.", Type.A);
    assertEquals("192.0.2.161", outside.getSection(Section.ANSWER).get(0).rdataToString(), outside.toString());
    List<String> asked = upstreamNames();
    assertTrue(asked.contains("www.example."), asked.toString());
    for (String name : asked) {
      assertFalse(locallyServed(name), "asked upstream: " + name + " in " + asked);
    }
  }

  /** True for a name at or below one of the locally served or loopback zones. */
  private static boolean locallyServed(String name) {
    Name n = Name.fromConstantString(name);
    for (Name zone : LocallyServedZones.DEFAULTS) {
      if (n.subdomain(zone)) {
        return true;
      }
    }
    return n.subdomain(Name.fromConstantString("localhost."))
        || n.subdomain(Name.fromConstantString("127.in-addr.arpa."))
        || n.subdomain(Name.fromConstantString("ip6.arpa.")) && name.endsWith("0.0.0.0.ip6.arpa.");
  }

  @Test
  void aServedZoneAtOrBelowALocallyServedOneWins() throws Exception {
    Path zones = zonesDir();
    Files.writeString(zones.resolve("168.192.in-addr.arpa.zone"), """
        $ORIGIN 168.192.in-addr.arpa.
        @ 300 IN SOA ns.lan. hostmaster.lan. 7 3600 600 86400 60
        @ 300 IN NS ns.lan.
        1.0 300 IN PTR router.lan.
        """);
    Files.writeString(zones.resolve("lan.home.arpa.zone"), """
        $ORIGIN lan.home.arpa.
        @ 300 IN SOA ns @ 7 3600 600 86400 60
        @ 300 IN NS ns
        ns 300 IN A 192.168.0.2
        nas 300 IN A 192.168.0.12
        """);
    namud(zones);
    Message ptr = ask("1.0.168.192.in-addr.arpa.", Type.PTR);
    assertEquals(Rcode.NOERROR, ptr.getRcode(), ptr.toString());
    assertTrue(ptr.getHeader().getFlag(Flags.AA), ptr.toString());
    assertEquals("router.lan.", ptr.getSection(Section.ANSWER).get(0).rdataToString(), ptr.toString());
    // the served zone's own NXDOMAIN, with its SOA, not the empty zone's
    Message missing = ask("9.9.168.192.in-addr.arpa.", Type.PTR);
    assertEquals(Rcode.NXDOMAIN, missing.getRcode(), missing.toString());
    assertTrue(missing.getSection(Section.AUTHORITY).get(0).rdataToString().startsWith("ns.lan. "),
        missing.toString());
    Message nas = ask("nas.lan.home.arpa.", Type.A);
    assertEquals("192.168.0.12", nas.getSection(Section.ANSWER).get(0).rdataToString(), nas.toString());
    // the rest of home.arpa is still the empty zone's
    assertEmptyZoneNxdomain("other.home.arpa.", Type.A, "home.arpa.");
    assertEmptyZoneNxdomain("1.0.0.10.in-addr.arpa.", Type.PTR, "10.in-addr.arpa.");
    assertEquals(List.of(), upstreamNames(), "nothing leaves namud");
  }

  @Test
  void theyCanBeTurnedOffAllOrOneByOne() throws Exception {
    namud(zonesDir(), "--no-local-zone", "test", "--no-local-zone", "168.192.IN-ADDR.ARPA.");
    Message ptr = ask("1.0.168.192.in-addr.arpa.", Type.PTR);
    assertEquals("upstream.example.", ptr.getSection(Section.ANSWER).get(0).rdataToString(), ptr.toString());
    Message test = ask("www.example.test.", Type.A);
    assertEquals(Rcode.NOERROR, test.getRcode(), test.toString());
    assertEmptyZoneNxdomain("1.0.0.10.in-addr.arpa.", Type.PTR, "10.in-addr.arpa.");
    assertEmptyZoneNxdomain("x.invalid.", Type.A, "invalid.");
    List<String> asked = upstreamNames();
    assertTrue(asked.contains("1.0.168.192.in-addr.arpa."), asked.toString());
    assertTrue(asked.contains("www.example.test."), asked.toString());
    assertFalse(asked.stream().anyMatch(n -> n.endsWith("10.in-addr.arpa.") || n.endsWith("invalid.")),
        asked.toString());
  }

  /** RFC 6303 3: localhost and the loopback reverse zones can be turned off too, each by name. */
  @Test
  void theLoopbackZonesCanBeTurnedOffOneByOne() throws Exception {
    namud(zonesDir(), "--no-local-zone", "localhost", "--no-local-zone", "127.IN-ADDR.ARPA.");
    Message localhost = ask("localhost.", Type.A);
    assertEquals("192.0.2.161", localhost.getSection(Section.ANSWER).get(0).rdataToString(), localhost.toString());
    Message v4 = ask("1.0.0.127.in-addr.arpa.", Type.PTR);
    assertEquals("upstream.example.", v4.getSection(Section.ANSWER).get(0).rdataToString(), v4.toString());
    // the ::1 reverse zone was not named: still answered here
    Message v6 = ask(reverse("::1"), Type.PTR);
    assertEquals("localhost.", v6.getSection(Section.ANSWER).get(0).rdataToString(), v6.toString());
    assertTrue(v6.getHeader().getFlag(Flags.AA), v6.toString());
    List<String> asked = upstreamNames();
    assertTrue(asked.containsAll(List.of("localhost.", "1.0.0.127.in-addr.arpa.")), asked.toString());
    assertFalse(asked.contains(reverse("::1")), asked.toString());
  }

  @Test
  void aConditionallyForwardedZoneInsideOneGoesToItsForwarder() throws Exception {
    hierarchy();
    namud(zonesDir(), "--forward-zone", "0.10.in-addr.arpa=" + ROOT + ":" + net.port);
    Message forwarded = ask("1.0.0.10.in-addr.arpa.", Type.PTR);
    assertEquals("upstream.example.", forwarded.getSection(Section.ANSWER).get(0).rdataToString(),
        forwarded.toString());
    assertEmptyZoneNxdomain("1.0.1.10.in-addr.arpa.", Type.PTR, "10.in-addr.arpa.");
    assertEquals(List.of("1.0.0.10.in-addr.arpa."), upstreamNames());
  }

  @Test
  void noLocalZonesSendsThemAllUpstream() throws Exception {
    namud(zonesDir(), "--no-local-zones");
    Message ptr = ask("1.0.0.10.in-addr.arpa.", Type.PTR);
    assertEquals("upstream.example.", ptr.getSection(Section.ANSWER).get(0).rdataToString(), ptr.toString());
    Message home = ask("x.home.arpa.", Type.A);
    assertEquals("192.0.2.161", home.getSection(Section.ANSWER).get(0).rdataToString(), home.toString());
    assertTrue(upstreamNames().containsAll(List.of("1.0.0.10.in-addr.arpa.", "x.home.arpa.")),
        upstreamNames().toString());
  }

  @Test
  void aClientThatMayNotRecurseIsRefusedAsForAnyNameOutsideTheZones() throws Exception {
    // as BIND, which answers its empty zones to the clients recursion is for
    namud(zonesDir(), "--allow-recursion", "10.0.0.0/8");
    Message m = ask("1.0.168.192.in-addr.arpa.", Type.PTR);
    assertEquals(Rcode.REFUSED, m.getRcode(), m.toString());
    assertEquals(Rcode.REFUSED, ask("x.home.arpa.", Type.A).getRcode());
    assertEquals(List.of(), upstreamNames());
  }

  @Test
  void aBadZoneToTurnOffIsOneLine() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> dev.namu.server.config.NamudCommandLine.parse("--no-local-zone", "example.com"));
    assertEquals("--no-local-zone example.com. is not a locally served zone; namud serves "
        // the empty zones and the three loopback ones (localhost, 127.0.0.1's and ::1's reverse)
        + (LocallyServedZones.DEFAULTS.size() + 3) + " of them, see the README", e.getMessage());
  }

  @Test
  void explainSaysLocallyServed() throws Exception {
    namud(zonesDir());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err),
        "explain", "1.0.168.192.in-addr.arpa", "PTR", "--server", api, "--data", data.toString());
    assertEquals(0, exit, out + "\n" + err);
    assertTrue(out.toString().startsWith("1.0.168.192.in-addr.arpa. PTR for 127.0.0.1: locally served (RFC 6303),"
        + " zone 168.192.in-addr.arpa. (built-in empty zone, serial 1) -> NXDOMAIN"), out.toString());
    assertEquals(List.of(), upstreamNames());
  }
}
