package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.cli.Namuctl;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.ToolPorts;
import dev.namu.server.interop.ToolRun;
import dev.namu.server.peers.ToolLocator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A recursive namud over a hierarchy of namud authoritative servers on 127.0.0.x (see
 * {@link TestHierarchy}): what a client sees over real sockets.
 */
class RecursionScenarioTest {
  private static final int SLOW_MS = 15_000;

  @TempDir static Path dir;
  static TestHierarchy hierarchy;
  static NamudServer recursor;
  static InetSocketAddress address;
  static Path data;

  @BeforeAll
  static void start() throws Exception {
    hierarchy = TestHierarchy.start(dir);
    Path zones = Files.createDirectories(dir.resolve("local-zones"));
    TestHierarchy.writeServedZone(zones, "lan.", "10.0.0.53", """
        nas 300 IN A 10.0.0.12
        out 300 IN CNAME www.alpha.test.
        """);
    data = dir.resolve("recursor-data");
    recursor =
        NamudServer.start(
            "--listen", ToolPorts.listen(), "--zones", zones.toString(), "--data", data.toString(),
            "--api", "127.0.0.1:0", "--no-metrics", "--root-hints", hierarchy.hints.toString(),
            "--upstream-port", Integer.toString(hierarchy.port), "--no-local-zone", "test", "--log-level", "WARN");
    address = recursor.boundAddresses().get(0);
  }

  @AfterAll
  static void stop() {
    if (recursor != null) {
      recursor.close();
    }
    if (hierarchy != null) {
      hierarchy.close();
    }
  }

  private static Message ask(String name, int type) throws Exception {
    return ask(DnsWire.query(name, type));
  }

  private static Message ask(Message q) throws Exception {
    byte[] reply = DnsWire.udp(address, q.toWire(), SLOW_MS);
    assertNotNull(reply, "no reply to " + q.getQuestion());
    Message m = new Message(reply);
    assertEquals(q.getHeader().getID(), m.getHeader().getID());
    return m;
  }

  private static List<String> answers(Message m) {
    return m.getSection(Section.ANSWER).stream().map(RecursionScenarioTest::rdata).toList();
  }

  private static String rdata(Record r) {
    return r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString();
  }

