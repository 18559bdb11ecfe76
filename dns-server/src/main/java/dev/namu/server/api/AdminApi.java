package dev.namu.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.namu.server.update.TsigKeyring;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.StoreException;
import dev.namu.zones.store.ZoneStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The admin HTTP API (JDK HttpServer: its own thread and a small pool, never a DNS event loop). Every request
 * needs {@code Authorization: Bearer TOKEN}. Bad input is a 4xx with a JSON body
 * {@code {"error": code, "message": text, "problems": [...]}}; a 500 only means a bug.
 *
 * <pre>
 * GET    /api/v1/status                      POST /api/v1/reload
 * GET    /api/v1/zones                       POST /api/v1/zones {name, nameservers?, email?, ttl?, serial?}
 * GET    /api/v1/zones/Z                     DELETE /api/v1/zones/Z
 * GET    /api/v1/zones/Z/records?name=&type=
 * POST   /api/v1/zones/Z/records {name, type, ttl?, data, ptr?}           add one record
 * PUT    /api/v1/zones/Z/records {name, type, ttl?, data: [..], ptr?}     replace an RRset
 * DELETE /api/v1/zones/Z/records?name=&type=&data=&ptr=                  delete a record, RRset or name
 * POST   /api/v1/zones/Z/batch {changes: [{op: add|delete|replace, ...}], ptr?}   one edit
 * GET    /api/v1/zones/Z/text                PUT /api/v1/zones/Z/text (zone file body: import)
 * GET    /api/v1/zones/Z/journal?limit=
 * GET    /api/v1/keys    POST /api/v1/keys {name, algorithm?, secret?}    DELETE /api/v1/keys/NAME
 * POST   /api/v1/cache/flush {name?}
 * </pre>
 */
