package dev.namu.server.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address block in CIDR notation ({@code 10.0.0.0/8}, {@code fc00::/7}); a bare address is a
 * block of one. IPv4 and IPv6 blocks never match each other's addresses, except that an
 * IPv4-mapped IPv6 peer ({@code ::ffff:10.1.2.3}, a dual-stack socket) is matched as IPv4.
 */
public final class AddressRange {
  private final InetAddress network;
  private final byte[] networkBytes;
  private final int prefix;
  /** For an IPv4 block: the network and the prefix mask as 32-bit numbers (mask 0: /0). */
  private final int v4Network;
  private final int v4Mask;

  public AddressRange(InetAddress network, int prefix) {
    int bits = network.getAddress().length * 8;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("prefix /" + prefix + " out of range for " + network.getHostAddress());
    }
    this.network = network;
    this.networkBytes = network.getAddress();
    this.prefix = prefix;
    this.v4Mask = networkBytes.length == 4 && prefix > 0 ? -1 << (32 - prefix) : 0;
    this.v4Network = networkBytes.length == 4 ? java.nio.ByteBuffer.wrap(networkBytes).getInt() & v4Mask : 0;
  }

  /** True for an IPv4 block. */
  public boolean isV4() {
    return networkBytes.length == 4;
  }

  /** As {@link #contains(byte[])} for an IPv4 address given as a 32-bit number (no copy). */
  public boolean containsV4(int address) {
    return isV4() && (address & v4Mask) == v4Network;
  }

  public InetAddress network() {
    return network;
  }

  public int prefix() {
    return prefix;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressRange r && r.network.equals(network) && r.prefix == prefix;
  }

  @Override
  public int hashCode() {
    return network.hashCode() * 31 + prefix;
  }

  /**
   * Parses {@code ADDR/PREFIX} or {@code ADDR}; literal addresses only (no name lookups).
   *
   * @throws IllegalArgumentException with a one-line message naming the bad text
   */
  public static AddressRange parse(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    if (addr.startsWith("[") && addr.endsWith("]")) {
      addr = addr.substring(1, addr.length() - 1);
    }
    if (addr.isEmpty() || !(addr.indexOf(':') >= 0 || addr.matches("[0-9.]+"))) {
      throw new IllegalArgumentException(text + ": not an address range (e.g. 192.168.0.0/16 or fc00::/7)");
    }
    InetAddress network;
    try {
      network = InetAddress.getByName(addr);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(text + ": not an address range (e.g. 192.168.0.0/16 or fc00::/7)");
    }
    int bits = network.getAddress().length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(text + ": the prefix length after / is not a number");
    }
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException(text + ": prefix length must be 0.." + bits);
    }
    return new AddressRange(network, prefix);
  }

  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  /** As {@link #contains(InetAddress)}, for the address's bytes (4 or 16). */
  public boolean contains(byte[] address) {
    byte[] a = address;
    byte[] n = networkBytes;
    if (a.length == 16 && n.length == 4 && isV4Mapped(a)) {
      a = java.util.Arrays.copyOfRange(a, 12, 16);
    }
    if (a.length != n.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != n[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (a[full] & mask) == (n[full] & mask);
  }

  private static boolean isV4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefix;
  }
}
