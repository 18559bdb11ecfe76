package dev.namu.server.intake;

/** The largest reply a query may receive, from its transport and EDNS. */
public final class ReplySize {
  /**
   * The UDP payload size we advertise and never exceed: 1232 bytes avoids IP fragmentation on
   * common paths (DNS flag day 2020, and what NSD, Knot, Unbound and BIND now default to).
   */
  public static final int OUR_UDP_PAYLOAD = 1232;

  /** RFC 1035 4.2.1: a UDP message without EDNS is at most 512 bytes. */
  public static final int CLASSIC_UDP = 512;

  /** RFC 1035 4.2.2: TCP messages carry a 16-bit length, so 65535 bytes. */
  public static final int TCP = 65535;

  private ReplySize() {}

  /**
   * RFC 6891 6.2.5: values of the requester's payload size below 512 are treated as 512; we then
   * cap at our own payload size. TCP (and TLS, HTTPS) is only bounded by its framing.
   */
  public static int limit(Transport transport, EdnsRequest edns) {
    if (!transport.datagram()) {
      return TCP;
    }
    if (edns == null) {
      return CLASSIC_UDP;
    }
    return Math.max(CLASSIC_UDP, Math.min(edns.udpPayloadSize(), OUR_UDP_PAYLOAD));
  }
}
