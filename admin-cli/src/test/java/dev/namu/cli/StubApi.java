package dev.namu.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for namud's admin API on a free loopback port: every zones request gets one zone list
 * (and the bearer token it carried is kept), every keys request the 401 of a wrong token; so a test sees which server and token namuctl
 * chose. The server's own behaviour is tested in dns-server; this is only where namuctl's requests land.
 */
final class StubApi implements AutoCloseable {

  static final String ZONES = "[{\"name\":\"stub.test.\",\"serial\":7,\"records\":3,\"source\":\"store\"}]";

  static final String UNAUTHORIZED = "{\"error\":\"unauthorized\",\"message\":\"missing or wrong API token\"}";

  private final HttpServer http;
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  StubApi() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/api/v1/zones", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      tokens.add(auth == null ? "(none)" : auth.replaceFirst("^Bearer ", ""));
      // a deleted zone is named in the reply, as namud does
      String path = exchange.getRequestURI().getPath();
      byte[] body = (exchange.getRequestMethod().equals("DELETE")
          ? "{\"zone\":\"" + path.substring(path.lastIndexOf('/') + 1) + ".\"}" : ZONES).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    // namud's answer to a wrong token: 401 with a Bearer challenge (RFC 6750 3) and its JSON error
    http.createContext("/api/v1/keys", exchange -> {
      exchange.getRequestBody().readAllBytes();
      byte[] body = UNAUTHORIZED.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"namud\"");
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(401, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    http.start();
  }

  String url() {
    return "http://127.0.0.1:" + http.getAddress().getPort();
  }

  /** The tokens of the requests so far, in order. */
  List<String> tokens() {
    return List.copyOf(tokens);
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
