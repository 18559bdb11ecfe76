package dev.namu.server.recursion;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** A resolver to forward to, {@code ADDR} or {@code ADDR:PORT} ({@code [v6]:PORT}); port empty = default. */
public record Upstream(InetAddress address, int port) {
  /** Port not given: 53, or the {@code --upstream-port} in test mode. */
  public static final int DEFAULT = -1;

  /**
   * Parses a literal address with an optional port (never a host name: the resolver must not
   * need itself to find its upstreams).
   *
   * @throws IllegalArgumentException with a one-line message naming {@code flag}
   */
  public static Upstream parse(String flag, String text) {
    String t = text.trim();
    String host = t;
    int port = DEFAULT;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException(flag + " " + text + ": missing ] after the IPv6 address");
      }
      host = t.substring(1, close);
      String rest = t.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException(flag + " " + text + ": expected [ADDR]:PORT");
        }
        port = port(flag, text, rest.substring(1));
      }
    } else if (t.indexOf(':') == t.lastIndexOf(':') && t.indexOf(':') >= 0) {
      host = t.substring(0, t.indexOf(':'));
      port = port(flag, text, t.substring(t.indexOf(':') + 1));
    }
    if (host.isEmpty() || !(host.indexOf(':') >= 0 || host.matches("[0-9.]+"))) {
      throw new IllegalArgumentException(
          flag + " " + text + ": expected an IP address with an optional port, e.g. 192.0.2.53:53 or [2001:db8::53]:53");
    }
    try {
      return new Upstream(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(flag + " " + text + ": not an IP address");
    }
  }

  private static int port(String flag, String text, String digits) {
    try {
      int p = Integer.parseInt(digits);
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException(flag + " " + text + ": port must be 1..65535");
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " " + text + ": port is not a number");
    }
  }

  public InetSocketAddress socketAddress(int defaultPort) {
    return new InetSocketAddress(address, port == DEFAULT ? defaultPort : port);
  }
}
