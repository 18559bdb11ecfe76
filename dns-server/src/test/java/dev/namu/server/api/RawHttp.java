package dev.namu.server.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client that writes whatever bytes a test wants on one connection (malformed, partial, pipelined)
 * and reads the answers as they arrive, so a test sees exactly what the server sent.
 */
final class RawHttp implements AutoCloseable {

  /** One answer: status, headers (names in lower case) and body text. */
  record Answer(int status, Map<String, String> headers, String body) {}

  final Socket socket;
  private final InputStream in;

  RawHttp(InetSocketAddress server, int readTimeoutMillis) throws IOException {
    socket = new Socket();
    socket.connect(server, 10_000);
    socket.setSoTimeout(readTimeoutMillis);
    in = socket.getInputStream();
  }

  RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** The next answer; fails when the connection ends before one arrives whole. */
  Answer read() throws IOException {
    String statusLine = line();
    assertTrue(statusLine != null && statusLine.startsWith("HTTP/1.1 "), "no answer, got: " + statusLine);
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(); h != null && !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    assertTrue(body.length == length, "answer cut short after " + body.length + " of " + length + " bytes");
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /** True when the server ended the connection: end of stream (or a reset) before any more bytes. */
  boolean ended() throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
