package dev.namu.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.cli.Namuctl;
import dev.namu.server.NamudServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * namuctl run in-process (its picocli entry, stdout, stderr and exit code) against a namud started
 * here, each result checked by a DNS query over a loopback socket: how record, zone and key names,
 * TTLs and TXT data typed by a person are read, and the messages of what is refused.
 */
class NamuctlNamesTest {

  @TempDir static Path data;
  static NamudServer namud;
  static String api;
  static SimpleResolver dns;
  static final ObjectMapper JSON = new ObjectMapper();

  record Run(int exit, String out, String err) {
    String all() {
      return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    namud = NamudServer.start("--listen", "127.0.0.1:0", "--api", "127.0.0.1:0", "--no-metrics", "--data", data.toString(),
        "--no-recursion", "--zones", Files.createDirectories(data.resolve("zone-files")).toString());
    api = "http://127.0.0.1:" + namud.admin().apiAddress().orElseThrow().getPort();
    InetSocketAddress udp = namud.boundAddresses().get(0);
    dns = new SimpleResolver(udp);
    dns.setTimeout(Duration.ofSeconds(10));
    succeeds("zone", "create", "lab.lan", "--ns", "ns.lab.lan.");
  }

  @AfterAll
  static void stop() {
    namud.close();
  }

