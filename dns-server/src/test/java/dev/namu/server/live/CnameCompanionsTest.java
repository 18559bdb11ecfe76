package dev.namu.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Which types may share a name with a CNAME (RFC 4035 2.5: RRSIG, NSEC and KEY; nothing else, NSEC3
 * included) is judged the same by each way data reaches a zone: a zone file namud loads, an edit
 * through the admin API, and a signed RFC 2136 UPDATE over TCP.
 */
class CnameCompanionsTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

  /** Each companion type with RDATA that parses; the RRSIG's signer is filled in per zone. */
  private static final Map<String, String> COMPANIONS = new LinkedHashMap<>();

  static {
    String sig = Base64.getEncoder().encodeToString(new byte[64]);
    COMPANIONS.put("NSEC", "zz.%s. CNAME RRSIG NSEC");
    COMPANIONS.put("RRSIG", "CNAME 13 3 3600 20300101000000 20200101000000 12345 %s. " + sig);
    COMPANIONS.put("NSEC3", "1 0 0 - 2VPTU5TIMAMQTTGL4LUU9KG21E0AOR3S CNAME");
    COMPANIONS.put("KEY", "256 3 13 " + sig);
  }

  /** RFC 4035 2.5 allows these beside a CNAME; NSEC3 is refused everywhere. */
  private static final Map<String, Boolean> EXPECTED =
      Map.of("NSEC", true, "RRSIG", true, "NSEC3", false, "KEY", true);

  @TempDir Path dir;

  @Test
  void fileApiAndUpdateAgreeOnTheTypesBesideACname() throws Exception {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    for (Map.Entry<String, String> c : COMPANIONS.entrySet()) {
      String zone = "file-" + c.getKey().toLowerCase(Locale.ROOT) + ".test";
      Files.writeString(zones.resolve(zone + ".zone"), String.join("\n",
          "$TTL 3600",
          "@     SOA   ns hostmaster 1 3600 600 86400 300",
          "@     NS    ns",
          "ns    A     192.0.2.1",
          "alias CNAME ns",
          "alias " + c.getKey() + " " + c.getValue().formatted(zone),
          ""));
    }
    try (NamudServer server = NamudServer.start("--listen", "127.0.0.1:0", "--zones", zones.toString(),
        "--data", dir.resolve("data").toString(), "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion")) {
      InetSocketAddress dns = server.boundAddresses().get(0);
      Api api = new Api("http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/",
          Files.readString(dir.resolve("data").resolve("api-token")).trim());
      api.send("POST", "keys", "{\"name\":\"acme\",\"algorithm\":\"hmac-sha256\",\"secret\":\"" + SECRET + "\"}", true);
      TSIG key = new TSIG(TSIG.HMAC_SHA256, Name.fromString("acme."), Base64.getDecoder().decode(SECRET));

      Map<String, Boolean> byFile = new LinkedHashMap<>();
      Map<String, Boolean> byApi = new LinkedHashMap<>();
      Map<String, Boolean> byUpdate = new LinkedHashMap<>();
      for (Map.Entry<String, String> c : COMPANIONS.entrySet()) {
        String type = c.getKey();
        String label = type.toLowerCase(Locale.ROOT);

        // A zone file: served when namud judged it good, else not served (REFUSED here, no recursion).
        Message soa = tcp(dns, DnsWire.query("file-" + label + ".test.", Type.SOA));
        byFile.put(type, soa.getRcode() == Rcode.NOERROR && soa.getHeader().getFlag(Flags.AA));

        // An API edit: the companion added beside the CNAME is applied (200) or refused (4xx).
        String apiZone = "api-" + label + ".test";
        api.createWithCname(apiZone);
        int status = api.send("POST", "zones/" + apiZone + "/records", record(type, c.getValue().formatted(apiZone)),
            false);
        byApi.put(type, status / 100 == 2 && api.has(apiZone, type));

        // A signed UPDATE: RFC 2136 3.4.2.2 ignores an add that conflicts with a CNAME; either way the
        // verdict is whether the record is in the zone afterwards.
        String updZone = "upd-" + label + ".test";
        api.createWithCname(updZone);
        Update update = new Update(Name.fromString(updZone + "."));
        update.add(Name.fromString("alias." + updZone + "."), Type.value(type), 3600,
            c.getValue().formatted(updZone));
        key.apply(update, null);
        Message reply = tcp(dns, update);
        assertTrue(reply.getRcode() != Rcode.NOTAUTH && reply.getTSIG() != null
            && reply.getTSIG().getError() == Rcode.NOERROR, "UPDATE of " + updZone + " not taken as signed: " + reply);
        byUpdate.put(type, api.has(updZone, type));
      }
      assertEquals(EXPECTED, Map.copyOf(byFile), "zone files");
      assertEquals(EXPECTED, Map.copyOf(byApi), "API edits");
      assertEquals(EXPECTED, Map.copyOf(byUpdate), "RFC 2136 UPDATE");
    }
  }

  private static String record(String type, String data) {
    return "{\"name\":\"alias\",\"type\":\"" + type + "\",\"ttl\":3600,\"data\":\"" + data + "\"}";
  }

  /** One DNS message over TCP, with a timeout generous enough for a loaded machine. */
  private static Message tcp(InetSocketAddress server, Message query) throws Exception {
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout((int) WAIT.toMillis());
      byte[] wire = query.toWire(65535);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(wire.length);
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] reply = new byte[in.readUnsignedShort()];
      in.readFully(reply);
      return new Message(reply);
    }
  }

  private record Api(String base, String token) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A stored zone with {@code alias CNAME ns}. */
    void createWithCname(String zone) throws Exception {
      send("POST", "zones", "{\"name\":\"" + zone + "\"}", true);
      send("POST", "zones/" + zone + "/records", "{\"name\":\"alias\",\"type\":\"CNAME\",\"data\":\"ns\"}", true);
    }

    boolean has(String zone, String type) throws Exception {
      HttpResponse<String> r = request("GET", "zones/" + zone + "/records?name=alias&type="
          + URLEncoder.encode(type, StandardCharsets.UTF_8), null);
      assertEquals(200, r.statusCode(), r.body());
      JsonNode body = JSON.readTree(r.body());
      JsonNode records = body.isArray() ? body : body.path("records");
      return records.size() > 0;
    }

    /** Sends a request and returns its status, which must be a success when {@code mustSucceed}. */
    int send(String method, String path, String body, boolean mustSucceed) throws Exception {
      HttpResponse<String> r = request(method, path, body);
      if (mustSucceed) {
        assertEquals(2, r.statusCode() / 100, method + " " + path + ": " + r.statusCode() + " " + r.body());
      }
      return r.statusCode();
    }

    private HttpResponse<String> request(String method, String path, String body) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT)
          .header("Authorization", "Bearer " + token);
      b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
