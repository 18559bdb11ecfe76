package dev.namu.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.cli.Namuctl;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Named API tokens through a real namud: tokens made with {@code namuctl token add} (the picocli
 * entry), used by namuctl and by plain HTTP requests. An ACME token limited to TXT records at
 * {@code _acme-challenge} and below in example.com edits those; every other edit, zone operation,
 * key and token management is a 403 with a JSON error and leaves every zone's serial as it was.
 */
class ScopedTokenTest {

  @TempDir Path dir;
  private NamudServer namud;
  private InetSocketAddress dns;
  private String api;
  private Path data;
  private String acme;
  private String lab;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    data = dir.resolve("data");
    namud = NamudServer.start("--listen", "127.0.0.1:0", "--zones",
        Files.createDirectories(dir.resolve("zones")).toString(), "--data", data.toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion", "--log-level", "WARN");
    namud.awaitStore();
    dns = namud.boundAddresses().get(0);
    api = "http://127.0.0.1:" + namud.admin().apiAddress().orElseThrow().getPort();
    for (String zone : List.of("example.com", "other.com")) {
      admin("zone", "create", zone, "--ns", "ns." + zone + ".");
      admin("record", "add", zone, "www", "A", "192.0.2.80");
      admin("record", "add", zone, "www", "TXT", "keep");
    }
    acme = admin("token", "add", "acme", "--zone", "example.com", "--name", "_acme-challenge", "--subtree",
        "--types", "TXT").trim();
    lab = admin("token", "add", "lab", "--zone", "example.com").trim();
    assertTrue(acme.length() >= 40 && !acme.contains(" "), "one token on one line: " + acme);
  }

  @AfterEach
  void stop() {
    if (namud != null) {
      namud.close();
    }
  }

  /** namuctl with the admin token (from the data directory); must succeed. */
  private String admin(String... args) {
    Run run = namuctl(null, args);
    assertEquals(0, run.exit, String.join(" ", args) + "\n" + run.out + run.err);
    return run.out;
  }

  private record Run(int exit, String out, String err) {}

