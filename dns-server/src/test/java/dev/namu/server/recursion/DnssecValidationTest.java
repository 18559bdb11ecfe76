package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.UnboundPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * namud validates what it resolves over a hierarchy signed at test time ({@link SignedHierarchy}),
 * asked over real UDP sockets: AD for secure answers to DO and AD queries only, SERVFAIL with an
 * extended error for bogus ones, the data for CD; and its flags: {@code --trust-anchor} (iterating
 * from a private root, and forwarding), {@code --dnssec off}, {@code --negative-trust-anchor}.
 */
class DnssecValidationTest {
  private static final int TIMEOUT_MS = 10_000;

  @TempDir static Path dir;
  private static SignedHierarchy h;

  @BeforeAll
  static void signAndServe() throws Exception {
    h = SignedHierarchy.start(dir);
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  /** namud iterating from the private root, with {@code extra} flags. */
  private static NamudServer namud(String name, String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--no-api", "--no-metrics",
        "--data", dir.resolve(name + "-data").toString(),
        "--zones", Files.createDirectories(dir.resolve("no-zones")).toString(),
        "--root-hints", h.hints.toString(), "--upstream-port", Integer.toString(h.port),
        "--no-local-zone", "test", "--log-level", "WARN"));
    args.addAll(List.of(extra));
    return NamudServer.start(args.toArray(String[]::new));
  }

  private static Message ask(NamudServer server, String name, int type, boolean dnssecOk, int... flags)
      throws IOException {
    Message q = DnsWire.queryEdns(name, type, 1232, dnssecOk);
    for (int f : flags) {
      q.getHeader().setFlag(f);
    }
    InetSocketAddress to = server.boundAddresses().get(0);
    byte[] reply = DnsWire.udp(to, q.toWire(), TIMEOUT_MS);
    if (reply == null) {
      reply = DnsWire.udp(to, q.toWire(), TIMEOUT_MS);
    }
    assertNotNull(reply, () -> "no reply to " + name + "\n" + h.logs());
    return new Message(reply);
  }

  private static int ede(Message m) {
    OPTRecord opt = m.getOPT();
    if (opt == null) {
      return -1;
    }
    for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
      return ((ExtendedErrorCodeOption) o).getErrorCode();
    }
    return -1;
  }

  @Test
  void secureAnswersHaveAdForDoAndAdQueriesAndNotForPlainOnes() throws Exception {
    try (NamudServer namud = namud("ad", "--trust-anchor", h.anchor.toString())) {
      for (String leaf : List.of("rsasha256.test.", "ed25519.test.", "nsec3.test.")) {
        Message withDo = ask(namud, "www." + leaf, Type.A, true);
        assertEquals(Rcode.NOERROR, withDo.getRcode(), withDo::toString);
        assertTrue(withDo.getHeader().getFlag(Flags.AD), () -> "AD for DO: " + withDo);
        assertFalse(withDo.getSection(Section.ANSWER).stream().noneMatch(r -> r.getType() == Type.RRSIG),
            () -> "RRSIGs for DO: " + withDo);
        Message withAd = ask(namud, "www." + leaf, Type.A, false, Flags.AD);
        assertTrue(withAd.getHeader().getFlag(Flags.AD), () -> "AD for AD: " + withAd);
        assertTrue(withAd.getSection(Section.ANSWER).stream().noneMatch(r -> r.getType() == Type.RRSIG),
            () -> "no RRSIGs without DO: " + withAd);
        Message plain = ask(namud, "www." + leaf, Type.A, false);
        assertEquals(Rcode.NOERROR, plain.getRcode(), plain::toString);
        assertFalse(plain.getHeader().getFlag(Flags.AD), () -> "no AD for a plain query: " + plain);
      }
      Message nx = ask(namud, "nx.nsec3.test.", Type.A, true);
      assertEquals(Rcode.NXDOMAIN, nx.getRcode(), nx::toString);
      assertTrue(nx.getHeader().getFlag(Flags.AD), () -> "a proven NXDOMAIN is secure: " + nx);
      Message insecure = ask(namud, "www.insecure.test.", Type.A, true);
      assertEquals(Rcode.NOERROR, insecure.getRcode(), insecure::toString);
      assertFalse(insecure.getHeader().getFlag(Flags.AD), () -> "no AD below an unsigned delegation: " + insecure);
    }
  }

  @Test
  void bogusAnswersAreServfailWithTheirExtendedErrorAndCdReturnsTheData() throws Exception {
    try (NamudServer namud = namud("bogus", "--trust-anchor", h.anchor.toString())) {
      for (String leaf : List.of("badsig.test.", "expired.test.", "nokey.test.")) {
        Message bogus = ask(namud, "www." + leaf, Type.A, true);
        assertEquals(Rcode.SERVFAIL, bogus.getRcode(), () -> leaf + ": " + bogus);
        int code = ede(bogus);
        assertTrue(code >= ExtendedErrorCodeOption.DNSSEC_BOGUS && code <= ExtendedErrorCodeOption.NSEC_MISSING,
            () -> leaf + ": an extended error of DNSSEC (6 to 12): " + bogus);
        Message cd = ask(namud, "www." + leaf, Type.A, true, Flags.CD);
        assertEquals(Rcode.NOERROR, cd.getRcode(), () -> "CD: " + cd);
        assertEquals("192.0.2.1", cd.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.A)
            .findFirst().orElseThrow(() -> new AssertionError("no A with CD: " + cd)).rdataToString());
        assertFalse(cd.getHeader().getFlag(Flags.AD), () -> "no AD with CD for unchecked data: " + cd);
      }
    }
  }

  @Test
  void aPrivateRootWithoutTrustAnchorIsNotValidated() throws Exception {
    try (NamudServer namud = namud("no-anchor")) {
      Message secure = ask(namud, "www.ecdsap256.test.", Type.A, true);
      assertEquals(Rcode.NOERROR, secure.getRcode(), secure::toString);
      assertFalse(secure.getHeader().getFlag(Flags.AD), () -> "the root's built-in keys do not sign a private root: " + secure);
      Message bogus = ask(namud, "www.badsig.test.", Type.A, true);
      assertEquals(Rcode.NOERROR, bogus.getRcode(), () -> "not validated, so not bogus: " + bogus);
    }
  }

  @Test
  void dnssecOffNeitherValidatesNorSetsAd() throws Exception {
    try (NamudServer namud = namud("off", "--dnssec", "off")) {
      Message secure = ask(namud, "www.ecdsap256.test.", Type.A, true);
      assertEquals(Rcode.NOERROR, secure.getRcode(), secure::toString);
      assertFalse(secure.getHeader().getFlag(Flags.AD), secure::toString);
      assertTrue(secure.getSection(Section.ANSWER).stream().noneMatch(r -> r.getType() == Type.RRSIG),
          () -> "no DO upstream, so no RRSIG to give: " + secure);
      Message bogus = ask(namud, "www.badsig.test.", Type.A, true);
      assertEquals(Rcode.NOERROR, bogus.getRcode(), bogus::toString);
    }
  }

  @Test
  void aNegativeTrustAnchorMakesItsDomainInsecureAndOnlyIt() throws Exception {
    try (NamudServer namud = namud("nta", "--trust-anchor", h.anchor.toString(),
        "--negative-trust-anchor", "badsig.test")) {
      Message below = ask(namud, "www.badsig.test.", Type.A, true);
      assertEquals(Rcode.NOERROR, below.getRcode(), () -> "RFC 7646: insecure, not bogus: " + below);
      assertFalse(below.getHeader().getFlag(Flags.AD), below::toString);
      Message other = ask(namud, "www.expired.test.", Type.A, true);
      assertEquals(Rcode.SERVFAIL, other.getRcode(), () -> "other domains are still validated: " + other);
      Message secure = ask(namud, "www.ecdsap384.test.", Type.A, true);
      assertTrue(secure.getHeader().getFlag(Flags.AD), secure::toString);
    }
  }

  @Test
  void aTrustAnchorAppliesWhenForwarding() throws Exception {
    // the forwarder iterates the private root without an anchor of its own: it validates nothing
    try (NamudServer upstream = namud("upstream");
        NamudServer namud = NamudServer.start("--listen", "127.0.0.1:0", "--no-api", "--no-metrics",
            "--data", dir.resolve("forwarding-data").toString(),
            "--zones", Files.createDirectories(dir.resolve("no-zones")).toString(),
            "--forward", "127.0.0.1:" + upstream.boundAddresses().get(0).getPort(),
            "--no-local-zone", "test", "--log-level", "WARN", "--trust-anchor", h.anchor.toString())) {
      Message secure = ask(namud, "www.ed25519.test.", Type.A, true);
      assertEquals(Rcode.NOERROR, secure.getRcode(), secure::toString);
      assertTrue(secure.getHeader().getFlag(Flags.AD), () -> "validated through the forwarder: " + secure);
      Message bogus = ask(namud, "www.badsig.test.", Type.A, true);
      assertEquals(Rcode.SERVFAIL, bogus.getRcode(), bogus::toString);
      assertEquals(Rcode.NOERROR, ask(upstream, "www.badsig.test.", Type.A, true).getRcode(),
          "the forwarder itself does not validate");
    }
  }

  /**
   * RFC 8198: after one secure name error, other names in the same validated NSEC range (and
   * the wildcard's) are answered NXDOMAIN from the cache, with AD, without a query to the zone's
   * server, counted by a relay in front of it.
   */
  @Test
  void namesInAValidatedNsecRangeAreAnsweredWithoutAskingTheZone() throws Exception {
    try (NamudServer namud = namud("aggressive", "--trust-anchor", h.anchor.toString())) {
      // agg.test's NSEC chain: agg.test. -> ns.agg.test. -> www.agg.test. -> agg.test.
      Message first = ask(namud, "nx1.agg.test.", Type.A, true);
      assertEquals(Rcode.NXDOMAIN, first.getRcode(), first::toString);
      assertTrue(first.getHeader().getFlag(Flags.AD), first::toString);
      long asked = h.countedQueries();
      assertTrue(asked > 0, "the first name error came from agg.test's server");
      for (String name : List.of("nx2.agg.test.", "oops.agg.test.", "sub.nz.agg.test.", "p.agg.test.")) {
        Message m = ask(namud, name, Type.A, true);
        assertEquals(Rcode.NXDOMAIN, m.getRcode(), () -> name + ": " + m);
        assertTrue(m.getHeader().getFlag(Flags.AD), () -> name + ": " + m);
        assertTrue(m.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == Type.NSEC),
            () -> "the proof goes to a DO client: " + m);
      }
      assertEquals(asked, h.countedQueries(), "names in the proven range cost no query upstream");
      Message outside = ask(namud, "zz.agg.test.", Type.A, true);
      assertEquals(Rcode.NXDOMAIN, outside.getRcode(), outside::toString);
      assertTrue(h.countedQueries() > asked, "a name in a range not yet seen is asked upstream");
    }
  }

  /** A reload that turns validation on applies it at once, over a cache filled without it. */
  @Test
  void aReloadTurnsValidationOnWithTheAnchorOfTheFile() throws Exception {
    Path data = dir.resolve("reload-data");
    String common = """
        listen: [127.0.0.1:0]
        zones: %s
        data: %s
        api: {listen: 127.0.0.1:0}
        metrics: {enabled: false}
        log-level: WARN
        recursion:
          root-hints: %s
          upstream-port: %d
          local-zones-disabled: [test]
        """.formatted(Files.createDirectories(dir.resolve("no-zones")), data, h.hints, h.port);
    Path file = Files.writeString(dir.resolve("reload.yaml"), common + "  dnssec: off\n");
    dev.namu.server.config.ConfigSource source = dev.namu.server.config.ConfigSource.commandLine(
        List.of("--config", file.toString()), dir.resolve("absent.yaml"));
    try (NamudServer namud = NamudServer.launch(source.read(), source, dev.namu.server.admin.AdminServices::openStore)) {
      namud.awaitStore();
      Message before = ask(namud, "www.rsasha512.test.", Type.A, true);
      assertEquals(Rcode.NOERROR, before.getRcode(), before::toString);
      assertFalse(before.getHeader().getFlag(Flags.AD), before::toString);
      Files.writeString(file, common + "  dnssec: on\n  trust-anchors: [" + h.anchor + "]\n");
      String token = Files.readString(data.resolve("api-token")).trim();
      int api = namud.admin().apiAddress().orElseThrow().getPort();
      var reply = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + api + "/api/v1/reload"))
              .header("Authorization", "Bearer " + token).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, reply.statusCode(), reply.body());
      assertTrue(reply.body().contains("recursion.dnssec") && reply.body().contains("recursion.trust-anchors"),
          reply.body());
      Message after = ask(namud, "www.rsasha512.test.", Type.A, true);
      assertTrue(after.getHeader().getFlag(Flags.AD), () -> "validated after the reload: " + after);
      assertEquals(Rcode.SERVFAIL, ask(namud, "www.badsig.test.", Type.A, true).getRcode());
    }
  }

  @Test
  void explainShowsTheSecurityStatusAndWhyANameIsBogus() throws Exception {
    Path data = dir.resolve("explain-data");
    try (NamudServer namud = NamudServer.start("--listen", "127.0.0.1:0", "--api", "127.0.0.1:0", "--no-metrics",
        "--data", data.toString(), "--zones", Files.createDirectories(dir.resolve("no-zones")).toString(),
        "--root-hints", h.hints.toString(), "--upstream-port", Integer.toString(h.port),
        "--no-local-zone", "test", "--log-level", "WARN", "--trust-anchor", h.anchor.toString())) {
      namud.awaitStore();
      String api = "http://127.0.0.1:" + namud.admin().apiAddress().orElseThrow().getPort();
      String secure = namuctl(api, data, "explain", "www.ecdsap384.test", "A");
      assertTrue(secure.contains("\n  dnssec: secure\n"), secure);
      String bogus = namuctl(api, data, "explain", "www.expired.test", "A");
      // the DNSKEY RRset's own signature expired: no key of the zone is proven (dnsjava's words)
      assertTrue(bogus.contains("\n  dnssec: bogus, DNSSEC_BOGUS: Could not establish a chain of trust to keys"
          + " for [expired.test.]. Reason: Keyset not secured by DNSKEY that matches DS\n"), bogus);
      String insecure = namuctl(api, data, "explain", "www.insecure.test", "A");
      assertTrue(insecure.contains("\n  dnssec: insecure\n"), insecure);
    }
  }

  /** namuctl's output (the picocli entry), asserting it exits 0. */
  private static String namuctl(String api, Path data, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", api, "--data", data.toString()));
    int exit = dev.namu.cli.Namuctl.execute(new java.io.PrintWriter(out), new java.io.PrintWriter(err),
        all.toArray(String[]::new));
    assertEquals(0, exit, () -> out + "\n" + err);
    return out.toString();
  }

  /**
   * namud and Unbound, both validating from the same root anchor, asked every name of the
   * hierarchy with DO: the same rcode and the same AD bit for each. Unbound reaches each zone
   * through a stub zone with ADDR@PORT (it iterates only on port 53).
   */
  @Test
  void sameRcodeAndAdBitAsUnboundForEveryName() throws Exception {
    Path work = Files.createDirectories(dir.resolve("unbound"));
    int port = UnboundPeer.freePort("127.0.0.1");
    StringBuilder c = UnboundPeer.config(work, "127.0.0.1", port)
        .append("  val-log-level: 2\n  module-config: \"validator iterator\"\n")
        .append("  trust-anchor-file: \"").append(h.anchor).append("\"\n")
        .append("  qname-minimisation: yes\n");
    c.append("stub-zone:\n  name: \".\"\n  stub-addr: ").append(SignedHierarchy.ROOT).append('@').append(h.port).append('\n');
    c.append("stub-zone:\n  name: \"test.\"\n  stub-addr: ").append(SignedHierarchy.TLD).append('@').append(h.port).append('\n');
    for (String leaf : SignedHierarchy.LEAVES.keySet()) {
      c.append("stub-zone:\n  name: \"").append(leaf).append("\"\n  stub-addr: ")
          .append(SignedHierarchy.LEAF).append('@').append(h.port).append('\n');
    }
    try (UnboundPeer unbound = UnboundPeer.start(work, c, new InetSocketAddress("127.0.0.1", port), "test.");
        NamudServer namud = namud("differential", "--trust-anchor", h.anchor.toString())) {
      List<String> differences = new ArrayList<>();
      List<String> questions = SignedHierarchy.questions();
      for (String q : questions) {
        String[] parts = q.split(" ");
        Message query = DnsWire.queryEdns(parts[0], Type.value(parts[1]), 1232, true);
        byte[] fromUnbound = DnsWire.udp(unbound.address(), query.toWire(), TIMEOUT_MS);
        assertNotNull(fromUnbound, () -> "no reply from unbound to " + q + ": " + unbound.log());
        String expected = verdict(new Message(fromUnbound));
        String actual = verdict(ask(namud, parts[0], Type.value(parts[1]), true));
        if (!expected.equals(actual)) {
          differences.add(q + ": unbound " + expected + ", namud " + actual);
        }
      }
      System.out.println("DnssecValidationTest: " + (questions.size() - differences.size()) + " of "
          + questions.size() + " names have Unbound's rcode and AD bit");
      assertEquals(List.of(), differences, String.join("\n", differences));
    }
  }

  private static String verdict(Message m) {
    return Rcode.string(m.getRcode()) + (m.getHeader().getFlag(Flags.AD) ? " ad" : "");
  }
}
