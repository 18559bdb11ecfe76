package dev.namu.server.transfer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.Address;

/** Where one NOTIFY goes (RFC 1996): a literal address, port 53 unless given. */
public final class NotifyTarget {
  private NotifyTarget() {}

  /**
   * Reads {@code ADDR}, {@code ADDR:PORT}, {@code [V6]:PORT} or a bare IPv6 address; literal
   * addresses only (no name lookups).
   *
   * @throws IllegalArgumentException with a one-line message naming the bad text
   */
  public static InetSocketAddress parse(String text) {
    String t = text.trim();
    String host = t;
    int port = 53;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw bad(text);
      }
      host = t.substring(1, close);
      String rest = t.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw bad(text);
        }
        port = port(text, rest.substring(1));
      }
    } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
      host = t.substring(0, t.indexOf(':'));
      port = port(text, t.substring(t.indexOf(':') + 1));
    }
    InetAddress address;
    try {
      address = Address.getByAddress(host);
    } catch (UnknownHostException e) {
      throw bad(text);
    }
    return new InetSocketAddress(address, port);
  }

  /** As written back: {@code 192.0.2.1:53}, {@code [2001:db8::1]:53}. */
  public static String format(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  private static int port(String text, String digits) {
    try {
      int p = Integer.parseInt(digits);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(text + ": the port must be 1 to 65535");
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException(text + ": not an address to notify (e.g. 192.0.2.1, 192.0.2.1:5300, [2001:db8::1]:53)");
  }
}
