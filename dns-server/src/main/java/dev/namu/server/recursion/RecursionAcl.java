package dev.namu.server.recursion;

import dev.namu.server.net.AddressRange;
import java.net.InetAddress;
import java.util.List;

/**
 * The clients that may use recursion. By default loopback and the private and local ranges only:
 * an open resolver is an amplifier for reflection attacks (RFC 5358), so namud never is one
 * unless told with {@code --allow-recursion}.
 */
public record RecursionAcl(List<AddressRange> allowed) {

  /** Loopback, RFC 1918, RFC 6598 shared space, RFC 4193 unique local, link-local IPv6. */
  public static final List<String> DEFAULT_RANGES =
      List.of(
          "127.0.0.0/8",
          "::1/128",
          "10.0.0.0/8",
          "172.16.0.0/12",
          "192.168.0.0/16",
          "100.64.0.0/10",
          "fc00::/7",
          "fe80::/10");

  public RecursionAcl {
    allowed = List.copyOf(allowed);
  }

  public static RecursionAcl defaults() {
    return new RecursionAcl(DEFAULT_RANGES.stream().map(AddressRange::parse).toList());
  }

  public boolean allows(InetAddress client) {
    if (client instanceof java.net.Inet4Address) {
      // Asked for every query: Inet4Address's hash code is its address as a number, which reads
      // it without the copy getAddress() makes (checked against getAddress() by the tests)
      int v4 = client.hashCode();
      for (int i = 0; i < allowed.size(); i++) {
        if (allowed.get(i).containsV4(v4)) {
          return true;
        }
      }
      return false;
    }
    byte[] address = client.getAddress();
    for (AddressRange r : allowed) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }
}
