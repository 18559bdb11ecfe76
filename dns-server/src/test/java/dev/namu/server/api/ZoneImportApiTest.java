package dev.namu.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.cli.Namuctl;
import dev.namu.server.api.RunningApi.Reply;
import dev.namu.zones.file.ZoneFileRules;
import dev.namu.zones.model.ZoneSnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Zone import over real HTTP (and through namuctl) against the H2 store: the text is read alone,
 * never a file of the server's; what it makes is bounded as it is parsed; record data longer than
 * a record holds is refused with 422, and long valid data is stored.
 */
class ZoneImportApiTest {

  record Run(int code, String out, String err) {}

  static final String ZONE = "$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 192.0.2.1\n";

  @TempDir Path data;
  @TempDir static Path files;
  RunningApi api;
  final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    api = RunningApi.start(data, new TestApi.FixedControl(Instant.now(), 0));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  Reply call(String method, String path, String body) throws Exception {
    return api.call(method, path, body);
  }

  Run namuctl(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", api.base(), "--token", api.token()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> Namuctl.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new)));
    return new Run(code, out.toString(), err.toString());
  }

  ZoneSnapshot served(String zone) throws Exception {
    return api.registry().current().zone(Name.fromString(zone));
  }

  static boolean has(ZoneSnapshot zone, String name, int type) throws Exception {
    Name n = Name.fromString(name);
    return zone.records().stream().anyMatch(r -> r.getName().equals(n) && r.getType() == type);
  }

  // ---- $INCLUDE: refused where the parser meets it, however it is written

  /**
   * A FIFO, which blocks whoever opens it to read until a writer comes (none does), and a file
   * whose records would each be a problem naming a marker: either one read would show.
   */
  static Path fifo() throws Exception {
    Path fifo = files.resolve("pipe");
    if (!Files.exists(fifo)) {
      assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
    }
    return fifo;
  }

