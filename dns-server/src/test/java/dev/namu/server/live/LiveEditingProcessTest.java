package dev.namu.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.cli.Namuctl;
import dev.namu.server.DnsWire;
import dev.namu.server.interop.ToolRun;
import dev.namu.server.peers.ToolLocator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Live editing as a user sees it: namud and namuctl as processes, answers checked with dig, updates
 * sent with nsupdate, namud killed with SIGKILL. Loopback and ephemeral ports only.
 */
class LiveEditingProcessTest {

  static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  final ObjectMapper json = new ObjectMapper();
  final HttpClient http = HttpClient.newHttpClient();

  // ---- helpers

  ToolRun namuctl(NamudProcess namud, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(NamudProcess.java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
        "-cp", NamudProcess.classpath(), Namuctl.class.getName()));
    cmd.addAll(Arrays.asList(args));
    if (args.length >= 2 && !Arrays.asList(args).contains("--help")) {
      cmd.addAll(List.of("--server", namud.apiUrl(), "--data", dir.resolve("data").toString()));
    }
    return ToolRun.run(LIMIT, cmd);
  }

  static Path tool(String name) {
    var found = ToolLocator.find(name);
    assumeTrue(found.isPresent(), ToolLocator.missing(name, "bind9-dnsutils"));
    return found.get();
  }

  /** dig's answer section lines for one question (+noall +answer), or the rcode line on failure. */
  List<String> dig(NamudProcess namud, String... question) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(tool("dig").toString(), "@127.0.0.1", "-p",
        String.valueOf(namud.dnsPort), "+norecurse", "+noall", "+answer", "+time=2", "+tries=1"));
    cmd.addAll(Arrays.asList(question));
    ToolRun r = ToolRun.run(LIMIT, cmd);
    assertEquals(0, r.exitCode(), r.transcript());
    return r.stdout().lines().filter(l -> !l.isBlank() && !l.startsWith(";"))
        .map(l -> l.trim().replaceAll("\\s+", " ")).toList();
  }

  String token() throws Exception {
    return Files.readString(dir.resolve("data").resolve("api-token")).trim();
  }

  HttpResponse<String> api(NamudProcess namud, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(namud.apiUrl() + "/api/v1/" + path))
        .header("Authorization", "Bearer " + token())
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  NamudProcess start(String... extra) throws Exception {
    return NamudProcess.start(dir.resolve("data"), Files.createTempFile(dir, "namud-", ".log"), extra);
  }

  static Message udp(NamudProcess namud, String name, int type) throws Exception {
    return DnsWire.udp(namud.dns(), DnsWire.query(name, type));
  }

  /**
   * Creates zone example.test and two keys: acme (hmac-sha256), whose secret it returns, and ddns
   * (hmac-sha512), written as a BIND key file to ddns.key.
   */
  String zoneWithTwoKeys(NamudProcess namud) throws Exception {
    assertEquals(0, namuctl(namud, "zone", "create", "example.test").exitCode());
    ToolRun key = namuctl(namud, "key", "add", "acme", "--json");
    assertEquals(0, key.exitCode(), key.transcript());
    ToolRun keyFile = namuctl(namud, "key", "add", "ddns", "--algorithm", "hmac-sha512");
    assertEquals(0, keyFile.exitCode(), keyFile.transcript());
    Files.writeString(dir.resolve("ddns.key"), keyFile.stdout());
    return json.readTree(key.stdout()).get("secret").asText();
  }

  /** nsupdate with these options, sending the commands (after a server line for namud) from a file. */
  ToolRun nsupdate(NamudProcess namud, String commands, String... options) throws Exception {
    Path script = Files.writeString(Files.createTempFile(dir, "nsupdate-", ".txt"),
        "server 127.0.0.1 " + namud.dnsPort + "\n" + commands);
    List<String> cmd = new ArrayList<>(List.of(tool("nsupdate").toString()));
    cmd.addAll(Arrays.asList(options));
    cmd.add(script.toString());
    return ToolRun.run(LIMIT, cmd);
  }

  // ---- tests

  @Test
  void namuctlEditsAndDigSeesThemAtOnce() throws Exception {
    // an empty zones directory: without --zones namud serves its built-in example home.lan from a file
    Path noFiles = Files.createDirectories(dir.resolve("no-zone-files"));
    try (NamudProcess namud = start("--zones", noFiles.toString())) {
      ToolRun created = namuctl(namud, "zone", "create", "home.lan");
      assertEquals(0, created.exitCode(), created.transcript());
      assertEquals(0, namuctl(namud, "zone", "create", "0.168.192.in-addr.arpa").exitCode());
      ToolRun add = namuctl(namud, "record", "add", "home.lan", "nas", "A", "192.168.0.12");
      assertEquals(0, add.exitCode(), add.transcript());
      assertTrue(add.stdout().contains("home.lan.: serial"), add.stdout());
      assertTrue(add.stdout().contains("0.168.192.in-addr.arpa.: serial"), add.stdout());
      // must show: the PTR came with the A record, in the same edit, and dig sees both at once
      assertEquals(List.of("nas.home.lan. 3600 IN A 192.168.0.12"), dig(namud, "nas.home.lan", "A"));
      List<String> ptr = dig(namud, "-x", "192.168.0.12");
      assertEquals(1, ptr.size(), ptr.toString());
      assertTrue(ptr.get(0).endsWith("PTR nas.home.lan."), ptr.toString());

      // bad input: clear message, exit 1, nothing changed
      ToolRun badAddress = namuctl(namud, "record", "add", "home.lan", "tv", "A", "192.168.0.300");
      assertEquals(1, badAddress.exitCode());
      assertTrue(badAddress.stderr().startsWith("namuctl: bad A data '192.168.0.300'"), badAddress.stderr());
      ToolRun conflict = namuctl(namud, "record", "add", "home.lan", "nas", "CNAME", "files");
      assertEquals(1, conflict.exitCode());
      assertTrue(conflict.stderr().contains("CNAME"), conflict.stderr());
      ToolRun unknown = namuctl(namud, "record", "add", "nowhere.lan", "x", "A", "192.0.2.1");
      assertEquals(1, unknown.exitCode());
      assertTrue(unknown.stderr().contains("no zone nowhere.lan."), unknown.stderr());
      ToolRun wrongToken = namuctl(namud, "zone", "list", "--token", "wrong");
      assertEquals(1, wrongToken.exitCode());
      assertTrue(wrongToken.stderr().contains("token"), wrongToken.stderr());
      assertEquals(2, namuctl(namud, "record", "add", "home.lan").exitCode());
      assertEquals(Rcode.NXDOMAIN, udp(namud, "tv.home.lan.", Type.A).getRcode());

      // tables for people, JSON for scripts
      ToolRun list = namuctl(namud, "zone", "list", "--json");
      JsonNode zones = json.readTree(list.stdout());
      assertTrue(zones.toString().contains("\"home.lan.\"") && zones.toString().contains("\"0.168.192.in-addr.arpa.\""),
          zones.toString());
      ToolRun table = namuctl(namud, "record", "list", "home.lan", "nas");
      assertTrue(table.stdout().startsWith("NAME"), table.stdout());
      assertTrue(table.stdout().contains("192.168.0.12"), table.stdout());

      // delete removes both
      ToolRun del = namuctl(namud, "record", "delete", "home.lan", "nas", "A", "192.168.0.12");
      assertEquals(0, del.exitCode(), del.transcript());
      assertEquals(Rcode.NXDOMAIN, udp(namud, "nas.home.lan.", Type.A).getRcode());
      assertEquals(Rcode.NXDOMAIN, udp(namud, "12.0.168.192.in-addr.arpa.", Type.PTR).getRcode());

      // export then import round-trips exactly
      namuctl(namud, "record", "add", "home.lan", "@", "TXT", "\"hello world\"");
      Path exported = dir.resolve("home.lan.zone");
      assertEquals(0, namuctl(namud, "zone", "export", "home.lan", "-o", exported.toString()).exitCode());
      ToolRun imp = namuctl(namud, "zone", "import", exported.toString());
      assertEquals(0, imp.exitCode(), imp.transcript());
      ToolRun again = namuctl(namud, "zone", "export", "home.lan");
      // the serial advanced past the export's (RFC 1982), everything else is identical
      assertEquals(Files.readString(exported).replaceAll("serial \\d+|\\b20\\d{8}\\b", "S"),
          again.stdout().replaceAll("serial \\d+|\\b20\\d{8}\\b", "S"));

      ToolRun status = namuctl(namud, "server", "status");
      assertEquals(0, status.exitCode(), status.transcript());
      assertTrue(status.stdout().contains("home.lan."), status.stdout());
      ToolRun flush = namuctl(namud, "cache", "flush");
      assertEquals(1, flush.exitCode());
      assertTrue(flush.stderr().contains("no resolver cache"), flush.stderr());
    }
  }

  @Test
  void nsupdateWithTheRightKeyAddsAndDeletesWithoutItNothingChanges() throws Exception {
    tool("nsupdate");
    try (NamudProcess namud = start()) {
      String secret = zoneWithTwoKeys(namud);
      Path keyPath = dir.resolve("ddns.key");

      String add = "zone example.test\nupdate add _acme-challenge.example.test 60 TXT \"token-123\"\nsend\n";
      // -y with the right key
      ToolRun ok = nsupdate(namud, add, "-y", "hmac-sha256:acme:" + secret);
      assertEquals(0, ok.exitCode(), ok.transcript());
      assertEquals(List.of("_acme-challenge.example.test. 60 IN TXT \"token-123\""),
          dig(namud, "_acme-challenge.example.test", "TXT"));

      // the same over TCP (nsupdate -v): a second record
      ToolRun tcp = nsupdate(namud, add.replace("token-123", "over-tcp").replace("_acme-challenge", "tcp"),
          "-v", "-y", "hmac-sha256:acme:" + secret);
      assertEquals(0, tcp.exitCode(), tcp.transcript());
      assertEquals(List.of("tcp.example.test. 60 IN TXT \"over-tcp\""), dig(namud, "tcp.example.test", "TXT"));

      // no key: refused, nothing changes
      String add2 = add.replace("token-123", "evil");
      ToolRun unsigned = nsupdate(namud, add2);
      assertTrue(unsigned.exitCode() != 0, unsigned.transcript());
      assertTrue((unsigned.stdout() + unsigned.stderr()).contains("REFUSED"), unsigned.transcript());
      // wrong secret: NOTAUTH (BADSIG), nothing changes
      String wrong = java.util.Base64.getEncoder().encodeToString(new byte[32]);
      ToolRun bad = nsupdate(namud, add2, "-y", "hmac-sha256:acme:" + wrong);
      assertTrue(bad.exitCode() != 0, bad.transcript());
      // unknown key name: NOTAUTH (BADKEY)
      ToolRun unknownKey = nsupdate(namud, add2, "-y", "hmac-sha256:nobody:" + secret);
      assertTrue(unknownKey.exitCode() != 0, unknownKey.transcript());
      assertEquals(List.of("_acme-challenge.example.test. 60 IN TXT \"token-123\""),
          dig(namud, "_acme-challenge.example.test", "TXT"));

      // -k with a BIND key file (hmac-sha512) deletes it
      ToolRun del = nsupdate(namud, "zone example.test\nupdate delete _acme-challenge.example.test TXT\nsend\n",
          "-k", keyPath.toString());
      assertEquals(0, del.exitCode(), del.transcript());
      assertEquals(List.of(), dig(namud, "_acme-challenge.example.test", "TXT"));

      // prerequisite failure (yxdomain required, name absent): NXDOMAIN, nothing changes
      ToolRun pr = nsupdate(namud, "zone example.test\nprereq yxdomain nothere.example.test\n"
          + "update add x.example.test 60 A 192.0.2.1\nsend\n", "-y", "hmac-sha256:acme:" + secret);
      assertTrue(pr.exitCode() != 0 && (pr.stdout() + pr.stderr()).contains("NXDOMAIN"), pr.transcript());
      assertEquals(Rcode.NXDOMAIN, udp(namud, "x.example.test.", Type.A).getRcode());

      // the journal says who did what
      JsonNode journal = json.readTree(api(namud, "GET", "zones/example.test/journal", null).body());
      Set<String> actors = new HashSet<>();
      journal.forEach(e -> actors.add(e.get("by").asText()));
      assertTrue(actors.containsAll(Set.of("key:acme.", "key:ddns.")), actors.toString());
    }
  }

  @Test
  void nsupdateWithoutAZoneLineAndDigWithAKeyGetSignedReplies() throws Exception {
    tool("nsupdate");
    Path dig = tool("dig");
    try (NamudProcess namud = start()) {
      String secret = zoneWithTwoKeys(namud);
      Path keyPath = dir.resolve("ddns.key");

      // No zone line: nsupdate first sends a signed SOA query for the name to find its zone, and
      // goes on only when the reply is signed too (as acme.sh's nsupdate hook does).
      ToolRun y = nsupdate(namud, "update add _acme-challenge.example.test 60 TXT \"no-zone-line\"\nsend\n",
          "-y", "hmac-sha256:acme:" + secret);
      assertEquals(0, y.exitCode(), y.transcript());
      assertEquals(List.of("_acme-challenge.example.test. 60 IN TXT \"no-zone-line\""),
          dig(namud, "_acme-challenge.example.test", "TXT"));
      ToolRun k = nsupdate(namud, "update add k.example.test 60 TXT \"key-file\"\nsend\n", "-k", keyPath.toString());
      assertEquals(0, k.exitCode(), k.transcript());
      assertEquals(List.of("k.example.test. 60 IN TXT \"key-file\""), dig(namud, "k.example.test", "TXT"));

      // dig -y: the reply carries a TSIG that dig verified (it says so when it cannot)
      List<String> digY = List.of(dig.toString(), "@127.0.0.1", "-p", String.valueOf(namud.dnsPort), "+time=5",
          "+tries=1", "example.test", "SOA");
      ToolRun signed = ToolRun.run(LIMIT, with(digY, "-y", "hmac-sha256:acme:" + secret));
      assertEquals(0, signed.exitCode(), signed.transcript());
      assertTrue(signed.stdout().contains("status: NOERROR"), signed.transcript());
      assertTrue(signed.stdout().matches("(?s).*TSIG PSEUDOSECTION:\\s+acme\\.\\s.*\\bNOERROR\\b.*"),
          signed.transcript());
      assertFalse((signed.stdout() + signed.stderr()).matches("(?si).*(could not be validated|verify|malformed).*"),
          signed.transcript());
      // a wrong secret: NOTAUTH, the TSIG error BADSIG, in a reply dig can read
      String wrong = java.util.Base64.getEncoder().encodeToString(new byte[32]);
      ToolRun badSig = ToolRun.run(LIMIT, with(digY, "-y", "hmac-sha256:acme:" + wrong));
      assertTrue(badSig.stdout().contains("status: NOTAUTH"), badSig.transcript());
      assertTrue(badSig.stdout().matches("(?s).*\\bacme\\.\\s.*TSIG.*\\bBADSIG\\b.*"), badSig.transcript());
      assertFalse((badSig.stdout() + badSig.stderr()).contains("malformed"), badSig.transcript());
      ToolRun badKey = ToolRun.run(LIMIT, with(digY, "-y", "hmac-sha256:nobody:" + secret));
      assertTrue(badKey.stdout().contains("status: NOTAUTH"), badKey.transcript());
      assertTrue(badKey.stdout().matches("(?s).*\\bnobody\\.\\s.*TSIG.*\\bBADKEY\\b.*"), badKey.transcript());
      assertFalse((badKey.stdout() + badKey.stderr()).contains("malformed"), badKey.transcript());
    }
  }

  private static List<String> with(List<String> command, String... more) {
    List<String> all = new ArrayList<>(command);
    all.addAll(1, Arrays.asList(more));
    return all;
  }

  @Test
  void sigkillRightAfterAcknowledgedEditsLosesNone() throws Exception {
    List<String> acknowledged = new ArrayList<>();
    try (NamudProcess namud = start()) {
      assertEquals(201, api(namud, "POST", "zones", "{\"name\":\"durable.test\"}").statusCode());
      for (int i = 0; i < 150; i++) {
        HttpResponse<String> r = api(namud, "POST", "zones/durable.test/records",
            "{\"name\":\"h" + i + "\",\"type\":\"A\",\"data\":\"10.1." + (i / 256) + "." + (i % 256) + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        acknowledged.add("h" + i + ".durable.test.");
      }
      // one batch acknowledged the moment before the kill
      StringBuilder batch = new StringBuilder("{\"changes\":[");
      for (int i = 0; i < 300; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"op\":\"add\",\"name\":\"b").append(i)
            .append("\",\"type\":\"TXT\",\"data\":\"\\\"v").append(i).append("\\\"\"}");
      }
      HttpResponse<String> b = api(namud, "POST", "zones/durable.test/batch", batch.append("]}").toString());
      assertEquals(200, b.statusCode(), b.body());
      namud.kill(); // SIGKILL at once: no shutdown hook, no database close
    }
    try (NamudProcess again = start()) {
      JsonNode a = json.readTree(api(again, "GET", "zones/durable.test/records?type=A", null).body());
      Set<String> names = new HashSet<>();
      a.forEach(r -> names.add(r.get("name").asText()));
      for (String name : acknowledged) {
        assertTrue(names.contains(name), "acknowledged edit lost after kill -9: " + name);
      }
      JsonNode txt = json.readTree(api(again, "GET", "zones/durable.test/records?type=TXT", null).body());
      assertEquals(300, txt.size(), "the batch acknowledged before kill -9 is all there");
      // and served over DNS
      assertEquals(Rcode.NOERROR, udp(again, "h149.durable.test.", Type.A).getRcode());
      assertEquals(Rcode.NOERROR, udp(again, "b299.durable.test.", Type.TXT).getRcode());
    }
  }

  @Test
  void reloadOnCommandAndSighupKeepsTheOldVersionOfABrokenFile() throws Exception {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Path file = zones.resolve("files.test.zone");
    String v1 = "$TTL 60\n@ SOA ns.files.test. h.files.test. 1 60 60 60 60\n@ NS ns\nns A 192.0.2.53\nwww A 192.0.2.1\n";
    Files.writeString(file, v1);
    try (NamudProcess namud = start("--zones", zones.toString())) {
      assertEquals("192.0.2.1", firstA(udp(namud, "www.files.test.", Type.A)));
      Files.writeString(file, v1.replace(" 1 60", " 2 60").replace("192.0.2.1", "192.0.2.2"));
      ToolRun reload = namuctl(namud, "server", "reload");
      assertEquals(0, reload.exitCode(), reload.transcript());
      assertEquals("192.0.2.2", firstA(udp(namud, "www.files.test.", Type.A)));
      // broken: the old version keeps serving, the problem is reported, exit 1
      Files.writeString(file, v1.replace(" 1 60", " 3 60").replace("192.0.2.1", "192.0.2.300"));
      ToolRun broken = namuctl(namud, "server", "reload");
      assertEquals(1, broken.exitCode(), broken.transcript());
      assertTrue(broken.stderr().contains("files.test.zone:5"), broken.stderr());
      assertEquals("192.0.2.2", firstA(udp(namud, "www.files.test.", Type.A)));
      // fixed, then SIGHUP
      Files.writeString(file, v1.replace(" 1 60", " 4 60").replace("192.0.2.1", "192.0.2.4"));
      Process hup = new ProcessBuilder("kill", "-HUP", String.valueOf(namud.process.pid())).start();
      assertTrue(hup.waitFor(10, TimeUnit.SECONDS) && hup.exitValue() == 0);
      long deadline = System.nanoTime() + LIMIT.toNanos();
      String seen = null;
      while (System.nanoTime() < deadline && !"192.0.2.4".equals(seen)) {
        seen = firstA(udp(namud, "www.files.test.", Type.A));
        Thread.sleep(20);
      }
      assertEquals("192.0.2.4", seen, namud.output());
      assertTrue(namud.process.isAlive(), "SIGHUP reloads, it does not stop namud");
      // a file zone is not edited live; the error says what to do
      ToolRun edit = namuctl(namud, "record", "add", "files.test", "x", "A", "192.0.2.9");
      assertEquals(1, edit.exitCode());
      assertTrue(edit.stderr().contains("import"), edit.stderr());
    }
  }

  /** Waits (bounded) until namud's log holds {@code count} lines with {@code text}: SIGHUP answers nobody. */
  private static void awaitLog(NamudProcess namud, String text, int count) throws Exception {
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (namud.output().split(java.util.regex.Pattern.quote(text), -1).length - 1 < count) {
      assertTrue(System.nanoTime() < deadline, "no '" + text + "' in the log: " + namud.output());
      Thread.sleep(50);
    }
  }

  @Test
  void sighupReadsTheConfigFileAgainAndABadOneChangesNothing() throws Exception {
    String zone = "$TTL 60\n@ SOA ns h 1 60 60 60 60\n@ NS ns\nns A 192.0.2.53\nwww A 192.0.2.7\n";
    Path first = Files.createDirectories(dir.resolve("zones-1"));
    Files.writeString(first.resolve("one.test.zone"), zone);
    Path second = Files.createDirectories(dir.resolve("zones-2"));
    Files.writeString(second.resolve("one.test.zone"), zone);
    Files.writeString(second.resolve("two.test.zone"), zone);
    Path config = Files.writeString(dir.resolve("namud.yaml"), "zones: " + first + "\n");
    try (NamudProcess namud = start("--config", config.toString())) {
      assertEquals(Rcode.REFUSED, udp(namud, "www.two.test.", Type.A).getRcode());
      Files.writeString(config, "zones: " + second + "\n");
      Process hup = new ProcessBuilder("kill", "-HUP", String.valueOf(namud.process.pid())).start();
      assertTrue(hup.waitFor(10, TimeUnit.SECONDS) && hup.exitValue() == 0);
      awaitLog(namud, "reload: applied zones", 1);
      assertEquals("192.0.2.7", firstA(udp(namud, "www.two.test.", Type.A)), "the zones directory now named");

      Files.writeString(config, "zones: " + first + "\nthreads: many\n");
      hup = new ProcessBuilder("kill", "-HUP", String.valueOf(namud.process.pid())).start();
      assertTrue(hup.waitFor(10, TimeUnit.SECONDS) && hup.exitValue() == 0);
      awaitLog(namud, "reload refused", 1);
      assertTrue(namud.output().contains("reload refused, the running configuration is kept: " + config + ":2: threads:"),
          namud.output());
      assertFalse(namud.output().contains("\tat "), "no stack trace: " + namud.output());
      assertEquals("192.0.2.7", firstA(udp(namud, "www.two.test.", Type.A)), "still the running configuration");
      assertTrue(namud.process.isAlive());
    }
  }

  private static String firstA(Message m) {
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r.getType() == Type.A) {
        return r.rdataToString();
      }
    }
    return null;
  }

  @Test
  void aThousandEditsOneByOneAndInOneBatchAllAnswerByDig() throws Exception {
    Path digPath = tool("dig");
    try (NamudProcess namud = start()) {
      api(namud, "POST", "zones", "{\"name\":\"one.test\"}");
      api(namud, "POST", "zones", "{\"name\":\"batch.test\"}");
      // single-record edits through the API, each acknowledged (committed) before the next
      long t0 = System.nanoTime();
      List<Long> ackToVisible = new ArrayList<>();
      List<Long> requestToVisible = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        long s = System.nanoTime();
        HttpResponse<String> r = api(namud, "POST", "zones/one.test/records",
            "{\"name\":\"h" + i + "\",\"type\":\"A\",\"data\":\"10.2." + (i / 256) + "." + (i % 256) + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        if (i % 20 == 0) {
          // edit-to-visible: the acknowledged record answers on the very next query
          long acked = System.nanoTime();
          Message m = udp(namud, "h" + i + ".one.test.", Type.A);
          assertEquals(Rcode.NOERROR, m.getRcode());
          long seen = System.nanoTime();
          ackToVisible.add(seen - acked);
          requestToVisible.add(seen - s);
        }
      }
      long singlesMs = (System.nanoTime() - t0) / 1_000_000;
      // the same number of records in one batch
      StringBuilder batch = new StringBuilder("{\"changes\":[");
      for (int i = 0; i < 1000; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"op\":\"add\",\"name\":\"h").append(i)
            .append("\",\"type\":\"A\",\"data\":\"10.3.").append(i / 256).append('.').append(i % 256).append("\"}");
      }
      long b0 = System.nanoTime();
      HttpResponse<String> b = api(namud, "POST", "zones/batch.test/batch", batch.append("]}").toString());
      long batchMs = (System.nanoTime() - b0) / 1_000_000;
      assertEquals(200, b.statusCode(), b.body());
      // one edit, not a thousand: compared with the singles timed on the same machine in the same
      // minute (a wall-clock bound failed on a busy machine)
      assertTrue(batchMs < singlesMs, "a batch of 1000 took " + batchMs + " ms, the 1000 single edits " + singlesMs + " ms");

      // every record answers by dig, at once (one dig process, 2000 questions from a file)
      StringBuilder questions = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        questions.append("h").append(i).append(".one.test. A\n");
        questions.append("h").append(i).append(".batch.test. A\n");
      }
      Path qfile = Files.writeString(dir.resolve("questions.txt"), questions);
      ToolRun dig = ToolRun.run(Duration.ofSeconds(120), List.of(digPath.toString(), "@127.0.0.1", "-p",
          String.valueOf(namud.dnsPort), "+norecurse", "+noall", "+answer", "+time=3", "+tries=3", "-f", qfile.toString()));
      assertEquals(0, dig.exitCode(), dig.stderr());
      Set<String> answered = new HashSet<>();
      dig.stdout().lines().filter(l -> l.contains("\tA\t")).forEach(l -> answered.add(l.split("\\s+")[0] + " " + l.split("\\s+")[4]));
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        String octets = (i / 256) + "." + (i % 256);
        if (!answered.contains("h" + i + ".one.test. 10.2." + octets)) {
          missing.add("h" + i + ".one.test");
        }
        if (!answered.contains("h" + i + ".batch.test. 10.3." + octets)) {
          missing.add("h" + i + ".batch.test");
        }
      }
      Files.writeString(dir.getParent().resolve("namu-dig-out.txt"), dig.stdout() + "\n---\n" + dig.stderr());
      // namud listens on a port outside the ephemeral range (ToolPorts): dig's SO_REUSEPORT
      // client sockets were once in a while handed namud's own port and read their query back
      assertEquals(List.of(), missing, answered.size() + " answered; dig stderr: " + dig.stderr());
      // and a few namuctl record add calls, as a script would make them
      long c0 = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        assertEquals(0, namuctl(namud, "record", "add", "one.test", "cli" + i, "A", "10.9.0." + i).exitCode());
      }
      long cliMs = (System.nanoTime() - c0) / 1_000_000 / 5;
      assertEquals("10.9.0.4", firstA(udp(namud, "cli4.one.test.", Type.A)));
      ackToVisible.sort(null);
      requestToVisible.sort(null);
      System.out.printf("MEASURE 1000 single API edits: %d ms (%.2f ms each); batch of 1000: %d ms;"
          + " edit-to-visible (request sent to first UDP answer with the record) median %.2f ms, max %.2f ms;"
          + " ack-to-visible median %.2f ms; namuctl record add (JVM start included): %d ms per call%n",
          singlesMs, singlesMs / 1000.0, batchMs, requestToVisible.get(requestToVisible.size() / 2) / 1e6,
          requestToVisible.get(requestToVisible.size() - 1) / 1e6, ackToVisible.get(ackToVisible.size() / 2) / 1e6,
          cliMs);
      assertFalse(namud.output().contains("Exception"), namud.output());
    }
  }
}
