package dev.namu.server.transport;

import java.time.Duration;

/**
 * Limits on TCP clients (RFC 7766 6.2.3, 10).
 *
 * @param idleTimeout a connection with no traffic this long is closed, so idle clients cannot
 *     hold connections forever
 * @param maxConnections open connections beyond this are closed as they arrive, so a flood of
 *     connections cannot exhaust memory or file descriptors
 */
public record TcpSettings(Duration idleTimeout, int maxConnections) {
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;

  public TcpSettings {
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("TCP idle timeout must be positive");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("TCP connection limit must be at least 1");
    }
  }

  public static TcpSettings defaults() {
    return new TcpSettings(DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
  }
}
