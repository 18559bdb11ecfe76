package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.cli.Namuctl;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.ToolPorts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * {@code namuctl explain} (the picocli entry) against a real namud that serves a zone and recurses
 * over a hierarchy of namud servers on 127.0.0.x ({@link TestHierarchy}), and the query log's list
 * of a resolved reply's upstream queries.
 */
class ExplainTest {
  private static final int SLOW_MS = 15_000;
  /** How long the log's thread may take to write a line, on a loaded machine. */
  private static final long LOG_WAIT_MS = 30_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static TestHierarchy hierarchy;
  static NamudServer recursor;
  static InetSocketAddress address;
  static Path data;
  static Path zones;
  static Path log;
  static String api;

  @BeforeAll
  static void start() throws Exception {
    hierarchy = TestHierarchy.start(dir);
    zones = Files.createDirectories(dir.resolve("local-zones"));
    TestHierarchy.writeServedZone(zones, "lan.", "10.0.0.53", """
        nas 300 IN A 10.0.0.12
        out 300 IN CNAME txt.alpha.test.
        sub 300 IN NS ns.sub
        ns.sub 300 IN A 127.0.0.14
        """);
    data = dir.resolve("recursor-data");
    log = dir.resolve("query.log");
    recursor =
        NamudServer.start(
            "--listen", ToolPorts.listen(), "--zones", zones.toString(), "--data", data.toString(),
            "--api", "127.0.0.1:0", "--no-metrics", "--root-hints", hierarchy.hints.toString(),
            "--upstream-port", Integer.toString(hierarchy.port), "--no-local-zone", "test", "--query-log", log.toString(),
            "--log-level", "WARN");
    recursor.awaitStore();
    address = recursor.boundAddresses().get(0);
    api = "http://127.0.0.1:" + recursor.admin().apiAddress().orElseThrow().getPort();
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

  private record Run(int exit, String out, String err) {
    String transcript() {
      return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private static Run namuctl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", api, "--data", data.toString()));
    int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static JsonNode explainJson(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of("explain"));
    all.addAll(List.of(args));
    all.add("--json");
    Run run = namuctl(all.toArray(String[]::new));
    assertEquals(0, run.exit(), run.transcript());
    return JSON.readTree(run.out());
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }

  /** A query over UDP, with a timeout long enough for a resolution on a loaded machine. */
  private static Message ask(String name, int type) throws IOException {
    byte[] reply = DnsWire.udp(address, DnsWire.query(name, type).toWire(), SLOW_MS);
    assertNotNull(reply, "no reply for " + name);
    return new Message(reply);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void anAuthoritativeNameNamesItsZoneFileSerialAndRecords() throws Exception {
    String file = zones.resolve("lan.zone").toAbsolutePath().toString();
    Run words = namuctl("explain", "nas.lan");
    assertEquals(0, words.exit(), words.transcript());
    assertTrue(words.out().startsWith("nas.lan. A for 127.0.0.1: authoritative, zone lan. (file " + file
        + ", serial 1) -> A 10.0.0.12 TTL 300\n"), words.transcript());

    JsonNode e = explainJson("nas.lan", "A");
    assertEquals("authoritative", e.path("decision").asText(), e.toString());
    assertEquals("answer", e.path("lookup").asText(), e.toString());
    assertEquals("lan.", e.path("zone").path("name").asText(), e.toString());
    assertEquals("file", e.path("zone").path("source").asText(), e.toString());
    assertEquals(file, e.path("zone").path("file").asText(), e.toString());
    assertEquals(1, e.path("zone").path("serial").asLong(), e.toString());
    assertEquals("NOERROR", e.path("rcode").asText(), e.toString());
    assertEquals(List.of("10.0.0.12"), texts(e.path("answer"), "data"), e.toString());
    assertEquals(300, e.path("answer").get(0).path("ttl").asLong(), e.toString());

    JsonNode nx = explainJson("nope.lan");
    assertEquals("nxdomain", nx.path("lookup").asText(), nx.toString());
    assertEquals("NXDOMAIN", nx.path("rcode").asText(), nx.toString());
    assertEquals(List.of("SOA"), texts(nx.path("authority"), "type"), nx.toString());
  }

  @Test
  void aNameBelowADelegationNamesTheCutItsServersAndGlue() throws Exception {
    // a client that may not recurse gets the referral: the explanation says which cut, and why
    JsonNode e = explainJson("www.sub.lan", "--client", "192.0.2.77");
    assertEquals("referral", e.path("decision").asText(), e.toString());
    assertEquals("192.0.2.77", e.path("client").asText(), e.toString());
    assertEquals("lan.", e.path("zone").path("name").asText(), e.toString());
    assertEquals("sub.lan.", e.path("delegation").path("zone").asText(), e.toString());
    assertEquals(List.of("ns.sub.lan."), strings(e.path("delegation").path("ns")), e.toString());
    assertEquals("[\"ns.sub.lan. A 127.0.0.14\"]", e.path("delegation").path("glue").toString(), e.toString());
    assertTrue(e.path("reason").asText().contains("client 192.0.2.77 may not recurse"), e.toString());
    assertEquals(List.of("NS"), texts(e.path("authority"), "type"), e.toString());

    Run words = namuctl("explain", "www.sub.lan", "--client", "192.0.2.77");
    assertEquals(0, words.exit(), words.transcript());
    assertTrue(words.out().startsWith("www.sub.lan. A for 192.0.2.77: referral, zone lan. (file "),
        words.transcript());
    assertTrue(words.out().contains(", delegation sub.lan. NS ns.sub.lan. -> NOERROR\n"), words.transcript());

    // the same name for a client that may recurse is resolved from the cut's servers (127.0.0.14
    // serves no sub.lan: it refuses, and the resolver says so)
    JsonNode resolved = explainJson("www.sub.lan");
    assertEquals("recursion", resolved.path("decision").asText(), resolved.toString());
    assertEquals("sub.lan.", resolved.path("delegation").path("zone").asText(), resolved.toString());
    assertEquals("[\"ns.sub.lan. A 127.0.0.14\"]", resolved.path("delegation").path("glue").toString(),
        resolved.toString());
    JsonNode first = resolved.path("recursion").path("upstream").get(0);
    assertNotNull(first, resolved.toString());
    assertEquals("127.0.0.14", first.path("server").asText(), resolved.toString());
    assertEquals("sub.lan.", first.path("zone").asText(), resolved.toString());
  }

  @Test
  void aCachedNameListsTheCachedSetsTheirTtlLeftAndTrust() throws Exception {
    Message reply = ask("www.alpha.test.", Type.A);
    assertEquals(Rcode.NOERROR, reply.getRcode(), reply.toString());

    JsonNode e = explainJson("www.alpha.test");
    assertEquals("recursion", e.path("decision").asText(), e.toString());
    JsonNode r = e.path("recursion");
    assertTrue(r.path("cached").asBoolean(), e.toString());
    assertEquals("cache", r.path("via").asText(), e.toString());
    assertEquals(0, r.path("upstreamQueries").asInt(), e.toString());
    JsonNode set = r.path("cache").get(0);
    assertEquals("www.alpha.test.", set.path("name").asText(), e.toString());
    assertEquals("A", set.path("type").asText(), e.toString());
    assertEquals("ANSWER_AA", set.path("trust").asText(), "from the zone's own server: " + e);
    long ttl = set.path("ttl").asLong();
    assertTrue(ttl > 0 && ttl <= 300, e.toString());
    assertEquals(List.of("192.0.2.1"), texts(e.path("answer"), "data"), e.toString());

    Run words = namuctl("explain", "www.alpha.test", "A");
    assertEquals(0, words.exit(), words.transcript());
    assertTrue(words.out().startsWith("www.alpha.test. A for 127.0.0.1: recursion, from the cache -> A 192.0.2.1 TTL "),
        words.transcript());
    assertTrue(words.out().contains("\n  cached www.alpha.test. A, TTL "), words.transcript());
  }

  @Test
  void anUncachedNameIsResolvedAndItsPathListed() throws Exception {
    Run flush = namuctl("cache", "flush");
    assertEquals(0, flush.exit(), flush.transcript());

    JsonNode e = explainJson("mail.alpha.test", "MX");
    assertEquals("recursion", e.path("decision").asText(), e.toString());
    JsonNode r = e.path("recursion");
    assertFalse(r.path("cached").asBoolean(), e.toString());
    assertEquals("iteration", r.path("via").asText(), e.toString());
    JsonNode up = r.path("upstream");
    assertEquals(up.size(), r.path("upstreamQueries").asInt(), e.toString());
    // from the root down: the root, test.'s server, then alpha.test.'s, which answers
    List<String> servers = texts(up, "server");
    int root = servers.indexOf("127.0.0.11");
    int tld = servers.indexOf("127.0.0.12");
    int leaf = servers.lastIndexOf("127.0.0.14");
    assertTrue(root >= 0 && tld > root && leaf > tld, "the path down the hierarchy: " + e);
    JsonNode last = up.get(up.size() - 1);
    assertEquals("127.0.0.14", last.path("server").asText(), e.toString());
    assertEquals("alpha.test.", last.path("zone").asText(), e.toString());
    assertEquals("mail.alpha.test.", last.path("qname").asText(), e.toString());
    assertEquals("MX", last.path("qtype").asText(), e.toString());
    assertEquals("NOERROR", last.path("rcode").asText(), e.toString());
    assertEquals(hierarchy.port, last.path("port").asInt(), e.toString());
    for (JsonNode q : up) {
      assertTrue(q.path("rttMs").asLong() >= 0, e.toString());
    }
    assertEquals(List.of("10 www.alpha.test."), texts(e.path("answer"), "data"), e.toString());
    long ttl = e.path("answer").get(0).path("ttl").asLong();
    assertTrue(ttl > 0 && ttl <= 300, "fresh from the server: " + e);

    // asked again, it is cached
    JsonNode again = explainJson("mail.alpha.test", "MX");
    assertTrue(again.path("recursion").path("cached").asBoolean(), again.toString());
  }

  @Test
  void aCnameChainThatLeavesTheZonesIsResolvedOnAndSaysSo() throws Exception {
    JsonNode e = explainJson("out.lan", "TXT");
    assertEquals("recursion", e.path("decision").asText(), e.toString());
    assertEquals("lan.", e.path("zone").path("name").asText(), e.toString());
    assertTrue(e.path("reason").asText().contains("CNAME chain leaves the served zones"), e.toString());
    assertEquals(List.of("CNAME", "TXT"), texts(e.path("answer"), "type"), e.toString());
    assertEquals(List.of("txt.alpha.test.", "\"hello\""), texts(e.path("answer"), "data"), e.toString());

    // a client that may not recurse gets the zone's chain alone
    JsonNode local = explainJson("out.lan", "TXT", "--client", "192.0.2.77");
    assertEquals("authoritative", local.path("decision").asText(), local.toString());
    assertEquals("cname", local.path("lookup").asText(), local.toString());
    assertEquals(List.of("CNAME"), texts(local.path("answer"), "type"), local.toString());
  }

  @Test
  void aForwardedNameNamesTheForwarderAsked() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("no-zones"));
    Path fwdData = dir.resolve("fwd-data");
    // the recursor above is the forwarder: the only server that knows lan. (its own zone)
    try (NamudServer fwd =
        NamudServer.start(
            "--listen", "127.0.0.1:0", "--zones", empty.toString(), "--api", "127.0.0.1:0", "--no-metrics",
            "--data", fwdData.toString(), "--forward", "127.0.0.1:" + address.getPort(), "--log-level", "WARN")) {
      fwd.awaitStore();
      String fwdApi = "http://127.0.0.1:" + fwd.admin().apiAddress().orElseThrow().getPort();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err),
          "explain", "nas.lan", "--json", "--server", fwdApi, "--data", fwdData.toString());
      assertEquals(0, exit, out + "\n" + err);
      JsonNode e = JSON.readTree(out.toString());
      assertEquals("recursion", e.path("decision").asText(), e.toString());
      assertEquals("forwarders", e.path("recursion").path("via").asText(), e.toString());
      JsonNode up = e.path("recursion").path("upstream");
      assertEquals(1, up.size(), e.toString());
      assertEquals("127.0.0.1", up.get(0).path("server").asText(), e.toString());
      assertEquals(address.getPort(), up.get(0).path("port").asInt(), e.toString());
      assertTrue(up.get(0).path("forwarded").asBoolean(), e.toString());
      assertEquals("NOERROR", up.get(0).path("rcode").asText(), e.toString());
      assertEquals(List.of("10.0.0.12"), texts(e.path("answer"), "data"), e.toString());
    }
  }

  @Test
  void aNameNoZoneServesIsRefusedToAClientThatMayNotRecurse() throws Exception {
    JsonNode e = explainJson("www.alpha.test", "--client", "2001:db8::5");
    assertEquals("refused", e.path("decision").asText(), e.toString());
    assertEquals("REFUSED", e.path("rcode").asText(), e.toString());
    assertTrue(e.path("reason").asText().contains("client 2001:db8:0:0:0:0:0:5 may not recurse"), e.toString());
    assertFalse(e.has("recursion"), "nothing resolved for it: " + e);
  }

  @Test
  void badInputIsOneLineWithTheExitStatusOfTheOtherCommands() {
    Run type = namuctl("explain", "nas.lan", "NOTATYPE");
    assertEquals(1, type.exit(), type.transcript());
    assertEquals("namuctl: bad type 'NOTATYPE': not a DNS record type\n", type.err(), type.transcript());

    Run name = namuctl("explain", "a..lan");
    assertEquals(1, name.exit(), name.transcript());
    assertTrue(name.err().startsWith("namuctl: bad name 'a..lan': "), name.transcript());
    assertEquals(1, name.err().lines().count(), name.transcript());

    Run client = namuctl("explain", "nas.lan", "--client", "nas.lan");
    assertEquals(2, client.exit(), client.transcript());
    assertTrue(client.err().startsWith("namuctl: --client nas.lan: not an IPv4 or IPv6 address"), client.transcript());
    assertEquals(1, client.err().lines().count(), client.transcript());
  }

  @Test
  void theQueryLogLineOfAResolvedReplyListsItsUpstreamQueries() throws Exception {
    Run flush = namuctl("cache", "flush");
    assertEquals(0, flush.exit(), flush.transcript());
    Message reply = ask("www.beta.example.", Type.A);
    assertEquals(Rcode.NOERROR, reply.getRcode(), reply.toString());

    JsonNode line = awaitLine("www.beta.example.", "resolver");
    JsonNode up = line.path("upstream");
    assertTrue(up.isArray() && up.size() > 0, line.toString());
    assertEquals(up.size(), line.path("upstreamQueries").asInt(), line.toString());
    for (JsonNode q : up) {
      assertTrue(q.path("server").asText().startsWith("127.0.0."), line.toString());
      assertTrue(q.path("rttMs").asLong() >= 0, line.toString());
      assertTrue(q.has("rcode") || q.has("failure"), line.toString());
    }
    // beta.example. is delegated to ns.alpha.test. without glue: its address is looked up too
    List<String> qnames = texts(up, "qname");
    assertTrue(qnames.contains("ns.alpha.test."), "the glueless NS name's lookup: " + line);
    JsonNode last = up.get(up.size() - 1);
    assertEquals("beta.example.", last.path("zone").asText(), line.toString());
    assertEquals("www.beta.example.", last.path("qname").asText(), line.toString());
    assertEquals("NOERROR", last.path("rcode").asText(), line.toString());

    // an authoritative reply's line has no upstream field
    ask("nas.lan.", Type.A);
    JsonNode local = awaitLine("nas.lan.", "zone");
    assertFalse(local.has("upstream"), local.toString());
  }

  /** The first query log line for {@code qname} from {@code source}, waiting for the log's thread. */
  private static JsonNode awaitLine(String qname, String source) throws Exception {
    long deadline = System.nanoTime() + LOG_WAIT_MS * 1_000_000L;
    while (true) {
      if (Files.exists(log)) {
        for (String text : Files.readAllLines(log)) {
          JsonNode line = JSON.readTree(text);
          if (qname.equals(line.path("qname").asText()) && source.equals(line.path("source").asText())) {
            return line;
          }
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no " + source + " line for " + qname + " in " + LOG_WAIT_MS + " ms");
      }
      Thread.sleep(50); // the log's own thread writes the file: nothing to wait on but the file
    }
  }
}
