package dev.namu.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Calls namud's admin API (/api/v1) with the bearer token; non-2xx replies become {@link ApiFailure}. */
public final class ApiClient {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final URI base;
  private final String token;
  private final ObjectMapper json = new ObjectMapper();

  public ApiClient(URI server, String token) {
    String s = server.toString();
    this.base = URI.create((s.endsWith("/") ? s : s + "/") + "api/v1/");
    this.token = token;
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

  /** {@code path?k=v&...} of the parameters. */
  public static String query(String path, Map<String, Object> params) {
    StringBuilder b = new StringBuilder(path);
    char sep = '?';
    for (Map.Entry<String, Object> e : params.entrySet()) {
      b.append(sep).append(enc(e.getKey())).append('=').append(enc(String.valueOf(e.getValue())));
      sep = '&';
    }
    return b.toString();
  }

  /**
   * A request body or query, {@code name, value, name, value...} in order, the null values left out: an
   * option not given is not sent, and the server applies its default.
   */
  public static Map<String, Object> fields(Object... namesAndValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] != null) {
        fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
      }
    }
    return fields;
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

  /**
   * One request. HttpURLConnection rather than java.net.http.HttpClient: the latter sets up TLS (the
   * trust store, some 400 classes) on creation even for http://, which is most of a short run's
   * start-up; HttpURLConnection does that only for https://.
   */
  private String send(String method, String path, String body, String contentType) {
    URI uri = base.resolve(path);
    HttpURLConnection c;
    int status;
    String reply;
    try {
      c = (HttpURLConnection) uri.toURL().openConnection();
      c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      c.setReadTimeout((int) TIMEOUT.toMillis());
      c.setRequestMethod(method);
      c.setRequestProperty("Authorization", "Bearer " + token);
      c.setRequestProperty("Accept", "application/json");
      if (body != null) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", contentType);
        try (OutputStream out = c.getOutputStream()) {
          out.write(bytes);
        }
      }
      status = c.getResponseCode();
      try (InputStream in = status / 100 == 2 ? c.getInputStream() : c.getErrorStream()) {
        reply = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (ConnectException e) {
      throw new ApiFailure("unreachable", "cannot reach namud at " + base + " (is it running? is --server right?)");
    } catch (IOException e) {
      throw new ApiFailure("unreachable", "request to " + base + " failed: " + e.getMessage());
    }
    if (status / 100 != 2) {
      throw failure(status, reply);
    }
    return reply;
  }

  /** A refusal: the admin API's JSON error ({@code error}, {@code message}, {@code problems}), else the status. */
  private ApiFailure failure(int status, String body) {
    String code = "http_" + status;
    String message = "HTTP " + status;
    List<String> problems = new ArrayList<>();
    try {
      JsonNode err = json.readTree(body);
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
    return new ApiFailure(code, message, problems);
  }
}
