package dev.namu.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.peers.ToolRun;
import dev.namu.zones.model.ZoneSnapshot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * AXFR and IXFR out as a user meets them: real dig (and nsupdate) processes against namud with a
 * stored zone of a few thousand records (several messages per transfer, each TSIG-signed, which dig
 * verifies), allowed to one TSIG key only. Skipped when dig is not installed.
 */
class ZoneTransferToolsTest {
  private static final String ZONE = "xfr.test.";
  private static final String KEY = "xfr-key.";
  private static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXh4eA==";
  private static final int HOSTS = 3000;

  @TempDir static Path dir;
  private static NamudServer server;
  private static String api;
  private static String token;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = NamudServer.start("--listen", "127.0.0.1:0", "--data", dir.resolve("data").toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion", "--rrl-rate", "0");
    api = "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/";
    token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
    StringBuilder text = new StringBuilder("$ORIGIN " + ZONE + "\n@ 3600 IN SOA ns1 hostmaster 100 3600 600 86400 300\n"
        + "@ 3600 IN NS ns1\nns1 3600 IN A 192.0.2.53\n");
    for (int i = 0; i < HOSTS; i++) {
      text.append("h").append(i).append(" 3600 IN A 10.0.").append(i / 256).append('.').append(i % 256).append('\n');
    }
    call("PUT", "zones/" + ZONE + "/text", text.toString(), 200);
    call("POST", "keys", "{\"name\":\"" + KEY + "\",\"secret\":\"" + SECRET + "\"}", 201);
    call("PUT", "zones/" + ZONE + "/transfer", "{\"allowTransfer\":[\"" + KEY + "\"]}", 200);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void axfrIsRefusedWithoutTheKeyAndTheWholeZoneWithIt() throws Exception {
    ToolRun refused = dig("axfr");
    assertTrue(refused.out().contains("Transfer failed"), refused.out());
    ToolRun signed = dig("axfr", "-y", "hmac-sha256:" + KEY + ":" + SECRET);
    Matcher size = Pattern.compile("XFR size: (\\d+) records \\(messages (\\d+)").matcher(signed.out());
    assertTrue(size.find(), signed.out());
    assertTrue(Integer.parseInt(size.group(2)) > 1, "several messages, each signed and verified by dig\n" + size.group());
    List<Record> records = records(signed.out());
    ZoneSnapshot zone = served();
    assertEquals(Type.SOA, records.get(0).getType());
    assertEquals(Type.SOA, records.get(records.size() - 1).getType());
    assertEquals(zone.records().size() + 1, records.size(), "every record once, the SOA twice");
    assertEquals(new HashSet<>(zone.records()), new HashSet<>(records));
    assertTrue(server.transfers().transfers(TransferCounters.Kind.REFUSED) >= 1);
  }

  @Test
  void ixfrGivesTheChangesSinceTheSerialAskedTheZoneWhenTooOldAndTheSoaWhenCurrent() throws Exception {
    long before = served().serial();
    call("POST", "zones/" + ZONE + "/records", "{\"name\":\"new1\",\"type\":\"A\",\"data\":\"192.0.2.7\"}", 200);
    call("DELETE", "zones/" + ZONE + "/records?name=h5&type=A", null, 200);
    call("POST", "zones/" + ZONE + "/records", "{\"name\":\"new2\",\"type\":\"TXT\",\"data\":\"hello\"}", 200);
    call("DELETE", "zones/" + ZONE + "/records?name=new1&type=A", null, 200);
    ZoneSnapshot zone = served();

    ToolRun refused = dig("ixfr=" + before);
    assertTrue(refused.out().contains("Transfer failed"), refused.out());

    List<Record> diff = records(dig("ixfr=" + before, "-y", "hmac-sha256:" + KEY + ":" + SECRET).out());
    // RFC 1995 4, condensed: new1 was added then removed, so it is in neither list
    List<String> shape = new ArrayList<>();
    for (Record r : diff) {
      shape.add(r.getType() == Type.SOA ? "SOA " + ((org.xbill.DNS.SOARecord) r).getSerial()
          : r.getName().toString() + " " + Type.string(r.getType()));
    }
    long now = zone.serial();
    assertEquals(List.of("SOA " + now, "SOA " + before, "h5." + ZONE + " A", "SOA " + now, "new2." + ZONE + " TXT",
        "SOA " + now), shape);

    List<Record> whole = records(dig("ixfr=1", "-y", "hmac-sha256:" + KEY + ":" + SECRET).out());
    assertEquals(new HashSet<>(zone.records()), new HashSet<>(whole), "a serial the journal does not reach: the zone");

    List<Record> current = records(dig("ixfr=" + now, "-y", "hmac-sha256:" + KEY + ":" + SECRET).out());
    assertEquals(List.of("SOA " + now), current.stream().map(r -> Type.string(r.getType()) + " "
        + ((org.xbill.DNS.SOARecord) r).getSerial()).toList(), "a current client gets the SOA alone");
  }

  @Test
  void theKeyThatUpdatesTheZoneListsItsRecordsByAxfr() throws Exception {
    // external-dns (RFC 2136 provider) adds records with its key, then lists them by AXFR with it
    var nsupdate = ToolLocator.find("nsupdate");
    assumeTrue(nsupdate.isPresent(), ToolLocator.missing("nsupdate", "bind9-dnsutils"));
    int port = server.boundAddresses().get(0).getPort();
    String script = "server 127.0.0.1 " + port + "\nzone " + ZONE + "\nupdate add owned." + ZONE
        + " 300 TXT \"heritage=external-dns\"\nsend\n";
    ToolRun update = ToolRun.of(List.of(nsupdate.get().toString(), "-y", "hmac-sha256:" + KEY + ":" + SECRET), script);
    assertEquals(0, update.exit(), update.out());
    ToolRun listed = dig("axfr", "-y", "hmac-sha256:" + KEY + ":" + SECRET);
    assertTrue(records(listed.out()).stream().anyMatch(r -> r.getName().toString().equals("owned." + ZONE)
        && r.getType() == Type.TXT), listed.out());
  }

  private static ZoneSnapshot served() {
    return server.zones().current().zone(Name.fromConstantString(ZONE));
  }

  /** The records of dig's output, in order, its TSIG records left out. */
  private static List<Record> records(String out) throws IOException {
    List<Record> records = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.isBlank() || line.startsWith(";") || line.contains("\tTSIG\t")) {
        continue;
      }
      String[] f = line.trim().split("\\s+", 5);
      records.add(Record.fromString(Name.fromString(f[0]), Type.value(f[3]), org.xbill.DNS.DClass.value(f[2]),
          Long.parseLong(f[1]), f[4], Name.root));
    }
    return records;
  }

  private static ToolRun dig(String... args) throws Exception {
    var dig = ToolLocator.find("dig");
    assumeTrue(dig.isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
    List<String> cmd = new ArrayList<>(List.of(dig.get().toString(), "@127.0.0.1", "-p",
        Integer.toString(server.boundAddresses().get(0).getPort()), "+tries=1", "+time=10", ZONE));
    cmd.addAll(List.of(args));
    return ToolRun.of(cmd, null);
  }

  private static void call(String method, String path, String body, int status) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
  }

}
