package dev.namu.server.intake;

/** How a query arrived, which decides the largest reply we may send. */
public enum Transport {
  UDP,
  TCP,
  /** DNS over TLS (RFC 7858): TCP's framing behind TLS. */
  DOT,
  /** DNS over HTTPS (RFC 8484): one query in each HTTP request. */
  DOH;

  /**
   * True for UDP alone: a reply to a datagram must fit the size the client can take, every other
   * transport carries 65535 bytes (RFC 1035 4.2.2; RFC 8484 6, a DoH reply is a whole message).
   * Only a datagram's source can be forged, so only UDP replies are rate limited.
   */
  public boolean datagram() {
    return this == UDP;
  }

  /**
   * True where a request gets one message back (UDP, DNS over HTTPS): a zone transfer, a stream of
   * messages (RFC 5936 2.2), cannot be answered whole there.
   */
  public boolean oneMessage() {
    return this == UDP || this == DOH;
  }
}