  /** namuctl with {@code token}, or the admin's when null. */
  private Run namuctl(String token, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", api));
    all.addAll(token == null ? List.of("--data", data.toString()) : List.of("--token", token));
    int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private HttpResponse<String> call(String token, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + "/api/v1/" + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private long serial(String zone) throws Exception {
    Message m = DnsWire.udp(dns, DnsWire.query(zone + ".", Type.SOA));
    return ((SOARecord) m.getSection(Section.ANSWER).get(0)).getSerial();
  }

  private List<String> records(String name, int type) throws Exception {
    Message m = DnsWire.udp(dns, DnsWire.query(name, type));
    return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
  }

  /** namuctl with {@code token} fails with the API's 403, and neither zone's serial moved. */
  private void assertRefusedByNamuctl(String token, String... args) throws Exception {
    long example = serial("example.com");
    long other = serial("other.com");
    Run run = namuctl(token, args);
    assertEquals(1, run.exit, String.join(" ", args) + "\n" + run.out + run.err);
    assertTrue(run.err.startsWith("namuctl: ")
        && (run.err.contains(" may change ") || run.err.contains("needs the admin token")), run.err);
    assertEquals(example, serial("example.com"), "serial of example.com after " + String.join(" ", args));
    assertEquals(other, serial("other.com"), "serial of other.com after " + String.join(" ", args));
  }

  /** The HTTP call is a 403 with a JSON error, and neither zone's serial moved. */
  private void assertForbidden(String token, String method, String path, String body) throws Exception {
    long example = serial("example.com");
    long other = serial("other.com");
    HttpResponse<String> r = call(token, method, path, body);
    assertEquals(403, r.statusCode(), method + " " + path + ": " + r.body());
    JsonNode error = json.readTree(r.body());
    assertEquals("forbidden", error.path("error").asText(), r.body());
    assertFalse(error.path("message").asText().isEmpty(), r.body());
    assertEquals(example, serial("example.com"), "serial of example.com after " + method + " " + path);
    assertEquals(other, serial("other.com"), "serial of other.com after " + method + " " + path);
  }

  @Test
  void anInScopeEditIsApplied() throws Exception {
    long before = serial("example.com");
    Run add = namuctl(acme, "record", "add", "example.com", "_acme-challenge", "TXT", "challenge-1");
    assertEquals(0, add.exit, add.out + add.err);
    Run below = namuctl(acme, "record", "add", "example.com", "x._acme-challenge", "TXT", "challenge-2");
    assertEquals(0, below.exit, below.out + below.err);
    assertEquals(List.of("\"challenge-1\""), records("_acme-challenge.example.com.", Type.TXT));
    assertEquals(List.of("\"challenge-2\""), records("x._acme-challenge.example.com.", Type.TXT));
    assertTrue(serial("example.com") > before);
    Run delete = namuctl(acme, "record", "delete", "example.com", "_acme-challenge", "TXT");
    assertEquals(0, delete.exit, delete.out + delete.err);
    assertEquals(List.of(), records("_acme-challenge.example.com.", Type.TXT));
    // the journal names the token that made the edit
    String journal = call(adminToken(), "GET", "zones/example.com/journal", null).body();
    assertTrue(journal.contains("\"token acme\""), journal);
    // a zone-wide token edits any name and type of its zone
    Run any = namuctl(lab, "record", "add", "example.com", "mail", "A", "192.0.2.25");
    assertEquals(0, any.exit, any.out + any.err);
    assertEquals(List.of("192.0.2.25"), records("mail.example.com.", Type.A));
  }

  private String adminToken() throws Exception {
    return Files.readString(data.resolve(ApiToken.FILE_NAME)).trim();
  }

  @Test
  void anotherZoneIsRefused() throws Exception {
    assertRefusedByNamuctl(acme, "record", "add", "other.com", "_acme-challenge", "TXT", "x");
    assertRefusedByNamuctl(lab, "record", "add", "other.com", "mail", "A", "192.0.2.25");
    assertEquals(List.of(), records("_acme-challenge.other.com.", Type.TXT));
    // reading another zone is refused too, and the zone list shows only the token's zones
    assertForbidden(acme, "GET", "zones/other.com/records", null);
    String list = namuctl(acme, "zone", "list").out;
    assertTrue(list.contains("example.com.") && !list.contains("other.com."), list);
  }

  @Test
  void anotherNameIsRefused() throws Exception {
    assertRefusedByNamuctl(acme, "record", "add", "example.com", "www", "TXT", "x");
    assertRefusedByNamuctl(acme, "record", "delete", "example.com", "www", "TXT", "keep");
    assertRefusedByNamuctl(acme, "record", "add", "example.com", "_acme-challenge.www", "TXT", "x");
    assertEquals(List.of("\"keep\""), records("www.example.com.", Type.TXT));
  }

  @Test
  void anotherTypeIsRefused() throws Exception {
    assertRefusedByNamuctl(acme, "record", "add", "example.com", "_acme-challenge", "A", "192.0.2.9");
    // every RRset at the name: that would take types the token may not touch
    assertRefusedByNamuctl(acme, "record", "delete", "example.com", "_acme-challenge");
    assertEquals(List.of(), records("_acme-challenge.example.com.", Type.A));
  }

  /** The 403's JSON error names the part of the scope the edit falls outside, for scripts. */
  @Test
  void theRefusalSaysWhichPartOfTheScopeTheEditFallsOutside() throws Exception {
    assertEquals("zone", outside(acme, "zones/other.com/records",
        "{\"name\": \"_acme-challenge\", \"type\": \"TXT\", \"data\": \"x\"}"));
    assertEquals("name", outside(acme, "zones/example.com/records",
        "{\"name\": \"www\", \"type\": \"TXT\", \"data\": \"x\"}"));
    assertEquals("type", outside(acme, "zones/example.com/records",
        "{\"name\": \"_acme-challenge\", \"type\": \"A\", \"data\": \"192.0.2.9\"}"));
  }

  /**
   * An address added with a token of its forward zone alone: its PTR would go in a reverse zone
   * the token may not change, so the edit is refused whole, with a message that says it is the PTR
   * (a zone the caller never named) and how to leave it out.
   */
  @Test
  void aPointerInAReverseZoneOutsideTheScopeIsRefusedWithItsReason() throws Exception {
    admin("zone", "create", "2.0.192.in-addr.arpa", "--ns", "ns.example.com.");
    long reverse = serial("2.0.192.in-addr.arpa");
    HttpResponse<String> r = call(lab, "POST", "zones/example.com/records",
        "{\"name\": \"pc\", \"type\": \"A\", \"data\": \"192.0.2.25\"}");
    assertEquals(403, r.statusCode(), r.body());
    JsonNode error = json.readTree(r.body());
    assertEquals("zone", error.path("outside").asText(), r.body());
    String message = error.path("message").asText();
    assertTrue(message.startsWith("the PTR 25.2.0.192.in-addr.arpa. for pc.example.com. ")
        && message.contains("zone 2.0.192.in-addr.arpa., outside the scope's zones")
        && message.contains("--no-ptr, to leave the PTR alone"), message);
    assertEquals(List.of(), records("pc.example.com.", Type.A));
    assertEquals(reverse, serial("2.0.192.in-addr.arpa"));
    // namuctl prints the same one line; with --no-ptr the address alone is added
    Run run = namuctl(lab, "record", "add", "example.com", "pc", "A", "192.0.2.25");
    assertEquals(1, run.exit, run.out + run.err);
    assertEquals("namuctl: " + message, run.err.strip());
    Run alone = namuctl(lab, "record", "add", "example.com", "pc", "A", "192.0.2.25", "--no-ptr");
    assertEquals(0, alone.exit, alone.out + alone.err);
    assertEquals(List.of("192.0.2.25"), records("pc.example.com.", Type.A));
    assertEquals(reverse, serial("2.0.192.in-addr.arpa"));
  }

  private String outside(String token, String path, String body) throws Exception {
    HttpResponse<String> r = call(token, "POST", path, body);
    assertEquals(403, r.statusCode(), r.body());
    return json.readTree(r.body()).path("outside").asText();
  }

  @Test
  void oneChangeOutsideRefusesTheWholeBatch() throws Exception {
    assertForbidden(acme, "POST", "zones/example.com/batch", "{\"changes\": ["
        + "{\"op\": \"add\", \"name\": \"_acme-challenge\", \"type\": \"TXT\", \"data\": \"in\"},"
        + "{\"op\": \"add\", \"name\": \"www\", \"type\": \"TXT\", \"data\": \"out\"}]}");
    assertEquals(List.of(), records("_acme-challenge.example.com.", Type.TXT));
    assertForbidden(acme, "PUT", "zones/example.com/records",
        "{\"name\": \"www\", \"type\": \"A\", \"data\": [\"192.0.2.99\"]}");
    assertEquals(List.of("192.0.2.80"), records("www.example.com.", Type.A));
  }

  @Test
  void wholeZoneOperationsNeedAWholeZoneScope() throws Exception {
    assertRefusedByNamuctl(acme, "zone", "delete", "example.com");
    assertRefusedByNamuctl(lab, "zone", "delete", "other.com");
    assertRefusedByNamuctl(acme, "zone", "create", "new.example.com");
    assertForbidden(acme, "PUT", "zones/example.com/text", "$TTL 60\n@ SOA ns.example.com. h.example.com. 9 1 1 1 1\n"
        + "@ NS ns.example.com.\n");
    assertEquals(List.of("192.0.2.80"), records("www.example.com.", Type.A));
    assertEquals(0, namuctl(acme, "zone", "list", "--json").exit);
  }

  @Test
  void onlyTheAdminTokenManagesKeysTokensAndTheServer() throws Exception {
    assertRefusedByNamuctl(lab, "key", "add", "evil");
    assertRefusedByNamuctl(lab, "key", "list");
    assertRefusedByNamuctl(lab, "token", "add", "evil");
    assertRefusedByNamuctl(lab, "token", "list");
    assertRefusedByNamuctl(lab, "token", "delete", "acme");
    assertRefusedByNamuctl(lab, "server", "reload");
    assertForbidden(lab, "POST", "keys", "{\"name\": \"evil\"}");
    assertFalse(admin("key", "list").contains("evil"));
    String tokens = admin("token", "list");
    assertTrue(tokens.contains("acme") && tokens.contains("lab") && !tokens.contains("evil"), tokens);
    assertTrue(tokens.contains("zones example.com., name _acme-challenge and below, types TXT"), tokens);
    assertFalse(tokens.contains(acme), "the token itself is never shown again: " + tokens);
  }

  @Test
  void aDeletedTokenIsRefused() throws Exception {
    assertEquals(200, call(acme, "GET", "zones/example.com/records", null).statusCode());
    admin("token", "delete", "acme");
    HttpResponse<String> r = call(acme, "GET", "zones/example.com/records", null);
    assertEquals(401, r.statusCode(), r.body());
    // a name taken stays taken until deleted
    assertEquals(1, namuctl(null, "token", "add", "lab").exit);
  }
}
