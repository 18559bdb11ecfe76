package dev.namu.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.jdbc.JdbcStoreConfig;
import dev.namu.zones.store.jdbc.JdbcZoneStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The admin API running over the H2 store in a directory, with that directory's token, and
 * requests to it over real HTTP on loopback, as the API tests make them.
 */
record RunningApi(JdbcZoneStore store, ZoneRegistry registry, AdminApi api, String token, HttpClient http)
    implements AutoCloseable {
  /** The status, the body read as JSON where it is JSON (else null), and the body's text. */
  record Reply(int status, JsonNode body, String text) {}

  /** Opens the store in {@code data} and starts the API over it with default limits. */
  static RunningApi start(Path data, ServerControl control) throws IOException {
    JdbcZoneStore store = JdbcZoneStore.open(JdbcStoreConfig.h2(data));
    ZoneRegistry registry = new ZoneRegistry();
    AdminApi api = TestApi.start(ApiToken.loadOrCreate(data), ZoneEditor.open(store, registry), store, registry,
        control, ApiLimits.defaults());
    return new RunningApi(store, registry, api, Files.readString(data.resolve(ApiToken.FILE_NAME)).trim(),
        HttpClient.newHttpClient());
  }

  /** The API's address as a URL without a path, for namuctl's --server. */
  String base() {
    return "http://127.0.0.1:" + api.address().getPort();
  }

  Reply call(String method, String path, String body) throws Exception {
    return call(method, path, body, token);
  }

  /**
   * One request with {@code bearer} as the token (null: no Authorization header); a generous timeout
   * (a loaded machine): a server that opened a FIFO would never answer.
   */
  Reply call(String method, String path, String body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/api/v1/" + path))
        .timeout(Duration.ofSeconds(120))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode node = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
        ? new ObjectMapper().readTree(r.body()) : null;
    return new Reply(r.statusCode(), node, r.body());
  }

  @Override
  public void close() {
    api.close();
    store.close();
  }
}