  @Test
  void followsReferralsWithGlue() throws Exception {
    Message m = ask("www.alpha.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertTrue(m.getHeader().getFlag(Flags.RA), "RA for a client allowed recursion");
    assertTrue(m.getHeader().getFlag(Flags.RD));
    assertFalse(m.getHeader().getFlag(Flags.AA), "not our zone: no AA");
    assertEquals(List.of("www.alpha.test. A 192.0.2.1"), answers(m));
  }

  @Test
  void theReplyToAResolvedAnswerCarriesTheClientsEdnsAndTheExtendedError() throws Exception {
    Message q = DnsWire.query("www.alpha.test.", Type.A);
    q.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    Message m = ask(q);
    assertEquals(List.of("www.alpha.test. A 192.0.2.1"), answers(m));
    assertNotNull(m.getOPT(), "EDNS is answered with EDNS (RFC 6891 7)");
    assertEquals(1232, m.getOPT().getPayloadSize());
    assertEquals(ExtendedFlags.DO, m.getOPT().getFlags() & ExtendedFlags.DO, "DO copied (RFC 3225 3)");
    assertNull(ask("www.alpha.test.", Type.A).getOPT(), "no EDNS in, none out");

    Message dead = DnsWire.query("www.gone.test.", Type.A);
    dead.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    Message fail = ask(dead);
    assertEquals(Rcode.SERVFAIL, fail.getRcode(), fail.toString());
    assertTrue(fail.getHeader().getFlag(Flags.RA));
    List<Integer> codes = fail.getOPT().getOptions().stream()
        .filter(o -> o instanceof ExtendedErrorCodeOption)
        .map(o -> ((ExtendedErrorCodeOption) o).getErrorCode())
        .toList();
    assertEquals(1, codes.size(), fail.toString());
    assertTrue(
        codes.get(0) == ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY
            || codes.get(0) == ExtendedErrorCodeOption.CACHED_ERROR,
        "why it failed (RFC 8914), or that it failed a moment ago: " + codes);
  }

  @Test
  void resolvesGluelessDelegations() throws Exception {
    Message m = ask("www.beta.example.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(List.of("www.beta.example. A 192.0.2.2"), answers(m));
  }

  @Test
  void chasesCnamesAcrossZones() throws Exception {
    Message m = ask("chain.alpha.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(
        List.of(
            "chain.alpha.test. CNAME alias.alpha.test.",
            "alias.alpha.test. CNAME www.beta.example.",
            "www.beta.example. A 192.0.2.2"),
        answers(m));
    Message back = ask("back.beta.example.", Type.A);
    assertEquals(
        List.of("back.beta.example. CNAME www.alpha.test.", "www.alpha.test. A 192.0.2.1"), answers(back));
  }

  @Test
  void nxdomainAndNodataCarryTheSoa() throws Exception {
    Message nx = ask("nope.alpha.test.", Type.A);
    assertEquals(Rcode.NXDOMAIN, nx.getRcode());
    assertTrue(nx.getSection(Section.ANSWER).isEmpty());
    assertTrue(
        nx.getSection(Section.AUTHORITY).stream()
            .anyMatch(r -> r instanceof SOARecord && r.getName().toString().equals("alpha.test.")),
        nx.toString());
    Message nodata = ask("txt.alpha.test.", Type.A);
    assertEquals(Rcode.NOERROR, nodata.getRcode());
    assertTrue(nodata.getSection(Section.ANSWER).isEmpty());
    assertTrue(nodata.getSection(Section.AUTHORITY).stream().anyMatch(r -> r instanceof SOARecord), nodata.toString());
    Message tld = ask("no.such.tld.", Type.A);
    assertEquals(Rcode.NXDOMAIN, tld.getRcode(), "the root says the TLD does not exist");
    // the negative answers come from the cache the second time: RD=0 gets them too
    Message again = ask(norec("nope.alpha.test.", Type.A));
    assertEquals(Rcode.NXDOMAIN, again.getRcode(), again.toString());
  }

  @Test
  void aDeadServerIsRoutedAround() throws Exception {
    Message m = ask("host.dead.test.", Type.A);
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
    assertEquals(List.of("host.dead.test. A 192.0.2.3"), answers(m));
  }

  @Test
  void onlyDeadServersGiveServfail() throws Exception {
    long t0 = System.nanoTime();
    Message m = ask("www.gone.test.", Type.A);
    assertEquals(Rcode.SERVFAIL, m.getRcode(), m.toString());
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(12).toNanos(), "bounded by the client timeout");
  }

  @Test
  void localZonesAreAnsweredFromTheZonesAndAChainLeavingThemIsResolved() throws Exception {
    Message local = ask("nas.lan.", Type.A);
    assertEquals(List.of("nas.lan. A 10.0.0.12"), answers(local));
    assertTrue(local.getHeader().getFlag(Flags.AA));
    assertTrue(local.getHeader().getFlag(Flags.RA), "recursion is available to this client");
    Message prepared = ask("nas.lan.", Type.A);
    assertTrue(prepared.getHeader().getFlag(Flags.RA), "prepared answers get RA too");
    Message out = ask("out.lan.", Type.A);
    assertEquals(Rcode.NOERROR, out.getRcode());
    assertEquals(List.of("out.lan. CNAME www.alpha.test.", "www.alpha.test. A 192.0.2.1"), answers(out));
    assertFalse(out.getHeader().getFlag(Flags.AA), "part of the answer is not ours");
    assertTrue(out.getHeader().getFlag(Flags.RA));
    // without RD the chain stops at the zone's edge
    Message norec = ask(norec("out.lan.", Type.A));
    assertEquals(List.of("out.lan. CNAME www.alpha.test."), answers(norec));
  }

  @Test
  void recursionDesiredClearIsAnsweredFromTheCacheOnly() throws Exception {
    Message miss = ask(norec("mail.alpha.test.", Type.MX));
    assertEquals(Rcode.REFUSED, miss.getRcode(), "nothing cached, nothing sent upstream");
    assertTrue(miss.getHeader().getFlag(Flags.RA));
    long upstream = recursor.recursion().orElseThrow().resolver().stats().upstreamQueries();
    Message again = ask(norec("mail.alpha.test.", Type.MX));
    assertEquals(Rcode.REFUSED, again.getRcode());
    assertEquals(upstream, recursor.recursion().orElseThrow().resolver().stats().upstreamQueries(),
        "RD=0 sends no upstream query");
    ask("mail.alpha.test.", Type.MX);
    Message hit = ask(norec("mail.alpha.test.", Type.MX));
    assertEquals(Rcode.NOERROR, hit.getRcode());
    assertEquals(List.of("mail.alpha.test. MX 10 www.alpha.test."), answers(hit));
  }

  @Test
  void tcpQueriesAreResolvedToo() throws Exception {
    Message m = DnsWire.tcp(address, DnsWire.query("www.alpha.test.", Type.AAAA));
    assertEquals(Rcode.NOERROR, m.getRcode());
    assertEquals(List.of("www.alpha.test. AAAA 2001:db8:0:0:0:0:0:1"), answers(m));
  }

  @Test
  void clientsOutsideTheAclAreRefused() throws Exception {
    Path zones = Files.createDirectories(dir.resolve("acl-zones"));
    TestHierarchy.writeServedZone(zones, "lan.", "10.0.0.53", "");
    try (NamudServer closed =
        NamudServer.start(
            "--listen", "127.0.0.1:0", "--zones", zones.toString(), "--no-api", "--no-metrics",
            "--data", dir.resolve("acl-data").toString(), "--root-hints", hierarchy.hints.toString(),
            "--upstream-port", Integer.toString(hierarchy.port), "--no-local-zone", "test", "--allow-recursion", "10.0.0.0/8",
            "--allow-recursion", "127.0.0.2/32", "--log-level", "WARN")) {
      InetSocketAddress a = closed.boundAddresses().get(0);
      Message refused = DnsWire.udp(a, DnsWire.query("www.alpha.test.", Type.A));
      assertEquals(Rcode.REFUSED, refused.getRcode());
      assertFalse(refused.getHeader().getFlag(Flags.RA), "no recursion for this client");
      assertEquals(0, closed.recursion().orElseThrow().resolver().stats().upstreamQueries());
      for (int i = 0; i < 2; i++) { // built, then prepared
        Message local = DnsWire.udp(a, DnsWire.query("ns.lan.", Type.A));
        assertEquals(Rcode.NOERROR, local.getRcode(), "authoritative answers are for everyone");
        assertEquals(List.of("ns.lan. A 10.0.0.53"), answers(local));
        assertFalse(local.getHeader().getFlag(Flags.RA), "no recursion for this client");
      }
    }
  }

  @Test
  void forwardsEverythingOrOneZone() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("no-zones"));
    String recursorAddr = "127.0.0.1:" + address.getPort();
    // the recursor above is the only server that knows lan. (its own zone): answers for lan.
    // names prove that the question went to it
    try (NamudServer fwd =
        NamudServer.start(
            "--listen", "127.0.0.1:0", "--zones", empty.toString(), "--no-api", "--no-metrics",
            "--data", dir.resolve("fwd-data").toString(), "--forward", recursorAddr, "--log-level", "WARN")) {
      InetSocketAddress a = fwd.boundAddresses().get(0);
      assertEquals(List.of("nas.lan. A 10.0.0.12"), answers(DnsWire.udp(a, DnsWire.query("nas.lan.", Type.A))));
      assertEquals(List.of("www.beta.example. A 192.0.2.2"),
          answers(DnsWire.udp(a, DnsWire.query("www.beta.example.", Type.A))));
    }
    try (NamudServer cond =
        NamudServer.start(
            "--listen", "127.0.0.1:0", "--zones", empty.toString(), "--no-api", "--no-metrics",
            "--data", dir.resolve("cond-data").toString(), "--root-hints", hierarchy.hints.toString(),
            "--upstream-port", Integer.toString(hierarchy.port), "--no-local-zone", "test", "--forward-zone", "lan=" + recursorAddr,
            "--log-level", "WARN")) {
      InetSocketAddress a = cond.boundAddresses().get(0);
      assertEquals(List.of("nas.lan. A 10.0.0.12"), answers(DnsWire.udp(a, DnsWire.query("nas.lan.", Type.A))));
      Message iterated = DnsWire.udp(a, DnsWire.query("www.alpha.test.", Type.A));
      assertEquals(List.of("www.alpha.test. A 192.0.2.1"), answers(iterated), "other names are iterated");
      assertEquals(Rcode.NXDOMAIN, DnsWire.udp(a, DnsWire.query("nas.home.", Type.A)).getRcode(),
          "the hierarchy's root knows no home.");
    }
  }

  @Test
  void digResolvesThroughNamud() throws Exception {
    assumeTrue(ToolLocator.find("dig").isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
    ToolRun run =
        ToolRun.run(
            Duration.ofSeconds(30),
            List.of(ToolLocator.find("dig").orElseThrow().toString(), "@127.0.0.1", "-p",
                Integer.toString(address.getPort()), "+time=10", "+tries=1", "alias.alpha.test", "A"));
    assertEquals(0, run.exitCode(), run.transcript());
    assertTrue(run.stdout().contains("status: NOERROR"), run.transcript());
    assertTrue(run.stdout().matches("(?s).*flags: qr rd ra;.*"), "rd ra, no aa\n" + run.transcript());
    assertTrue(run.stdout().matches("(?s).*www\\.beta\\.example\\.\\s+\\d+\\s+IN\\s+A\\s+192\\.0\\.2\\.2.*"),
        run.transcript());
    assertFalse(run.stdout().contains("recursion requested but not available"), run.transcript());
    ToolRun local =
        ToolRun.run(
            Duration.ofSeconds(30),
            List.of(ToolLocator.find("dig").orElseThrow().toString(), "@127.0.0.1", "-p",
                Integer.toString(address.getPort()), "+time=10", "+tries=1", "nas.lan", "A"));
    assertTrue(local.stdout().matches("(?s).*flags: qr aa rd ra;.*"), local.transcript());
    assertFalse(local.stdout().contains("recursion requested but not available"), local.transcript());
  }

  @Test
  void cacheFlushThroughTheApiAndNamuctl() throws Exception {
    ask("txt.alpha.test.", Type.TXT);
    assertEquals(Rcode.NOERROR, ask(norec("txt.alpha.test.", Type.TXT)).getRcode(), "cached");
    ask("www.beta.example.", Type.A);
    String api = "http://127.0.0.1:" + recursor.admin().apiAddress().orElseThrow().getPort();

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err),
        "cache", "flush", "alpha.test", "--server", api, "--data", data.toString());
    assertEquals(0, exit, out + "\n" + err);
    assertTrue(out.toString().contains("flushed alpha.test."), out.toString());
    assertEquals(Rcode.REFUSED, ask(norec("txt.alpha.test.", Type.TXT)).getRcode(), "flushed");
    assertEquals(Rcode.NOERROR, ask(norec("www.beta.example.", Type.A)).getRcode(), "other names stay");

    String token = Files.readString(data.resolve("api-token")).trim();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> flush = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/cache/flush"))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, flush.statusCode(), flush.body());
    assertTrue(flush.body().matches("(?s).*\"flushed\"\\s*:\\s*\"all\".*"), flush.body());
    assertEquals(Rcode.REFUSED, ask(norec("www.beta.example.", Type.A)).getRcode(), "everything flushed");

    HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/status"))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, status.statusCode(), status.body());
    assertTrue(status.body().matches("(?s).*\"cache\"\\s*:\\s*\\{\\s*\"entries\"\\s*:\\s*\\d+.*\"upstreamQueries\"\\s*:\\s*\\d+.*"),
        status.body());
  }

  private static Message norec(String name, int type) {
    Message q = DnsWire.query(name, type);
    q.getHeader().unsetFlag(Flags.RD);
    return q;
  }


}
