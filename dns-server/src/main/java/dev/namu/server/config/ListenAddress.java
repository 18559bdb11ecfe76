package dev.namu.server.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IP address and port to listen on, written {@code 127.0.0.1:53} or {@code [::1]:53}. Only
 * address literals: a DNS server does not look names up to find out where to listen.
 */
public record ListenAddress(InetAddress address, int port) {
  public static final int DNS_PORT = 53;

  private static final Pattern IPV6 = Pattern.compile("\\[([0-9A-Fa-f:.]+(?:%[\\w.-]+)?)](?::(\\d{1,5}))?");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})(?::(\\d{1,5}))?");

  public ListenAddress {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
    }
  }

  /**
   * Parses {@code ADDR:PORT}, {@code [IPV6]:PORT}, or an address alone (port 53).
   *
   * @throws IllegalArgumentException with a message that says what is wrong
   */
  public static ListenAddress parse(String text) {
    String s = text.trim();
    Matcher m6 = IPV6.matcher(s);
    Matcher m4 = IPV4.matcher(s);
    Matcher m;
    if (m6.matches()) {
      m = m6;
    } else if (m4.matches()) {
      m = m4;
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      throw new IllegalArgumentException(
          "'" + text + "': write IPv6 addresses in brackets, like [::1]:53");
    } else {
      throw new IllegalArgumentException(
          "'" + text + "' is not ADDRESS:PORT with an IP address, like 127.0.0.1:53 or [::1]:53");
    }
    InetAddress address;
    try {
      // a literal, so no lookup happens
      address = InetAddress.getByName(m.group(1));
    } catch (UnknownHostException | SecurityException e) {
      throw new IllegalArgumentException("'" + text + "': not a valid IP address");
    }
    if (m == m4) {
      for (String octet : m.group(1).split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          throw new IllegalArgumentException("'" + text + "': not a valid IPv4 address");
        }
      }
    }
    int port = m.group(2) == null ? DNS_PORT : Integer.parseInt(m.group(2));
    if (port > 65535) {
      throw new IllegalArgumentException("'" + text + "': port must be 0-65535");
    }
    return new ListenAddress(address, port);
  }

  /**
   * Why namud cannot listen on both this address and {@code other}, or empty when it can: the same
   * address and port twice, or a wildcard and another address on the same port (the wildcard
   * takes the port on every address of its family; :: takes IPv4 too, as namud's IPv6 sockets
   * are dual-stack). Port 0 never conflicts: each picks its own free port.
   */
  public java.util.Optional<String> conflictWith(ListenAddress other) {
    if (port == 0 || port != other.port) {
      return java.util.Optional.empty();
    }
    String both = "--listen " + this + " and --listen " + other;
    if (address.equals(other.address)) {
      return java.util.Optional.of(both + " are the same address; give it once");
    }
    for (ListenAddress[] pair : new ListenAddress[][] {{this, other}, {other, this}}) {
      InetAddress wildcard = pair[0].address;
      if (wildcard.isAnyLocalAddress()
          && (wildcard instanceof Inet6Address || !(pair[1].address instanceof Inet6Address))) {
        return java.util.Optional.of(both + " conflict: " + pair[0] + " already takes port " + port
            + " on every " + (wildcard instanceof Inet6Address ? "IPv6 and IPv4" : "IPv4")
            + " address of this host; give one or the other");
      }
    }
    return java.util.Optional.empty();
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** True for ::1, which some hosts (containers without IPv6) do not have. */
  public boolean isIpv6Loopback() {
    return address instanceof Inet6Address && address.isLoopbackAddress();
  }

  /** The same form {@link #parse} reads. */
  public static String format(InetAddress address, int port) {
    String host = address.getHostAddress();
    return address instanceof Inet6Address ? "[" + compress(host) + "]:" + port : host + ":" + port;
  }

  @Override
  public String toString() {
    return format(address, port);
  }

  /**
   * Java writes 0:0:0:0:0:0:0:1; people and RFC 5952 4.2 write ::1: the longest run of two or more
   * zero groups (the first of equal runs) becomes "::". A zone ID (%eth0) is kept.
   */
  static String compress(String v6) {
    String zone = "";
    int pct = v6.indexOf('%');
    if (pct >= 0) {
      zone = v6.substring(pct);
      v6 = v6.substring(0, pct);
    }
    String[] groups = v6.split(":");
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < groups.length; ) {
      if (groups[i].equals("0")) {
        int j = i;
        while (j < groups.length && groups[j].equals("0")) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    if (bestLen < 2) {
      return v6 + zone;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
    return head + "::" + tail + zone;
  }
}
