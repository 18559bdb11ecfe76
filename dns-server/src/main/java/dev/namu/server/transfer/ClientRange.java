package dev.namu.server.transfer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.xbill.DNS.Address;

/** Clients a transfer ACL names by address: a network and its prefix length. */
public record ClientRange(InetAddress network, int prefix) {

  /**
   * Reads {@code ADDR/PREFIX} or {@code ADDR}; literal addresses only (no name lookups).
   *
   * @throws IllegalArgumentException with a one-line message naming the bad text
   */
  public static ClientRange parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    InetAddress network;
    try {
      network = Address.getByAddress(slash < 0 ? t : t.substring(0, slash));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(text + ": not an address or CIDR range (e.g. 192.0.2.0/24 or 2001:db8::/32)");
    }
    int bits = network.getAddress().length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(text + ": the prefix length after / is not a number");
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException(text + ": the prefix length must be 0 to " + bits);
    }
    return new ClientRange(network, prefix);
  }

  public boolean contains(InetAddress client) {
    byte[] a = network.getAddress();
    byte[] b = client.getAddress();
    if (a.length != b.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (a[full] & mask) == (b[full] & mask);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefix;
  }
}