  static Stream<Arguments> includes() throws Exception {
    Path fifo = fifo();
    Path marker = files.resolve("marker.inc");
    Files.writeString(marker, "marker-7f3a TXT\nmarker-7f3a A not-an-address\n");
    List<Arguments> cases = new ArrayList<>();
    for (Path target : List.of(fifo, marker)) {
      cases.add(Arguments.of("plain", ZONE + "$INCLUDE " + target + "\n", 5));
      cases.add(Arguments.of("first, after a byte order mark", "\uFEFF$INCLUDE " + target + "\n" + ZONE, 1));
      cases.add(Arguments.of("in parentheses", ZONE + "( $INCLUDE " + target + " )\n", 5));
      cases.add(Arguments.of("in parentheses over lines", ZONE + "(\n $INCLUDE\n " + target + " )\n", 6));
      cases.add(Arguments.of("lower case", ZONE + "$include " + target + "\n", 5));
      cases.add(Arguments.of("with an origin, after records", ZONE + "www A 192.0.2.2\n$InClUdE " + target
          + " sub\nmail A 192.0.2.3\n", 6));
      cases.add(Arguments.of("beside $GENERATE", ZONE + "$GENERATE 1-3 h$ A 192.0.2.$\n$INCLUDE " + target
          + "\n$GENERATE 4-5 h$ A 192.0.2.$\n", 6));
      cases.add(Arguments.of("relative", ZONE + "$INCLUDE " + target.getFileName() + "\n", 5));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("includes")
  void includeIsRefusedWithoutOpeningTheFile(String how, String text, int line) throws Exception {
    Reply r = call("PUT", "zones/inc.test/text", text);
    assertEquals(422, r.status(), r.text());
    JsonNode problems = r.body().get("problems");
    assertEquals(1, problems.size(), r.text());
    assertEquals("import:" + line + ": " + ZoneFileRules.INCLUDE_REFUSED, problems.get(0).asText(), r.text());
    assertTrue(r.body().get("message").asText().contains(ZoneFileRules.INCLUDE_REFUSED), r.text());
    assertFalse(r.text().contains("marker-7f3a") || r.text().contains("not-an-address"), r.text());
    assertNull(served("inc.test."), "nothing imported");
  }

  // ---- bounds decided as the text is expanded

  @Test
  void aGenerateRangeOverTheBoundIsRefusedAtOnce() throws Exception {
    // 100 bytes that once made ten million records, with DNS answers slow for a minute
    Reply r = call("PUT", "zones/gen.test/text", ZONE + "$GENERATE 0-9999999 h$ A 10.0.0.1\n");
    assertEquals(422, r.status(), r.text());
    assertEquals("import:5: $GENERATE range 0-9999999 would make 10000000 records; one $GENERATE may make at most "
        + ZoneFileRules.IMPORT_MAX_RECORDS, r.body().get("problems").get(0).asText(), r.text());
    assertNull(served("gen.test."));
  }

  @Test
  void theRecordsOfOneImportAreBounded() throws Exception {
    long half = ZoneFileRules.IMPORT_MAX_RECORDS / 2;
    String two = ZONE + "$GENERATE 1-" + half + " a$ A 10.0.0.1\n$GENERATE 1-" + half + " b$ A 10.0.0.1\n";
    Reply r = call("PUT", "zones/many.test/text", two);
    assertEquals(422, r.status(), r.text());
    assertEquals("import:6: $GENERATE range 1-" + half + " would make " + half + " records, more than "
        + ZoneFileRules.IMPORT_MAX_RECORDS + " in all, the most one zone import may hold",
        r.body().get("problems").get(0).asText(), r.text());
    // plain records count the same: the record past the bound (x1, line 6) stops the parse there
    StringBuilder text = new StringBuilder(ZONE).append("$GENERATE 1-" + (ZoneFileRules.IMPORT_MAX_RECORDS - 3)
        + " a$ A 10.0.0.1\n");
    text.append("x1 A 10.0.0.1\nx2 A 10.0.0.2\n");
    Reply plain = call("PUT", "zones/many.test/text", text.toString());
    assertEquals(422, plain.status(), plain.text());
    assertEquals("import:6: more than " + ZoneFileRules.IMPORT_MAX_RECORDS
        + " records, the most one zone import may hold; serve a bigger zone from a file (--zones)",
        plain.body().get("problems").get(0).asText(), plain.text());
    // one record fewer is a zone
    Reply fits = call("PUT", "zones/many.test/text", ZONE + "$GENERATE 1-" + (ZoneFileRules.IMPORT_MAX_RECORDS - 3)
        + " a$ A 10.0.0.1\n");
    assertEquals(200, fits.status(), fits.text());
    assertEquals(ZoneFileRules.IMPORT_MAX_RECORDS, served("many.test.").records().size());
  }

  // ---- record data: never more than a record holds, and what it holds is stored

  static String txt(int strings, String content) {
    return (" \"" + content + "\"").repeat(strings).substring(1);
  }

  /** Imports zone txt.test (SOA, NS, ns), then adds a TXT record through the API: the reply to that. */
  Reply txtTestWithTxt(String name, String strings) throws Exception {
    assertEquals(200, call("PUT", "zones/txt.test/text", ZONE).status());
    String body = json.writeValueAsString(java.util.Map.of("name", name, "type", "TXT", "data", strings));
    return call("POST", "zones/txt.test/records", body);
  }

  @Test
  void recordDataLongerThanARecordHoldsIs422() throws Exception {
    String x255 = "x".repeat(255);
    // 257 strings of 256 bytes: 65,792 bytes of RDATA; RDLENGTH is 16 bits (RFC 1035 3.2.1)
    Reply add = txtTestWithTxt("big", txt(257, x255));
    assertEquals(422, add.status(), add.text());
    assertEquals("big.txt.test. TXT: record data is 65792 bytes, more than a record holds (65535, RFC 1035 3.2.1)",
        add.body().get("message").asText(), add.text());
    Reply imported = call("PUT", "zones/txt.test/text", ZONE + "www A 192.0.2.2\nbig TXT " + txt(257, x255) + "\n");
    assertEquals(422, imported.status(), imported.text());
    assertEquals("import:6: big.txt.test. TXT: record data is 65792 bytes, more than a record holds (65535,"
        + " RFC 1035 3.2.1)", imported.body().get("problems").get(0).asText(), imported.text());
    assertFalse(has(served("txt.test."), "www.txt.test.", Type.A), "nothing imported");
  }

  @Test
  void longValidRecordDataIsStored() throws Exception {
    // 200 strings of 255 bytes 0x01: 51,200 bytes of RDATA, 204,600 characters as text (\001 each)
    String escaped = "\\001".repeat(255);
    Reply add = txtTestWithTxt("long", txt(200, escaped));
    assertEquals(200, add.status(), add.text());
    TXTRecord stored = (TXTRecord) api.store().load(Name.fromString("txt.test.")).orElseThrow().records().stream()
        .filter(r -> r.getType() == Type.TXT).findFirst().orElseThrow();
    assertEquals(200, stored.getStringsAsByteArrays().size());
    assertEquals(51_200, stored.rdataToWireCanonical().length);
    assertTrue(stored.rdataToString().length() > 65_535, "longer than the column was");
    // and an import of the same record
    Reply imported = call("PUT", "zones/txt.test/text", ZONE + "long TXT " + txt(200, escaped) + "\n");
    assertEquals(200, imported.status(), imported.text());
  }

  // ---- namuctl zone import: the zone name from the file, and the same word as zone check --for-import

  @Test
  void namuctlImportTakesTheZoneNameFromTheFile() throws Exception {
    Path byOrigin = Files.writeString(files.resolve("db.example"), "$ORIGIN example.com.\n" + ZONE + "www A 192.0.2.2\n");
    Run r = namuctl("zone", "import", byOrigin.toString());
    assertEquals(0, r.code(), r.toString());
    assertEquals("imported zone example.com. (serial 1)\n", r.out(), r.toString());
    assertTrue(has(served("example.com."), "www.example.com.", Type.A), "www imported");

    Path bySoa = Files.writeString(files.resolve("wrong-name.zone"), "$TTL 300\nexample.org. SOA ns.example.org. h 1 2 3 4 5\n"
        + "example.org. NS ns.example.org.\nns.example.org. A 192.0.2.1\n");
    Run soa = namuctl("zone", "import", bySoa.toString());
    assertEquals(0, soa.code(), soa.toString());
    assertEquals("imported zone example.org. (serial 1)\n", soa.out(), soa.toString());
    assertNull(served("wrong-name."));

    Path plain = Files.writeString(files.resolve("plain.test.zone"), ZONE);
    assertEquals(0, namuctl("zone", "import", plain.toString()).code());
    assertNotNull(served("plain.test."), "the file name when the text names no zone");
    Run given = namuctl("zone", "import", "--origin", "given.test", plain.toString());
    assertEquals("imported zone given.test. (serial 1)\n", given.out(), given.toString());
  }

  @Test
  void namuctlImportAndCheckForImportSayTheSame() throws Exception {
    Path file = Files.writeString(files.resolve("say.test.zone"), ZONE + "( $INCLUDE " + fifo() + " )\n"
        + "$GENERATE 0-9999999 h$ A 10.0.0.1\n");
    Run imported = namuctl("zone", "import", file.toString());
    assertEquals(1, imported.code(), imported.toString());
    StringWriter out = new StringWriter();
    int code = Namuctl.execute(new PrintWriter(out), new PrintWriter(new StringWriter()),
        "zone", "check", "--for-import", file.toString());
    assertEquals(1, code);
    List<String> checked = new ArrayList<>();
    for (String line : out.toString().split("\n")) {
      if (line.startsWith(file + ":")) {
        checked.add(line.substring(file.toString().length() + 1));
      }
    }
    List<String> said = new ArrayList<>();
    for (String line : imported.err().split("\n")) {
      if (line.startsWith("  import:")) {
        said.add(line.substring("  import:".length()));
      }
    }
    assertEquals(List.of("5: " + ZoneFileRules.INCLUDE_REFUSED, "6: $GENERATE range 0-9999999 would make 10000000"
        + " records; one $GENERATE may make at most " + ZoneFileRules.IMPORT_MAX_RECORDS), checked, out.toString());
    assertEquals(checked, said, imported.toString());
  }
}
