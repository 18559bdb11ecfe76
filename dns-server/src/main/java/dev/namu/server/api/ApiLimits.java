package dev.namu.server.api;

import java.time.Duration;
import java.util.Locale;

/**
 * The budgets of the admin API, each bounding what one client can cost the others.
 *
 * @param maxBodyBytes largest request body read; more is refused with 413 before it is buffered
 *     (a zone import is the biggest body: some 30 bytes a record)
 * @param maxConnections connections open at once; more get 503 on arrival, so idle or slow clients
 *     cannot exhaust memory or file descriptors
 * @param requestTimeout time a client has to send a whole request (head and body), and to start the
 *     next one on a kept-alive connection: a silent or trickling client loses its connection, never
 *     anyone else's
 * @param workers threads that run requests (they read and write the store, so never on an event
 *     loop); each request waits for one
 * @param queuedRequests requests that may wait for a worker; more get 503 at once
 */
public record ApiLimits(int maxBodyBytes, int maxConnections, Duration requestTimeout, int workers,
    int queuedRequests) {

  public static final int DEFAULT_MAX_BODY = 32 << 20;
  public static final int MIN_MAX_BODY = 1 << 10;
  public static final int MAX_MAX_BODY = 1 << 30;
  static final int DEFAULT_MAX_CONNECTIONS = 256;
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  static final int DEFAULT_WORKERS = 4;
  static final int DEFAULT_QUEUED_REQUESTS = 256;

  public ApiLimits {
    if (maxBodyBytes < MIN_MAX_BODY || maxBodyBytes > MAX_MAX_BODY) {
      throw new IllegalArgumentException("API body limit must be between 1k and 1g");
    }
    if (maxConnections < 1 || workers < 1 || queuedRequests < 1) {
      throw new IllegalArgumentException("API connection, worker and queue limits must be at least 1");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("API request timeout must be more than 0");
    }
  }

  public static ApiLimits defaults() {
    return withMaxBody(DEFAULT_MAX_BODY);
  }

  public static ApiLimits withMaxBody(int maxBodyBytes) {
    return new ApiLimits(maxBodyBytes, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT, DEFAULT_WORKERS,
        DEFAULT_QUEUED_REQUESTS);
  }

  /**
   * A size as the {@code --api-max-body} flag takes it: bytes, or with a {@code k}, {@code m} or
   * {@code g} suffix (powers of 1024).
   *
   * @throws IllegalArgumentException with a one-line message naming {@code flag}
   */
  public static int parseSize(String flag, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int shift = t.endsWith("k") ? 10 : t.endsWith("m") ? 20 : t.endsWith("g") ? 30 : 0;
    String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
    long n;
    try {
      n = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " " + text + ": expected bytes like 32m, 512k or 1048576");
    }
    if (n < 1 || n > (MAX_MAX_BODY >> shift) || (n << shift) < MIN_MAX_BODY) {
      throw new IllegalArgumentException(flag + " " + text + ": must be between 1k and 1g");
    }
    return (int) (n << shift);
  }

  /** The limit as a user wrote it: 32m rather than 33554432. */
  static String sizeText(long bytes) {
    if (bytes % (1 << 30) == 0) {
      return (bytes >> 30) + "g";
    }
    if (bytes % (1 << 20) == 0) {
      return (bytes >> 20) + "m";
    }
    if (bytes % (1 << 10) == 0) {
      return (bytes >> 10) + "k";
    }
    return bytes + " bytes";
  }
}
