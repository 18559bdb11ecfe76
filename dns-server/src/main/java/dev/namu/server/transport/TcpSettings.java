package dev.namu.server.transport;

import java.time.Duration;

/**
 * Limits on TCP clients (RFC 7766 6.2.3, 10).
 *
 * @param idleTimeout a connection with no traffic this long is closed, so idle clients cannot
 *     hold connections forever
 * @param maxConnections open connections at most; when the table is full, a new connection takes
 *     the place of the quietest one, so a flood of connections cannot exhaust memory or file
 *     descriptors nor lock new clients out
 * @param maxConnectionsPerClient open connections from one client address at most, so one host
 *     cannot take the whole table
 */
public record TcpSettings(Duration idleTimeout, int maxConnections, int maxConnectionsPerClient) {
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;

  /**
   * A sixteenth of the default table: a stub resolver or a NATed site needs a handful of
   * connections, not hundreds (Unbound and dnsdist bound each client the same way, by choice).
   */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 64;

  /**
   * How long a query may take to arrive whole once its first byte came. A client writes its query
   * at once, one or two segments; two seconds leave room for a lost segment's retransmission (the
   * minimum retransmission timeout is one second, RFC 6298 2.4). Without it, a client sending a
   * byte every few seconds resets the idle timer forever and holds its connection doing nothing
   * (Knot's tcp-io-timeout bounds the same thing).
   */
  public static final Duration MESSAGE_DEADLINE = Duration.ofSeconds(2);

  public TcpSettings {
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("TCP idle timeout must be positive");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("TCP connection limit must be at least 1");
    }
    if (maxConnectionsPerClient < 1) {
      throw new IllegalArgumentException("TCP connection limit per client must be at least 1");
    }
  }

  public static TcpSettings defaults() {
    return new TcpSettings(
        DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_CLIENT);
  }

  /**
   * The time a query may take from its first byte to its last: {@link #MESSAGE_DEADLINE}, or the
   * idle timeout when that is shorter, as a query in progress may not wait longer than an idle
   * connection.
   */
  public Duration messageDeadline() {
    return idleTimeout.compareTo(MESSAGE_DEADLINE) < 0 ? idleTimeout : MESSAGE_DEADLINE;
  }
}
