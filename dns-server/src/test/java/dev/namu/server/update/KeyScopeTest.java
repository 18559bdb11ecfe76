package dev.namu.server.update;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamuctlCalls;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.interop.ToolRun;
import dev.namu.server.peers.ToolLocator;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Update policy per key, through a real namud, keys made with {@code namuctl key add} (the picocli
 * entry) and RFC 2136 UPDATEs sent by real {@code nsupdate} processes: an ACME key limited to
 * TXT records at {@code _acme-challenge} and below in example.com may change those and nothing
 * else; every refusal is REFUSED and leaves the zone's serial and records as they were.
 */
class KeyScopeTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private NamudServer namud;
  private InetSocketAddress dns;
  private String api;
  private Path data;
  private Path nsupdate;

  @BeforeEach
  void start() throws Exception {
    var found = ToolLocator.find("nsupdate");
    assumeTrue(found.isPresent(), ToolLocator.missing("nsupdate", "bind9-dnsutils"));
    nsupdate = found.get();
    data = dir.resolve("data");
    namud = NamudServer.start("--listen", "127.0.0.1:0", "--zones",
        Files.createDirectories(dir.resolve("zones")).toString(), "--data", data.toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion", "--log-level", "WARN");
    namud.awaitStore();
    dns = namud.boundAddresses().get(0);
    api = "http://127.0.0.1:" + namud.admin().apiAddress().orElseThrow().getPort();
    for (String zone : List.of("example.com", "other.com")) {
      namuctl("zone", "create", zone, "--ns", "ns." + zone + ".");
      namuctl("record", "add", zone, "www", "A", "192.0.2.80");
      namuctl("record", "add", zone, "www", "TXT", "keep");
    }
    Files.writeString(dir.resolve("acme.key"), namuctl("key", "add", "acme", "--zone", "example.com",
        "--name", "_acme-challenge", "--subtree", "--types", "TXT"));
    Files.writeString(dir.resolve("exact.key"), namuctl("key", "add", "exact", "--zone", "example.com",
        "--name", "_acme-challenge", "--types", "TXT"));
    Files.writeString(dir.resolve("any.key"), namuctl("key", "add", "any"));
  }

  @AfterEach
  void stop() {
    if (namud != null) {
      namud.close();
    }
  }

  private String namuctl(String... args) {
    return NamuctlCalls.succeed(api, data, args);
  }

  private ToolRun nsupdate(String key, String zone, String commands) throws Exception {
    Path script = Files.writeString(Files.createTempFile(dir, "nsupdate-", ".txt"),
        "server 127.0.0.1 " + dns.getPort() + "\nzone " + zone + "\n" + commands + "send\n");
    return ToolRun.run(LIMIT, List.of(nsupdate.toString(), "-k", dir.resolve(key + ".key").toString(),
        script.toString()));
  }

  private long serial(String zone) throws Exception {
    Message m = DnsWire.udp(dns, DnsWire.query(zone + ".", Type.SOA));
    return ((SOARecord) m.getSection(Section.ANSWER).get(0)).getSerial();
  }

  private List<String> records(String name, int type) throws Exception {
    Message m = DnsWire.udp(dns, DnsWire.query(name, type));
    return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
  }

  /** The update is REFUSED, and neither zone's serial changed. */
  private void assertRefused(String key, String zone, String commands) throws Exception {
    long before = serial("example.com");
    long otherBefore = serial("other.com");
    ToolRun run = nsupdate(key, zone, commands);
    assertTrue(run.exitCode() != 0 && (run.stdout() + run.stderr()).contains("REFUSED"), run.transcript());
    assertEquals(before, serial("example.com"), "serial of example.com after\n" + run.transcript());
    assertEquals(otherBefore, serial("other.com"), "serial of other.com after\n" + run.transcript());
  }

  private void assertApplied(String key, String zone, String commands) throws Exception {
    long before = serial(zone);
    ToolRun run = nsupdate(key, zone, commands);
    assertEquals(0, run.exitCode(), run.transcript());
    assertTrue(serial(zone) > before, "serial of " + zone + " advanced\n" + run.transcript());
  }

  @Test
  void inScopeEditsAreApplied() throws Exception {
    assertApplied("acme", "example.com", "update add _acme-challenge.example.com 60 TXT token1\n"
        + "update add _acme-challenge.example.com 60 TXT token2\n");
    assertEquals(List.of("\"token1\"", "\"token2\""), records("_acme-challenge.example.com.", Type.TXT).stream()
        .sorted().toList());
    // below the name: the key has --subtree (the challenge of www.example.com's wildcard cousin)
    assertApplied("acme", "example.com", "update add x._acme-challenge.example.com 60 TXT sub\n");
    assertApplied("acme", "example.com", "update delete _acme-challenge.example.com TXT token1\n");
    assertApplied("acme", "example.com", "prereq yxrrset _acme-challenge.example.com TXT\n"
        + "update delete _acme-challenge.example.com TXT\n");
    assertEquals(List.of(), records("_acme-challenge.example.com.", Type.TXT));
    assertApplied("exact", "example.com", "update add _acme-challenge.example.com 60 TXT exact\n");
  }

  @Test
  void anotherZoneIsRefused() throws Exception {
    assertRefused("acme", "other.com", "update add _acme-challenge.other.com 60 TXT token\n");
    assertEquals(List.of(), records("_acme-challenge.other.com.", Type.TXT));
  }

  @Test
  void anotherNameIsRefused() throws Exception {
    assertRefused("acme", "example.com", "update add www.example.com 60 TXT token\n");
    assertEquals(List.of("\"keep\""), records("www.example.com.", Type.TXT));
  }

  @Test
  void aNameOutsideTheSubtreeIsRefused() throws Exception {
    // _acme-challenge.www is not below _acme-challenge: its own key is needed
    assertRefused("acme", "example.com", "update add _acme-challenge.www.example.com 60 TXT token\n");
    // without --subtree the names below the key's name are outside it
    assertRefused("exact", "example.com", "update add x._acme-challenge.example.com 60 TXT token\n");
    assertEquals(List.of(), records("x._acme-challenge.example.com.", Type.TXT));
  }

  @Test
  void anotherTypeIsRefused() throws Exception {
    // (a CNAME: nsupdate itself refuses an address record at a name with an underscore)
    assertRefused("acme", "example.com", "update add _acme-challenge.example.com 60 CNAME acme.example.net.\n");
    assertEquals(List.of(), records("_acme-challenge.example.com.", Type.CNAME));
  }

  @Test
  void deletingAnRRsetOutsideTheScopeIsRefused() throws Exception {
    assertRefused("acme", "example.com", "update delete www.example.com A\n");
    assertRefused("acme", "example.com", "update delete www.example.com TXT keep\n");
    // every RRset at a name: that would take types the key may not touch
    assertRefused("acme", "example.com", "update delete _acme-challenge.example.com\n");
    assertEquals(List.of("192.0.2.80"), records("www.example.com.", Type.A));
    assertEquals(List.of("\"keep\""), records("www.example.com.", Type.TXT));
  }

  @Test
  void aPrerequisiteOutsideTheScopeIsRefusedEvenAlone() throws Exception {
    // a probe of whether www exists, which the key has no business asking
    assertRefused("acme", "example.com", "prereq yxdomain www.example.com\n");
    assertRefused("acme", "example.com", "prereq nxrrset www.example.com A\n"
        + "update add _acme-challenge.example.com 60 TXT token\n");
    assertEquals(List.of(), records("_acme-challenge.example.com.", Type.TXT));
  }

  @Test
  void oneRecordOutsideRefusesTheWholeUpdate() throws Exception {
    assertRefused("acme", "example.com", "update add _acme-challenge.example.com 60 TXT token\n"
        + "update add www.example.com 60 TXT token\n");
    assertEquals(List.of(), records("_acme-challenge.example.com.", Type.TXT));
  }

  @Test
  void aKeyWithoutAScopeMayChangeAnything() throws Exception {
    assertApplied("any", "other.com", "update delete www.other.com A\nupdate add mail.other.com 60 A 192.0.2.25\n");
    assertEquals(List.of("192.0.2.25"), records("mail.other.com.", Type.A));
  }

  @Test
  void keyListShowsTheScope() {
    String list = namuctl("key", "list");
    assertTrue(list.contains("zones example.com., name _acme-challenge and below, types TXT"), list);
    assertTrue(list.contains("any zone, name and type"), list);
  }
}
