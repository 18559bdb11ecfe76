package dev.namu.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Several API writers and many DNS readers at once: each edit replaces an RRset of two A records
 * whose last octets match (10.0.0.N and 10.0.1.N); a query that ever saw one old and one new record,
 * or one record alone, would have seen half an edit.
 */
class ConcurrentEditsOverDnsTest {

  @TempDir Path dir;

  @Test
  void noQuerySeesAHalfAppliedEdit() throws Exception {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    try (NamudServer server = NamudServer.start("--listen", "127.0.0.1:0", "--zones", zones.toString(),
        "--data", dir.resolve("data").toString(), "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion",
        // readers ask the same names thousands of times a second from loopback: not a flood to limit
        "--rrl-rate", "0")) {
      InetSocketAddress dns = server.boundAddresses().get(0);
      String api = "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/";
      String token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
      HttpClient http = HttpClient.newHttpClient();
      post(http, api, token, "POST", "zones", "{\"name\":\"race.test\"}");
      final int writers = 3;
      final int editsPerWriter = 40;
      for (int w = 0; w < writers; w++) {
        put(http, api, token, w, 0);
      }
      ExecutorService pool = Executors.newFixedThreadPool(writers + 4);
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong answers = new AtomicLong();
      ConcurrentLinkedQueue<String> halfSeen = new ConcurrentLinkedQueue<>();
      List<Future<?>> writerTasks = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        final int writer = w;
        writerTasks.add(pool.submit(() -> {
          for (int i = 1; i <= editsPerWriter; i++) {
            put(http, api, token, writer, i);
          }
          return null;
        }));
      }
      List<Future<?>> readers = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        final int reader = k;
        readers.add(pool.submit(() -> {
          while (writing.get()) {
            String name = "w" + (reader % writers) + ".race.test.";
            Message m = DnsWire.udp(dns, DnsWire.query(name, Type.A));
            assertEquals(Rcode.NOERROR, m.getRcode());
            List<String> last = new ArrayList<>();
            for (Record r : m.getSection(Section.ANSWER)) {
              String[] octets = r.rdataToString().split("\\.");
              last.add(octets[2] + ":" + octets[3]);
            }
            if (last.size() != 2 || !last.get(0).split(":")[1].equals(last.get(1).split(":")[1])) {
              halfSeen.add(name + " " + last);
            }
            answers.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : writerTasks) {
        f.get(120, TimeUnit.SECONDS);
      }
      writing.set(false);
      for (Future<?> f : readers) {
        f.get(30, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertTrue(halfSeen.isEmpty(), "queries saw half an edit: " + halfSeen.stream().limit(5).toList());
      assertTrue(answers.get() > 100, "readers ran too little: " + answers.get());
      Message last = DnsWire.udp(dns, DnsWire.query("w0.race.test.", Type.A));
      assertTrue(last.sectionToString(Section.ANSWER).contains("10.0.1." + editsPerWriter), last.toString());
    }
  }

  private static void put(HttpClient http, String api, String token, int writer, int i) throws Exception {
    String body = "{\"name\":\"w" + writer + "\",\"type\":\"A\",\"ttl\":60,\"data\":[\"10.0.0." + i + "\",\"10.0.1." + i
        + "\"]}";
    HttpResponse<String> r = post(http, api, token, "PUT", "zones/race.test/records", body);
    assertEquals(200, r.statusCode(), r.body());
  }

  private static HttpResponse<String> post(HttpClient http, String api, String token, String method, String path,
      String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token)
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
