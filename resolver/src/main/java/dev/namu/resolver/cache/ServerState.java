package dev.namu.resolver.cache;

/**
 * What the resolver learned about one upstream server address.
 *
 * @param srttMillis smoothed round-trip time (RFC 6298 style, alpha 1/8)
 * @param timeouts consecutive timeouts (reset by any reply)
 * @param noEdns the server failed EDNS queries but answered plain ones (RFC 6891 section 7)
 * @param blockedUntilNanos after repeated timeouts the server is skipped until this ticker time,
 *     unless no other server is left (then it is probed)
 */
public record ServerState(long srttMillis, int timeouts, boolean noEdns, long blockedUntilNanos) {
  /** RTT assumed for a server never heard from (Unbound's UNKNOWN_SERVER_NICENESS). */
  public static final long UNKNOWN_RTT_MILLIS = 376;
  public static final ServerState UNKNOWN = new ServerState(UNKNOWN_RTT_MILLIS, 0, false, 0);
}
