package dev.namu.resolver;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An RFC 6052 IPv4-embedded IPv6 prefix: on an IPv6-only network behind NAT64, the resolver
 * reaches a server known only by its IPv4 address at the IPv6 address this prefix synthesises
 * from it (Unbound do-nat64, nat64-prefix).
 *
 * @param prefix the prefix's 16 bytes, zero past {@code length}
 * @param length 32, 40, 48, 56, 64 or 96 (RFC 6052 section 2.2)
 */
public record Nat64Prefix(byte[] prefix, int length) {
  /** The well-known prefix, 64:ff9b::/96 (RFC 6052 section 2.1). */
  public static final Nat64Prefix WELL_KNOWN = parse("64:ff9b::/96");

  /** Bits 64 to 71, the "u" octet, never carry address bits (RFC 6052 section 2.2). */
  private static final int U_OCTET = 8;

  public Nat64Prefix {
    if (length != 32 && length != 40 && length != 48 && length != 56 && length != 64 && length != 96) {
      throw new IllegalArgumentException("NAT64 prefix length must be 32, 40, 48, 56, 64 or 96: /" + length);
    }
    if (prefix.length != 16) {
      throw new IllegalArgumentException("NAT64 prefix must be an IPv6 address");
    }
    prefix = prefix.clone();
    for (int i = length / 8; i < 16; i++) {
      if (prefix[i] != 0) {
        throw new IllegalArgumentException("NAT64 prefix has bits set past /" + length);
      }
    }
    // RFC 6052 section 2.2: bits 64 to 71 "MUST be set to zero", inside a /96 prefix as well.
    if (prefix[U_OCTET] != 0) {
      throw new IllegalArgumentException("NAT64 prefix must have bits 64 to 71 zero (RFC 6052 2.2)");
    }
  }

  /** Parses {@code ADDRESS/LENGTH}, e.g. {@code 64:ff9b::/96}; a clear message when it is not one. */
  public static Nat64Prefix parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("NAT64 prefix needs a length (ADDRESS/LENGTH): " + cidr);
    }
    String address = cidr.substring(0, slash);
    int length;
    try {
      length = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("NAT64 prefix length is not a number: " + cidr);
    }
    // Literals only: getByName on an IPv6 literal does no lookup; a name is refused here.
    if (!address.contains(":") || !address.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("NAT64 prefix is not an IPv6 address: " + cidr);
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("NAT64 prefix is not an IPv6 address: " + cidr);
    }
    if (bytes.length == 4) {
      // Java reads ::ffff:a.b.c.d as IPv4; the prefix ::ffff:0:0/96 is still an IPv6 prefix.
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(bytes, 0, mapped, 12, 4);
      bytes = mapped;
    }
    return new Nat64Prefix(bytes, length);
  }

  /**
   * The IPv6 address at which {@code v4} is reached: the prefix, then the IPv4 address's 32
   * bits, skipping the u octet (bits 64 to 71), then zeros (RFC 6052 section 2.2, Figure 1).
   */
  public InetAddress synthesize(Inet4Address v4) {
    byte[] out = prefix.clone();
    int at = length / 8;
    for (byte b : v4.getAddress()) {
      if (at == U_OCTET) at++;
      out[at++] = b;
    }
    try {
      // An IPv4-mapped result (prefix ::ffff:0:0/96) comes back as the IPv4 address it maps.
      return InetAddress.getByAddress(out);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are an IPv6 address", e);
    }
  }

  /** The prefix's bytes (a copy: the record stays immutable). */
  @Override
  public byte[] prefix() {
    return prefix.clone();
  }

  /** {@code v4} through this prefix; any other address as it is. */
  public InetAddress map(InetAddress address) {
    return address instanceof Inet4Address v4 ? synthesize(v4) : address;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Nat64Prefix p && p.length == length && Arrays.equals(p.prefix, prefix);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(prefix) + length;
  }

  @Override
  public String toString() {
    try {
      // RFC 5952 text (64:ff9b::/96), as the operator writes it
      return io.netty.util.NetUtil.toAddressString(Inet6Address.getByAddress(null, prefix, -1)) + "/" + length;
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are an IPv6 address", e);
    }
  }
}
