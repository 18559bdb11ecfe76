package dev.namu.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The disk under the zone store fills and is freed again while namud runs: edits are refused with
 * the reason in words while it is full, and work again once there is room, without a restart. The
 * "disk" is {@link FullDiskFileSystem}, through the admin API over HTTP.
 */
class DiskFullTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void freeTheDisk() {
    FullDiskFileSystem.FULL.set(false);
  }

  private HttpResponse<String> post(InetSocketAddress api, String token, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.getPort() + "/api/v1/" + path))
        .header("Authorization", "Bearer " + token)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void editsFailWithTheReasonWhileTheDiskIsFullAndWorkAgainOnceItIsNot() throws Exception {
    FullDiskFileSystem.register();
    Path data = dir.resolve("data");
    String url = "jdbc:h2:fulldisk:" + data.resolve("namu").toAbsolutePath() + ";WRITE_DELAY=0";
    try (NamudServer namud = NamudServer.start("--listen", "127.0.0.1:0", "--api", "127.0.0.1:0", "--no-metrics",
        "--no-recursion", "--data", data.toString(), "--store-url", url)) {
      InetSocketAddress api = namud.admin().apiAddress().orElseThrow();
      InetSocketAddress dns = namud.boundAddresses().get(0);
      String token = Files.readString(data.resolve("api-token")).trim();
      assertEquals(201, post(api, token, "zones", "{\"name\":\"full.test\"}").statusCode());

      FullDiskFileSystem.FULL.set(true);
      HttpResponse<String> full = post(api, token, "zones/full.test/records",
          "{\"name\":\"a\",\"type\":\"A\",\"data\":\"192.0.2.1\"}");
      assertEquals(503, full.statusCode(), full.body());
      assertTrue(full.body().contains("no space left on device"), full.body());
      assertFalse(full.body().contains("org.h2") || full.body().contains("MVStore") || full.body().contains("[9"),
          "no database internals: " + full.body());
      assertEquals(Rcode.NXDOMAIN, DnsWire.udp(dns, DnsWire.query("a.full.test.", Type.A)).getRcode(),
          "a refused edit is not served");
      // still full: still refused, with the same words
      HttpResponse<String> again = post(api, token, "zones/full.test/records",
          "{\"name\":\"b\",\"type\":\"A\",\"data\":\"192.0.2.2\"}");
      assertEquals(503, again.statusCode(), again.body());
      assertTrue(again.body().contains("no space left on device"), again.body());

      FullDiskFileSystem.FULL.set(false);
      HttpResponse<String> freed = post(api, token, "zones/full.test/records",
          "{\"name\":\"c\",\"type\":\"A\",\"data\":\"192.0.2.3\"}");
      assertEquals(200, freed.statusCode(), freed.body());
      assertEquals(Rcode.NOERROR, DnsWire.udp(dns, DnsWire.query("c.full.test.", Type.A)).getRcode());
    }
  }
}
