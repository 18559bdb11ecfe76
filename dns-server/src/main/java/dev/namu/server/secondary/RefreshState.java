package dev.namu.server.secondary;

/** Where a secondary zone stands with its primaries. */
public enum RefreshState {
  /** Served; the last refresh (or the copy loaded at start) is within the SOA expire time. */
  FRESH,
  /** Served, and asking the primaries now (a zone not served stays {@link #EXPIRED} while it asks). */
  REFRESHING,
  /**
   * Not served: no copy yet, or no refresh succeeded within the SOA expire time (RFC 1034 4.3.5);
   * its names get SERVFAIL until a refresh succeeds.
   */
  EXPIRED;

  /** As shown by the API, namuctl and the metrics. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
