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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
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
 * {@code namuctl cache dump} and {@code cache infra} against a recursive namud that resolved names
 * over the loopback hierarchy of {@link TestHierarchy}: what an operator sees of the cache, through
 * the admin API and namuctl's own entry point.
 */
class CacheViewScenarioTest {
  private static final int SLOW_MS = 15_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static TestHierarchy hierarchy;
  static NamudServer recursor;
  static NamudServer authOnly;
  static InetSocketAddress address;
  static Path data;
  static Path authOnlyData;

  @BeforeAll
  static void start() throws Exception {
    hierarchy = TestHierarchy.start(dir);
    data = dir.resolve("recursor-data");
    recursor = NamudServer.start(
        "--listen", ToolPorts.listen(), "--zones", Files.createDirectories(dir.resolve("no-zones")).toString(),
        "--data", data.toString(), "--api", "127.0.0.1:0", "--no-metrics", "--root-hints", hierarchy.hints.toString(),
        "--upstream-port", Integer.toString(hierarchy.port), "--no-local-zone", "test", "--log-level", "WARN");
    address = recursor.boundAddresses().get(0);
    authOnlyData = dir.resolve("auth-data");
    authOnly = NamudServer.start(
        "--listen", ToolPorts.listen(), "--data", authOnlyData.toString(), "--api", "127.0.0.1:0", "--no-metrics",
        "--no-recursion", "--log-level", "WARN");
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {recursor, authOnly, hierarchy}) {
      try {
        if (c != null) c.close();
      } catch (Exception e) {
        // the next one is closed all the same
      }
    }
  }

  private static Message ask(String name, int type) throws Exception {
    byte[] reply = DnsWire.udp(address, DnsWire.query(name, type).toWire(), SLOW_MS);
    assertNotNull(reply, "no reply to " + name);
    return new Message(reply);
  }

  private record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  private static Run namuctl(NamudServer server, Path dataDir, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort(),
        "--data", dataDir.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(new String[0]));
    return new Run(exit, out.toString(), err.toString());
  }

  private static Run namuctl(String... args) {
    return namuctl(recursor, data, args);
  }

  /** The one entry of {@code dump} of this kind and type (null type: an NXDOMAIN's). */
  private static JsonNode entry(JsonNode dump, String kind, String type) {
    JsonNode found = null;
    for (JsonNode e : dump.path("entries")) {
      if (e.path("kind").asText().equals(kind)
          && (type == null ? e.path("type").isNull() : e.path("type").asText().equals(type))) {
        assertTrue(found == null, "one " + kind + " " + type + " entry: " + dump);
        found = e;
      }
    }
    assertNotNull(found, "a " + kind + " " + type + " entry in " + dump);
    return found;
  }

  @Test
  void dumpOfANameListsEachCachedRRsetWithItsTtlLeftTrustAndZone() throws Exception {
    assertEquals(Rcode.NOERROR, ask("www.alpha.test.", Type.A).getRcode());
    assertEquals(Rcode.NOERROR, ask("www.alpha.test.", Type.AAAA).getRcode());

    Run run = namuctl("cache", "dump", "www.alpha.test", "--json");
    assertEquals(0, run.exit(), run.err());
    JsonNode dump = run.json();
    assertEquals("www.alpha.test.", dump.path("name").asText());
    for (String[] typeAndData : new String[][] {{"A", "192.0.2.1"}, {"AAAA", "2001:db8::1"}}) {
      JsonNode e = entry(dump, "rrset", typeAndData[0]);
      assertEquals("www.alpha.test.", e.path("name").asText());
      assertEquals("answer-aa", e.path("trust").asText(), "from the answer section of alpha.test's AA reply: " + e);
      assertEquals(300, e.path("originalTtl").asLong(), e.toString());
      long left = e.path("ttl").asLong();
      assertTrue(left > 0 && left <= 300, "TTL left within the original: " + e);
      assertFalse(e.path("stale").asBoolean(), e.toString());
      assertEquals("alpha.test.", e.path("zone").asText(), "the delegation it belongs to: " + e);
      List<String> records = texts(e.path("records"));
      assertEquals(1, records.size(), e.toString());
      assertEquals(InetAddress.getByName(typeAndData[1]), InetAddress.getByName(records.get(0)), e.toString());
    }
    assertEquals(dump.path("entries").size(), dump.path("total").asInt());
    assertEquals(0, dump.path("omitted").asInt());

    Run table = namuctl("cache", "dump", "www.alpha.test");
    assertEquals(0, table.exit(), table.err());
    List<String> lines = table.out().lines().toList();
    assertTrue(lines.get(0).matches("NAME\\s+TYPE\\s+KIND\\s+TRUST\\s+TTL\\s+ZONE\\s+DATA"), table.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches(
        "www\\.alpha\\.test\\.\\s+A\\s+rrset\\s+answer-aa\\s+\\d+/300\\s+alpha\\.test\\.\\s+192\\.0\\.2\\.1")), table.out());
  }

  @Test
  void negativeAnswersShowAsNxdomainForTheNameAndNodataForTheType() throws Exception {
    assertEquals(Rcode.NXDOMAIN, ask("nope.alpha.test.", Type.A).getRcode());
    assertEquals(Rcode.NOERROR, ask("txt.alpha.test.", Type.A).getRcode(), "NODATA");

    JsonNode nx = entry(namuctl("cache", "dump", "nope.alpha.test", "--json").json(), "nxdomain", null);
    assertEquals("NXDOMAIN", nx.path("rcode").asText());
    assertEquals("alpha.test.", nx.path("zone").asText(), "the zone whose SOA denied it: " + nx);
    assertEquals(60, nx.path("originalTtl").asLong(), "RFC 2308 5: the SOA's MINIMUM: " + nx);
    assertTrue(nx.path("ttl").asLong() <= 60, nx.toString());
    assertTrue(texts(nx.path("records")).get(0).startsWith("alpha.test. SOA "), nx.toString());

    JsonNode nodata = entry(namuctl("cache", "dump", "txt.alpha.test", "--json").json(), "nodata", "A");
    assertEquals("NOERROR", nodata.path("rcode").asText());
    Run table = namuctl("cache", "dump", "nope.alpha.test");
    assertTrue(table.out().lines().anyMatch(l -> l.matches("nope\\.alpha\\.test\\.\\s+-\\s+nxdomain\\s+authority-aa\\s+\\d+/60\\s+alpha\\.test\\.\\s+alpha\\.test\\. SOA .*")),
        table.out());
  }

  @Test
  void infraListsTheServersAskedWithTheirRttAndTheTimeoutsOfADeadOne() throws Exception {
    assertEquals(Rcode.NOERROR, ask("www.beta.example.", Type.A).getRcode());
    assertEquals(Rcode.SERVFAIL, ask("www.gone.test.", Type.A).getRcode(), "only a dead server");

    Run run = namuctl("cache", "infra", "--json");
    assertEquals(0, run.exit(), run.err());
    JsonNode servers = run.json().path("servers");
    List<String> addresses = new ArrayList<>();
    for (JsonNode s : servers) {
      addresses.add(s.path("address").asText());
      assertTrue(s.path("ttl").asLong() > 0 && s.path("ttl").asLong() <= 900, "15 minutes at most: " + s);
      assertTrue(s.path("rttMillis").isIntegralNumber() && s.path("rttMillis").asLong() >= 0, s.toString());
      assertTrue(s.path("edns").isBoolean() && s.path("lameZones").isArray(), s.toString());
      if (List.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14").contains(s.path("address").asText())) {
        // the servers of the hierarchy are namuds, which return server cookies (RFC 7873)
        assertTrue(s.path("cookies").asBoolean(), "cookies held: " + s);
      }
    }
    assertTrue(addresses.containsAll(List.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14")),
        "root, test., example. and the leaf server were asked: " + servers);
    JsonNode dead = null;
    for (JsonNode s : servers) {
      if (s.path("address").asText().equals("127.0.0.17")) dead = s;
    }
    assertNotNull(dead, "the dead server of gone.test is remembered: " + servers);
    assertTrue(dead.path("timeouts").asInt() > 0, dead.toString());
    assertEquals(List.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14"),
        addresses.stream().filter(a -> a.compareTo("127.0.0.15") < 0).toList(), "by address");

    Run table = namuctl("cache", "infra");
    assertEquals(0, table.exit(), table.err());
    assertTrue(table.out().lines().findFirst().orElse("")
        .matches("ADDRESS\\s+RTT\\s+TIMEOUTS\\s+EDNS\\s+COOKIES\\s+BACKED-OFF\\s+CASE-BLIND\\s+TTL\\s+LAME-FOR"), table.out());
    assertTrue(table.out().lines().anyMatch(l -> l.matches("127\\.0\\.0\\.11\\s+\\d+ ms\\s+0\\s+yes\\s+yes\\s+-\\s+-\\s+\\d+ s\\s+-")),
        table.out());
  }

  @Test
  void aWholeCacheDumpIsBoundedAndSaysHowManyItLeftOut() throws Exception {
    ask("www.alpha.test.", Type.A);
    ask("mail.alpha.test.", Type.MX);
    JsonNode all = namuctl("cache", "dump", "--limit", "100000", "--json").json();
    long total = all.path("total").asLong();
    assertTrue(total > 3, "the root, TLD and leaf data at least: " + all);
    assertEquals(total, all.path("entries").size(), "everything fits in the limit");

    Run run = namuctl("cache", "dump", "--limit", "2", "--json");
    assertEquals(0, run.exit(), run.err());
    JsonNode two = run.json();
    assertEquals(2, two.path("entries").size(), two.toString());
    assertEquals(2, two.path("shown").asInt());
    assertTrue(two.path("total").asLong() > 2, two.toString());
    assertEquals(two.path("total").asLong() - 2, two.path("omitted").asLong());
    // the first two in DNS name order: the root's entries come before every other name
    assertEquals(".", two.path("entries").get(0).path("name").asText(), two.toString());

    Run table = namuctl("cache", "dump", "--limit", "2");
    assertEquals(0, table.exit(), table.err());
    assertTrue(table.out().matches("(?s).*2 of \\d+ entries shown, \\d+ more not shown \\(raise --limit, or give a NAME\\)\\n"),
        table.out());
  }

  @Test
  void badInputIsOneLineAndANameNeverCachedIsSaidSo() {
    Run bad = namuctl("cache", "dump", "a..b");
    assertEquals(1, bad.exit(), bad.out() + bad.err());
    assertEquals(1, bad.err().lines().count(), bad.err());
    assertTrue(bad.err().startsWith("namuctl: bad name 'a..b'"), bad.err());

    Run limit = namuctl("cache", "dump", "--limit", "0");
    assertEquals(1, limit.exit(), limit.out() + limit.err());
    assertEquals("namuctl: limit '0' must be a number from 1 to 100000\n", limit.err());

    Run none = namuctl("cache", "dump", "never.asked.example");
    assertEquals(0, none.exit(), none.err());
    assertEquals("nothing cached for never.asked.example.\n", none.out());
  }

  @Test
  void withoutRecursionBothCommandsSaySoInOneLine() throws Exception {
    for (String[] command : new String[][] {{"cache", "dump", "www.alpha.test"}, {"cache", "dump"}, {"cache", "infra"}}) {
      Run run = namuctl(authOnly, authOnlyData, command);
      assertEquals(1, run.exit(), String.join(" ", command) + ": " + run.out() + run.err());
      assertEquals("", run.out());
      assertEquals("namuctl: recursion is off on this server (--no-recursion), so it has no resolver cache to show\n",
          run.err());
      List<String> json = new ArrayList<>(List.of(command));
      json.add("--json");
      JsonNode error = namuctl(authOnly, authOnlyData, json.toArray(new String[0])).json();
      assertEquals("no_cache", error.path("error").asText(), error.toString());
    }
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
