package dev.namu.resolver.transport;

/**
 * The local UDP ports upstream queries leave from (Unbound's outgoing-range and
 * outgoing-port-permit): how many sockets stay open at once, and the ports they may bind.
 *
 * <p>RFC 5452 section 9.2: the source port is the other half of a query's unpredictability, next
 * to its ID, so a range should be as wide as the firewall allows; within it each socket binds a
 * port picked at random.
 *
 * @param sockets open sockets per local address, 1 to 65536
 * @param low first port of the range, or 0 when the kernel picks an ephemeral port
 * @param high last port of the range (0 with {@code low} 0)
 */
public record OutgoingPorts(int sockets, int low, int high) {
  /** Unbound's outgoing-range is 4096, bounded by file descriptors; 256 sockets serve namud's loads. */
  public static final int DEFAULT_SOCKETS = 256;

  public OutgoingPorts {
    if (sockets < 1 || sockets > 0x10000) {
      throw new IllegalArgumentException("outgoing sockets must be 1 to 65536: " + sockets);
    }
    if (low == 0 && high != 0 || low != 0 && (low < 1 || high < low || high > 65535)) {
      throw new IllegalArgumentException("outgoing port range invalid: " + low + "-" + high);
    }
  }

  /** As many sockets as the default, on ports the kernel picks. */
  public static OutgoingPorts defaults() {
    return new OutgoingPorts(DEFAULT_SOCKETS, 0, 0);
  }

  /**
   * The ports {@code low} to {@code high}; sockets are at most half of them, so a socket replaced
   * while the one before it drains still finds a free port.
   */
  public static OutgoingPorts range(int low, int high) {
    int size = high - low + 1;
    return new OutgoingPorts(Math.max(1, Math.min(DEFAULT_SOCKETS, size / 2)), low, high);
  }

  /** True when the ports are a range of the configuration's, not the kernel's choice. */
  public boolean ranged() {
    return low != 0;
  }
}