  static Run namuctl(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", api, "--data", data.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  /** A namuctl run that must exit 0. */
  static Run succeeds(String... args) {
    return exits(0, args);
  }

  /** A namuctl run that must end with {@code code}; a failure shows the command and its output. */
  static Run exits(int code, String... args) {
    Run r = namuctl(args);
    assertEquals(code, r.exit(), String.join(" ", args) + "\n" + r.all());
    return r;
  }

  static Message ask(String name, int type) throws Exception {
    return dns.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, 1)));
  }

  static List<Record> answer(String name, int type) throws Exception {
    Message reply = ask(name, type);
    assertEquals(Rcode.NOERROR, reply.getRcode(), reply.toString());
    return reply.getSection(Section.ANSWER);
  }

  @Test
  void aNameEndingInTheZonesNameIsAbsoluteAndTheReplyShowsTheFullName() throws Exception {
    Run add = succeeds("record", "add", "lab.lan", "nas.lab.lan", "A", "192.168.1.7");
    assertTrue(add.out().startsWith("nas.lab.lan.\n"), add.all());
    assertEquals("192.168.1.7", answer("nas.lab.lan.", Type.A).get(0).rdataToString());
    assertEquals(Rcode.NXDOMAIN, ask("nas.lab.lan.lab.lan.", Type.A).getRcode());

    Run json = succeeds("record", "add", "lab.lan", "pi", "A", "192.168.1.50", "--json");
    assertEquals("pi.lab.lan.", JSON.readTree(json.out()).get("names").get(0).asText(), json.all());
    Run apex = succeeds("record", "add", "lab.lan", "LAB.LAN", "MX", "10", "nas");
    assertTrue(apex.out().startsWith("lab.lan.\n"), apex.all());
    assertEquals("10 nas.lab.lan.", answer("lab.lan.", Type.MX).get(0).rdataToString());
    succeeds("record", "set", "lab.lan", "www.lab.lan.", "CNAME", "nas");
    assertEquals("nas.lab.lan.", answer("www.lab.lan.", Type.CNAME).get(0).rdataToString());
    succeeds("record", "delete", "lab.lan", "www.lab.lan", "CNAME");
    assertEquals(Rcode.NXDOMAIN, ask("www.lab.lan.", Type.CNAME).getRcode());
  }

  @Test
  void batchReadsNamesTheSameWay(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("changes");
    Files.writeString(file, "add tv.lab.lan A 192.168.1.20\nadd tv-txt TXT living room tv\n", StandardCharsets.UTF_8);
    Run batch = succeeds("record", "batch", "lab.lan", file.toString());
    assertTrue(batch.out().startsWith("tv.lab.lan.\ntv-txt.lab.lan.\n"), batch.all());
    assertEquals("192.168.1.20", answer("tv.lab.lan.", Type.A).get(0).rdataToString());
    assertEquals(List.of("living room tv"), ((TXTRecord) answer("tv-txt.lab.lan.", Type.TXT).get(0)).getStrings());
  }

  @Test
  void ttlTakesBindUnitsWithinBounds() throws Exception {
    succeeds("record", "add", "lab.lan", "ttl1", "A", "192.168.1.31", "--ttl", "1h30m");
    assertEquals(5400, answer("ttl1.lab.lan.", Type.A).get(0).getTTL());
    succeeds("record", "set", "lab.lan", "ttl2", "A", "192.168.1.32", "--ttl", "1w");
    assertEquals(604800, answer("ttl2.lab.lan.", Type.A).get(0).getTTL());
    succeeds("record", "add", "lab.lan", "ttl3", "A", "192.168.1.33", "--ttl", "2147483647");
    assertEquals(2147483647L, answer("ttl3.lab.lan.", Type.A).get(0).getTTL());
    for (String bad : List.of("-5", "2147483648", "soon", "1y")) {
      Run r = exits(2, "record", "add", "lab.lan", "ttl4", "A", "192.168.1.34", "--ttl", bad);
      assertTrue(r.err().contains("TTL '" + bad + "'"), r.all());
      assertEquals(1, r.err().strip().lines().count(), r.all());
    }
    assertEquals(Rcode.NXDOMAIN, ask("ttl4.lab.lan.", Type.A).getRcode());
  }

  @Test
  void txtDataInOneArgumentIsOneString() throws Exception {
    succeeds("record", "add", "lab.lan", "spf", "TXT", "v=spf1 -all");
    assertEquals(List.of("v=spf1 -all"), ((TXTRecord) answer("spf.lab.lan.", Type.TXT).get(0)).getStrings());
    succeeds("record", "add", "lab.lan", "two", "TXT", "\"a b\" \"c\"");
    assertEquals(List.of("a b", "c"), ((TXTRecord) answer("two.lab.lan.", Type.TXT).get(0)).getStrings());
    String longText = "k=" + "x".repeat(298) + " \"quoted\" \\ é";
    succeeds("record", "add", "lab.lan", "long", "TXT", longText);
    List<byte[]> strings = ((TXTRecord) answer("long.lab.lan.", Type.TXT).get(0)).getStringsAsByteArrays();
    assertEquals(2, strings.size());
    assertEquals(255, strings.get(0).length);
    java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
    strings.forEach(joined::writeBytes);
    assertEquals(longText, joined.toString(StandardCharsets.UTF_8));
  }

  @Test
  void nonAsciiNamesArePunycodeAndSpacesAreRefused() throws Exception {
    Run idn = succeeds("record", "add", "lab.lan", "bücher", "A", "192.168.1.40");
    assertTrue(idn.out().startsWith("xn--bcher-kva.lab.lan.\n"), idn.all());
    assertEquals("192.168.1.40", answer("xn--bcher-kva.lab.lan.", Type.A).get(0).rdataToString());
    Run space = exits(1, "record", "add", "lab.lan", "my host", "A", "192.168.1.41");
    assertEquals("namuctl: record name 'my host' has a space or control character; DNS names are labels of"
        + " letters, digits and hyphens separated by dots\n", space.err());
  }

  @Test
  void badAaaaDataSaysAaaa() throws Exception {
    Run r = exits(1, "record", "add", "lab.lan", "v6", "AAAA", "2001:db8::zz");
    assertEquals("namuctl: bad AAAA data '2001:db8::zz': Invalid address: 2001:db8::zz\n", r.err());
  }

  @Test
  void zoneNamesThatAreNotHostNamesAreRefused() throws Exception {
    for (String bad : List.of(".", "com", "a/b.lan", "x\ny.lan", "x-.lan", "a..lan")) {
      Run r = exits(1, "zone", "create", bad);
      assertEquals(1, r.err().strip().lines().count(), r.all());
      assertTrue(r.err().startsWith("namuctl: "), r.all());
    }
    assertTrue(namuctl("zone", "create", "com").err().contains("--allow-tld"));
    assertTrue(namuctl("zone", "create", "0/25.2.0.192.in-addr.arpa").err().contains("0-25.2.0.192.in-addr.arpa"));
    // nothing was stored: names outside the served zones are still refused, not NXDOMAIN from a stored root
    assertEquals(Rcode.REFUSED, ask("example.org.", Type.A).getRcode());
    assertFalse(Files.readString(data.resolve("stored-zones")).contains("com."));

    Run json = exits(1, "zone", "create", ".", "--json");
    JsonNode error = JSON.readTree(json.out());
    assertEquals("bad_request", error.get("error").asText(), json.all());
    assertTrue(error.get("message").asText().contains("root zone"), json.all());

    succeeds("zone", "create", "lan", "--allow-tld");
    succeeds("record", "add", "lan", "printer.lan", "A", "192.168.1.60");
    assertEquals("192.168.1.60", answer("printer.lan.", Type.A).get(0).rdataToString());
    succeeds("zone", "create", "_msdcs.corp.lan");
  }

  @Test
  void keyNamesAreDomainNamesButNotTheRoot() throws Exception {
    for (String bad : List.of(".", "bad key", "a/b")) {
      Run r = exits(1, "key", "add", bad);
      assertTrue(r.err().startsWith("namuctl: key name '"), r.all());
    }
    Run ok = succeeds("key", "add", "acme-client");
    assertTrue(ok.out().startsWith("key \"acme-client.\" {"), ok.all());
    Run list = namuctl("key", "list", "--json");
    assertEquals(1, JSON.readTree(list.out()).size(), list.all());
  }
}
