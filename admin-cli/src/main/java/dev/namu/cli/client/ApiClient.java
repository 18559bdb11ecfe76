package dev.namu.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Calls namud's admin API (/api/v1) with the bearer token; non-2xx replies become {@link ApiFailure}. */
public final class ApiClient {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final String token;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public ApiClient(URI server, String token) {
    String s = server.toString();
    this.base = URI.create((s.endsWith("/") ? s : s + "/") + "api/v1/");
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public ObjectMapper json() {
    return json;
  }

  public JsonNode get(String path) {
    return parse(send("GET", path, null, "application/json"));
  }

  public String getText(String path) {
    return send("GET", path, null, "application/json");
  }

  public JsonNode post(String path, Object body) {
    return parse(send("POST", path, body == null ? null : write(body), "application/json"));
  }

  public JsonNode put(String path, Object body) {
    return parse(send("PUT", path, write(body), "application/json"));
  }

  public JsonNode putText(String path, String text) {
    return parse(send("PUT", path, text, "text/dns"));
  }

  public JsonNode delete(String path) {
    return parse(send("DELETE", path, null, "application/json"));
  }

  /** A path segment or query value, escaped. */
  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code path?k=v&...} with null values left out. */
  public static String query(String path, Map<String, String> params) {
    StringBuilder b = new StringBuilder(path);
    char sep = '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (e.getValue() != null) {
        b.append(sep).append(enc(e.getKey())).append('=').append(enc(e.getValue()));
        sep = '&';
      }
    }
    return b.toString();
  }

  private String write(Object body) {
    try {
      return json.writeValueAsString(body);
    } catch (IOException e) {
      throw new ApiFailure("cannot encode request: " + e.getMessage());
    }
  }

  private JsonNode parse(String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new ApiFailure("bad_reply", "the server sent a reply that is not JSON: " + e.getMessage());
    }
  }

  private String send(String method, String path, String body, String contentType) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      b.header("Content-Type", contentType);
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new ApiFailure("unreachable", "cannot reach namud at " + base + " (is it running? is --server right?)");
    } catch (IOException e) {
      throw new ApiFailure("unreachable", "request to " + base + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiFailure("interrupted", "interrupted");
    }
    if (r.statusCode() / 100 != 2) {
      String code = "http_" + r.statusCode();
      String message = "HTTP " + r.statusCode();
      List<String> problems = new ArrayList<>();
      try {
        JsonNode err = json.readTree(r.body());
        if (err != null && err.has("error")) {
          code = err.get("error").asText();
        }
        if (err != null && err.has("message")) {
          message = err.get("message").asText();
        }
        if (err != null && err.has("problems")) {
          err.get("problems").forEach(p -> problems.add(p.asText()));
        }
      } catch (IOException ignored) {
        // not JSON: keep the status line
      }
      throw new ApiFailure(code, message, problems);
    }
    return r.body();
  }
}
