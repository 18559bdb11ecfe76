package dev.namu.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.jdbc.JdbcStoreConfig;
import dev.namu.zones.store.jdbc.JdbcZoneStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The admin API's transport under clients that are slow, silent, greedy or wrong: each costs only
 * its own connection, gets a clear 4xx with the JSON error body, and the server answers everyone
 * else throughout. Real sockets on loopback.
 */
class AdminApiLimitsTest {

  /** Read timeout of the test's own sockets: far above any deadline the tests set, so never hit. */
  static final int SOCKET_TIMEOUT_MS = 30_000;

  @TempDir Path data;
  ZoneStore store;
  ZoneRegistry registry;
  ZoneEditor editor;
  ApiToken apiToken;
  String token;
  AdminApi api;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final ObjectMapper json = new ObjectMapper();
  final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void open() throws Exception {
    store = JdbcZoneStore.open(JdbcStoreConfig.h2(data));
    registry = new ZoneRegistry();
    editor = ZoneEditor.open(store, registry);
    apiToken = ApiToken.loadOrCreate(data);
    token = Files.readString(data.resolve(ApiToken.FILE_NAME)).trim();
    log.start();
    root().addAppender(log);
  }

  @AfterEach
  void close() {
    root().detachAppender(log);
    if (api != null) {
      api.close();
    }
    store.close();
  }

  static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  void start(ApiLimits limits) throws IOException {
    api = TestApi.start(apiToken, editor, store, registry, new TestApi.FixedControl(Instant.now(), 0), limits);
  }

  static ApiLimits withTimeout(Duration timeout) {
    ApiLimits d = ApiLimits.defaults();
    return new ApiLimits(d.maxBodyBytes(), d.maxConnections(), timeout, d.workers(), d.queuedRequests());
  }

  HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort() + "/api/v1/" + path))
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  RawHttp raw() throws IOException {
    return new RawHttp(api.address(), SOCKET_TIMEOUT_MS);
  }

  String head(String method, String path, String... headers) {
    StringBuilder b = new StringBuilder(method + " /api/v1/" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: Bearer " + token + "\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  /** The answer is a JSON error with this status and code (the body every refusal has). */
  JsonNode assertError(RawHttp.Answer a, int status, String code) throws IOException {
    assertEquals(status, a.status(), a.toString());
    assertTrue(a.headers().get("content-type").startsWith("application/json"), a.toString());
    JsonNode body = json.readTree(a.body());
    assertEquals(code, body.get("error").asText(), a.toString());
    assertTrue(body.get("message").asText().length() > 10, a.toString());
    return body;
  }

  void assertStillAnswers() throws Exception {
    HttpResponse<String> status = call("GET", "status", null);
    assertEquals(200, status.statusCode(), status.body());
  }

  /** Nothing the clients did made the server log a stack trace or an error. */
  void assertNoStackTraceLogged() {
    List<ILoggingEvent> bad = log.list.stream()
        .filter(e -> e.getThrowableProxy() != null || e.getLevel().levelInt >= ch.qos.logback.classic.Level.ERROR_INT)
        .toList();
    assertEquals(List.of(), bad.stream().map(ILoggingEvent::getFormattedMessage).toList());
  }

  @Test
  void trickledConnectionsDoNotDelayOtherRequests() throws Exception {
    start(ApiLimits.defaults());
    for (int i = 0; i < 5; i++) {
      assertStillAnswers(); // warm the JIT and the client's connection before measuring
    }
    byte[] request = head("GET", "status").getBytes(StandardCharsets.US_ASCII);
    List<RawHttp> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        slow.add(raw());
      }
      long[] ms = new long[8];
      for (int second = 0; second < ms.length; second++) {
        // every slow client sends its next byte of a request head; none ever completes one
        for (RawHttp s : slow) {
          s.socket.getOutputStream().write(request[second]);
        }
        long t0 = System.nanoTime();
        assertStillAnswers();
        ms[second] = (System.nanoTime() - t0) / 1_000_000;
        Thread.sleep(1000 - Math.min(ms[second], 1000)); // the trickle's pace, not synchronisation
      }
      long[] sorted = ms.clone();
      Arrays.sort(sorted);
      System.out.println("MEASURE admin API status with 200 trickling connections: median "
          + sorted[sorted.length / 2] + " ms, max " + sorted[sorted.length - 1] + " ms " + Arrays.toString(ms));
      // 100 ms on a quiet machine; the bound leaves room for a loaded 2-core CI box (a GC pause, a
      // busy core), and is still far below the 120 s a single silent client used to cost.
      assertTrue(sorted[sorted.length - 1] < 10_000, "answers took " + Arrays.toString(ms) + " ms");
      for (RawHttp s : slow) {
        assertTrue(s.socket.isConnected() && s.socket.getInputStream().available() == 0,
            "a slow client still within its deadline keeps its connection");
      }
    } finally {
      for (RawHttp s : slow) {
        s.close();
      }
    }
    assertNoStackTraceLogged();
  }

  @Test
  void silentOrTricklingClientLosesItsConnectionAtTheDeadline() throws Exception {
    // long enough that the test's own writes, just after connecting, always come before it
    start(withTimeout(Duration.ofSeconds(3)));
    try (RawHttp silent = raw(); RawHttp started = raw(); RawHttp lying = raw(); RawHttp kept = raw()) {
      started.send("G");
      lying.send(head("POST", "zones", "Content-Length: 100") + "{\"name\":");
      kept.send(head("GET", "status"));
      assertEquals(200, kept.read().status());
      assertTrue(silent.ended(), "a connection that never sends is closed, without an answer");
      assertError(started.read(), 408, "request_timeout");
      assertTrue(started.ended());
      assertError(lying.read(), 408, "request_timeout");
      assertTrue(kept.ended(), "an idle kept-alive connection is closed, without an answer it did not ask for");
    }
    assertStillAnswers();
    assertNoStackTraceLogged();
  }

  @Test
  void oversizedBodyGets413WithoutBeingReadAndServerAnswersAfter() throws Exception {
    start(ApiLimits.defaults());
    long size = 76L << 20;
    try (RawHttp big = raw()) {
      big.send(head("PUT", "zones/big.test/text", "Content-Length: " + size));
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> stream(big.socket, size));
      JsonNode error = assertError(big.read(), 413, "too_large");
      assertTrue(error.get("message").asText().contains("32m"), error.toString());
      assertTrue(big.ended());
      writer.get(60, TimeUnit.SECONDS);
    }
    try (RawHttp chunked = raw()) {
      chunked.send(head("PUT", "zones/big.test/text", "Transfer-Encoding: chunked"));
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> streamChunked(chunked.socket, 40L << 20));
      assertError(chunked.read(), 413, "too_large");
      writer.get(60, TimeUnit.SECONDS);
    }
    assertEquals(null, registry.current().zone(Name.fromString("big.test.")));
    assertStillAnswers();
    assertNoStackTraceLogged();
  }

  /** Writes {@code size} bytes of a body until done or the server ends the connection. */
  static void stream(java.net.Socket socket, long size) {
    byte[] block = new byte[64 * 1024];
    Arrays.fill(block, (byte) 'a');
    try {
      OutputStream out = socket.getOutputStream();
      for (long sent = 0; sent < size; sent += block.length) {
        out.write(block, 0, (int) Math.min(block.length, size - sent));
      }
    } catch (IOException ended) {
      // the server refused the rest, as it should
    }
  }

  static void streamChunked(java.net.Socket socket, long size) {
    byte[] block = new byte[64 * 1024];
    Arrays.fill(block, (byte) 'a');
    byte[] chunkHead = (Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    try {
      OutputStream out = socket.getOutputStream();
      for (long sent = 0; sent < size; sent += block.length) {
        out.write(chunkHead);
        out.write(block);
        out.write('\r');
        out.write('\n');
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException ended) {
      // the server refused the rest, as it should
    }
  }

  @Test
  void malformedRequestsGetClear4xxAndNothingBreaks() throws Exception {
    start(ApiLimits.defaults());
    try (RawHttp c = raw()) {
      assertError(c.send("THIS IS NOT HTTP\r\n\r\n").read(), 400, "bad_request");
      assertTrue(c.ended());
    }
    try (RawHttp c = raw()) {
      assertError(c.send("GET /api/v1/" + "a".repeat(20_000) + " HTTP/1.1\r\n\r\n").read(), 414, "uri_too_long");
    }
    try (RawHttp c = raw()) {
      assertError(c.send(head("GET", "status", "X-Big: " + "b".repeat(40_000))).read(), 431, "headers_too_large");
    }
    try (RawHttp c = raw()) {
      assertError(c.send(head("POST", "zones", "Content-Length: lots")).read(), 400, "bad_request");
    }
    try (RawHttp c = raw()) {
      assertError(c.send(head("POST", "zones", "Transfer-Encoding: chunked") + "zz\r\n{}\r\n0\r\n\r\n").read(),
          400, "bad_request");
    }
    try (RawHttp c = raw()) {
      // both framings: refused, and the connection ends (RFC 9112 6.1), whatever the body says
      assertError(c.send(head("POST", "zones", "Transfer-Encoding: chunked\r\nContent-Length: 5")
          + "11\r\n{\"name\":\"b.test\"}\r\n0\r\n\r\n").read(), 400, "bad_request");
      assertTrue(c.ended());
    }
    try (RawHttp c = raw()) {
      assertError(c.send(head("GET", "status").replace("Bearer " + token, "Bearer wrong")).read(), 401,
          "unauthorized");
    }
    try (RawHttp c = raw()) {
      RawHttp.Answer none = c.send("POST /api/v1/zones HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}").read();
      assertError(none, 401, "unauthorized");
      assertEquals("Bearer realm=\"namud\"", none.headers().get("www-authenticate"));
    }
    try (RawHttp c = raw()) {
      // a Content-Length shorter than the body: the rest reads as a next request, which is no HTTP
      c.send(head("POST", "zones", "Content-Length: 19") + "{\"name\":\"a.test\"}\r\nrest of the body}\r\n\r\n");
      assertEquals(201, c.read().status());
      assertError(c.read(), 400, "bad_request");
    }
    try (RawHttp c = raw()) {
      assertError(c.send("GET /api/v1/zones/%zz HTTP/1.1\r\nAuthorization: Bearer " + token + "\r\n\r\n").read(),
          400, "bad_request");
    }
    assertEquals(1, registry.current().zones().size(), "only the one good request changed anything");
    assertStillAnswers();
    assertNoStackTraceLogged();
  }

  @Test
  void chunkedBodiesAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
    start(ApiLimits.defaults());
    try (RawHttp c = raw()) {
      String body = "{\"name\":\"chunked.test\"}";
      c.send(head("POST", "zones", "Transfer-Encoding: chunked")
          + "5\r\n" + body.substring(0, 5) + "\r\n" + Integer.toHexString(body.length() - 5) + "\r\n"
          + body.substring(5) + "\r\n0\r\n\r\n");
      assertEquals(201, c.read().status());
      // three requests in one write, the slowest (a batch) first: answers come in the order asked
      String batch = "{\"changes\":[{\"op\":\"add\",\"name\":\"www\",\"type\":\"A\",\"data\":\"192.0.2.1\"}]}";
      c.send(head("POST", "zones/chunked.test/batch", "Content-Length: " + batch.length()) + batch
          + head("GET", "zones/chunked.test/records?name=www") + head("GET", "no-such-thing"));
      RawHttp.Answer first = c.read();
      assertEquals(200, first.status(), first.body());
      RawHttp.Answer second = c.read();
      assertEquals(200, second.status(), second.body());
      assertTrue(second.body().contains("192.0.2.1"), second.body());
      assertError(c.read(), 404, "not_found");
      assertEquals(200, c.send(head("GET", "status")).read().status(), "the connection stays open");
    }
    try (RawHttp c = raw()) {
      // a client that shuts its side after its requests (nc -N) still gets every answer, then the end
      c.send(head("GET", "status") + head("GET", "zones"));
      c.socket.shutdownOutput();
      assertEquals(200, c.read().status());
      assertEquals(200, c.read().status());
      assertTrue(c.ended());
    }
    assertNoStackTraceLogged();
  }

  @Test
  void connectionsOverTheLimitGet503AndTheRestAreServed() throws Exception {
    ApiLimits d = ApiLimits.defaults();
    start(new ApiLimits(d.maxBodyBytes(), 3, d.requestTimeout(), d.workers(), d.queuedRequests()));
    List<RawHttp> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        idle.add(raw());
      }
      try (RawHttp extra = raw()) {
        assertError(extra.send(head("GET", "status")).read(), 503, "too_many_connections");
      }
      assertEquals(200, idle.get(0).send(head("GET", "status")).read().status());
    } finally {
      for (RawHttp s : idle) {
        s.close();
      }
    }
    // the server counts a closed connection once it sees the close; wait for that, bounded
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int status = 0;
    while (status != 200 && System.nanoTime() < until) {
      try (RawHttp again = raw()) {
        status = again.send(head("GET", "status")).read().status();
      }
    }
    assertEquals(200, status);
    assertNoStackTraceLogged();
  }

  @Test
  void batchOverTheRecordCapIsRefusedAndChangesNothing() throws Exception {
    start(ApiLimits.defaults());
    assertEquals(201, call("POST", "zones", "{\"name\":\"bulk.test\"}").statusCode());
    long serial = registry.current().zone(Name.fromString("bulk.test.")).serial();
    int n = AdminOperations.MAX_BATCH_RECORDS + 1;
    StringBuilder b = new StringBuilder("{\"changes\":[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append("{\"op\":\"add\",\"name\":\"h").append(i)
          .append("\",\"type\":\"A\",\"data\":\"10.").append(i >> 16).append('.').append((i >> 8) & 255)
          .append('.').append(i & 255).append("\"}");
    }
    HttpResponse<String> r = call("POST", "zones/bulk.test/batch", b.append("]}").toString());
    assertEquals(413, r.statusCode(), r.body());
    JsonNode error = json.readTree(r.body());
    assertEquals("batch_too_large", error.get("error").asText());
    assertTrue(error.get("message").asText().contains("at most " + AdminOperations.MAX_BATCH_RECORDS), r.body());
    assertTrue(error.get("message").asText().contains("has " + n), r.body());
    assertEquals(serial, registry.current().zone(Name.fromString("bulk.test.")).serial());
  }
}