public final class AdminApi implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminApi.class);
  private static final String PREFIX = "/api/v1/";
  /** Largest request body read: a big zone import; more is refused with 413. */
  static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
  static final int THREADS = 4;

  private final HttpServer http;
  private final ExecutorService executor;
  private final ApiToken token;
  private final AdminOperations ops;
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  /** Requests handed to the pool and not finished yet. */
  private final AtomicInteger pooled = new AtomicInteger();

  private AdminApi(HttpServer http, ExecutorService executor, ApiToken token, AdminOperations ops) {
    this.http = http;
    this.executor = executor;
    this.token = token;
    this.ops = ops;
  }

  /** Binds {@code address} (port 0 for an ephemeral one) and starts serving. */
  public static AdminApi start(InetSocketAddress address, ApiToken token, ZoneEditor editor, ZoneStore store,
      ZoneRegistry registry, TsigKeyring keyring, ServerControl server, Optional<CacheControl> cache, Clock clock)
      throws IOException {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle and the client's
    // delayed ACK hold every reply ~40 ms. The property is read when the server classes load.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer http = HttpServer.create(address, 64);
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "namu-api-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    AdminApi api = new AdminApi(http, executor, token,
        new AdminOperations(editor, store, registry, keyring, server, cache, clock));
    http.createContext("/", api::dispatch);
    // The server's own thread reads each request (the JDK server's default); dispatch() decides
    // whether to answer it there or on the pool.
    http.setExecutor(Runnable::run);
    http.start();
    log.info("admin API listening on http://{}:{}/api/v1/", http.getAddress().getHostString(),
        http.getAddress().getPort());
    return api;
  }

  public InetSocketAddress address() {
    return http.getAddress();
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }

  /**
   * Record edits and lookups, the requests a script sends by the thousand, are answered on the
   * server's thread that read them: handing each to a pool thread costs a thread wake-up per request,
   * which on a busy machine is often longer than the edit. Everything else (zone imports, batches,
   * reloads: requests that can take seconds) goes to the pool, and so does every request that comes
   * while the pool is at work, so a long import never holds up the requests behind it.
   */
  private void dispatch(HttpExchange ex) throws IOException {
    if (pooled.get() == 0 && ex.getRequestURI().getRawPath().endsWith("/records")) {
      handle(ex);
      return;
    }
    pooled.incrementAndGet();
    try {
      executor.execute(() -> {
        try {
          handle(ex);
        } catch (IOException e) {
          log.debug("admin API: {} {}: connection failed: {}", ex.getRequestMethod(), ex.getRequestURI(),
              e.getMessage());
        } finally {
          pooled.decrementAndGet();
        }
      });
    } catch (RejectedExecutionException e) {
      pooled.decrementAndGet();
      ex.close(); // the API is closing
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !token.matches(auth.substring(7).trim())) {
          ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"namud\"");
          throw new ApiException(401, "unauthorized",
              "missing or wrong API token (namuctl reads it from DATA/api-token; or pass --token)");
        }
        route(ex);
      } catch (ApiException e) {
        sendError(ex, e);
      } catch (JsonProcessingException e) {
        sendError(ex, ApiException.badRequest("malformed JSON: " + e.getOriginalMessage()));
      } catch (StoreException e) {
        log.error("admin API: zone store failed: {}", e.getMessage());
        sendError(ex, new ApiException(503, "store_failed", "zone store failed: " + e.getMessage()));
      } catch (RuntimeException e) {
        log.error("admin API: unexpected failure on {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
        sendError(ex, new ApiException(500, "internal", "internal error: " + e));
      }
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    URI uri = ex.getRequestURI();
    String path = uri.getRawPath();
    if (!path.startsWith(PREFIX)) {
      throw ApiException.notFound("no such endpoint " + path + " (the API is under " + PREFIX + ")");
    }
    String[] p = path.substring(PREFIX.length()).split("/", -1);
    for (int i = 0; i < p.length; i++) {
      p[i] = URLDecoder.decode(p[i], StandardCharsets.UTF_8);
    }
    Map<String, String> q = query(uri.getRawQuery());
    switch (p[0]) {
      case "status":
        expect(method, "GET", p.length == 1);
        sendJson(ex, 200, ops.status());
        return;
      case "reload":
        expect(method, "POST", p.length == 1);
        sendJson(ex, 200, ops.reload());
        return;
      case "keys":
        if (p.length == 1 && method.equals("GET")) {
          sendJson(ex, 200, ops.keys());
        } else if (p.length == 1 && method.equals("POST")) {
          sendJson(ex, 201, ops.addKey(jsonBody(ex)));
        } else if (p.length == 2 && method.equals("DELETE")) {
          sendJson(ex, 200, ops.deleteKey(p[1]));
        } else {
          throw methodNotAllowed(method, path);
        }
        return;
      case "cache":
        expect(method, "POST", p.length == 2 && p[1].equals("flush"));
        sendJson(ex, 200, ops.flushCache(optionalJsonBody(ex)));
        return;
      case "zones":
        zones(ex, method, path, p, q);
        return;
      default:
        throw ApiException.notFound("no such endpoint " + path);
    }
  }

  private void zones(HttpExchange ex, String method, String path, String[] p, Map<String, String> q)
      throws IOException {
    if (p.length == 1 || (p.length == 2 && p[1].isEmpty())) {
      if (method.equals("GET")) {
        sendJson(ex, 200, ops.zoneList());
      } else if (method.equals("POST")) {
        sendJson(ex, 201, ops.createZone(jsonBody(ex)));
      } else {
        throw methodNotAllowed(method, path);
      }
      return;
    }
    Name zone = RecordSyntax.zone(p[1]);
    String sub = p.length > 2 ? p[2] : "";
    if (p.length > 3) {
      throw ApiException.notFound("no such endpoint " + path);
    }
    switch (sub) {
      case "":
        if (method.equals("GET")) {
          sendJson(ex, 200, ops.showZone(zone));
        } else if (method.equals("DELETE")) {
          sendJson(ex, 200, ops.deleteZone(zone));
        } else {
          throw methodNotAllowed(method, path);
        }
        return;
      case "records":
        switch (method) {
          case "GET":
            sendJson(ex, 200, ops.listRecords(zone, q.get("name"), q.get("type")));
            return;
          case "POST":
            sendJson(ex, 200, ops.addRecord(zone, jsonBody(ex)));
            return;
          case "PUT":
            sendJson(ex, 200, ops.replaceRRset(zone, jsonBody(ex)));
            return;
          case "DELETE":
            sendJson(ex, 200, ops.deleteRecords(zone, q.get("name"), q.get("type"), q.get("data"),
                !"false".equals(q.get("ptr"))));
            return;
          default:
            throw methodNotAllowed(method, path);
        }
      case "batch":
        expect(method, "POST", true);
        sendJson(ex, 200, ops.batch(zone, jsonBody(ex)));
        return;
      case "text":
        if (method.equals("GET")) {
          send(ex, 200, "text/dns; charset=utf-8", ops.exportZone(zone).getBytes(StandardCharsets.UTF_8));
        } else if (method.equals("PUT")) {
          sendJson(ex, 200, ops.importZone(zone, new String(body(ex), StandardCharsets.UTF_8)));
        } else {
          throw methodNotAllowed(method, path);
        }
        return;
      case "journal":
        expect(method, "GET", true);
        int limit;
        try {
          limit = Integer.parseInt(q.getOrDefault("limit", "20"));
        } catch (NumberFormatException e) {
          throw ApiException.badRequest("limit must be a number");
        }
        sendJson(ex, 200, ops.journal(zone, Math.max(1, Math.min(limit, 10_000))));
        return;
      default:
        throw ApiException.notFound("no such endpoint " + path);
    }
  }

  private static void expect(String method, String wanted, boolean pathOk) {
    if (!pathOk) {
      throw ApiException.notFound("no such endpoint");
    }
    if (!method.equals(wanted)) {
      throw new ApiException(405, "method_not_allowed", "use " + wanted + " here, not " + method);
    }
  }

  private static ApiException methodNotAllowed(String method, String path) {
    return new ApiException(405, "method_not_allowed", method + " is not allowed on " + path);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.put(k, v);
    }
    return q;
  }

  private static byte[] body(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] data = in.readNBytes(MAX_BODY_BYTES + 1);
      if (data.length > MAX_BODY_BYTES) {
        throw new ApiException(413, "too_large", "request body larger than " + MAX_BODY_BYTES + " bytes");
      }
      return data;
    }
  }

  private JsonNode jsonBody(HttpExchange ex) throws IOException {
    byte[] data = body(ex);
    if (data.length == 0) {
      throw ApiException.badRequest("a JSON body is required");
    }
    JsonNode node = json.readTree(data);
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("the JSON body must be an object");
    }
    return node;
  }

  private JsonNode optionalJsonBody(HttpExchange ex) throws IOException {
    byte[] data = body(ex);
    if (data.length == 0) {
      return null;
    }
    JsonNode node = json.readTree(data);
    if (node != null && !node.isObject()) {
      throw ApiException.badRequest("the JSON body must be an object");
    }
    return node;
  }

  private void sendJson(HttpExchange ex, int status, Object value) throws IOException {
    send(ex, status, "application/json", json.writeValueAsBytes(value));
  }

  private void sendError(HttpExchange ex, ApiException e) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.code());
    body.put("message", e.getMessage());
    if (!e.problems().isEmpty()) {
      List<String> problems = e.problems().stream().map(ZoneProblem::toString).toList();
      body.put("problems", problems);
    }
    if (e.status() >= 500) {
      log.warn("admin API {} {}: {} {}", ex.getRequestMethod(), ex.getRequestURI(), e.status(), e.getMessage());
    } else {
      log.debug("admin API {} {}: {} {}", ex.getRequestMethod(), ex.getRequestURI(), e.status(), e.getMessage());
    }
    sendJson(ex, e.status(), body);
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
