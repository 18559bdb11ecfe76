package dev.namu.server.api;

import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * The seam to the resolver's cache for {@code POST /api/v1/cache/flush} and
 * {@code GET /api/v1/cache/dump}, {@code /cache/infra}. The server passes one when recursion is
 * enabled; without one these endpoints answer 501 and say that no cache is running.
 */
public interface CacheControl {
  /** Drops everything cached for {@code name} and below, or the whole cache; returns entries dropped (or -1 when unknown). */
  long flush(Optional<Name> name);

  /**
   * What the cache holds for {@code name} (every type), or without a name the first {@code limit}
   * entries of the whole cache in DNS name order, with how many there are (JSON-ready maps).
   */
  java.util.Map<String, Object> dump(Optional<Name> name, int limit);

  /** The infrastructure cache: per upstream server address its RTT, timeouts, EDNS, lameness (JSON-ready). */
  java.util.Map<String, Object> infra();

  /** Cache counters for {@code GET /api/v1/status} (entries, hits, misses ...). */
  default java.util.Map<String, Object> stats() {
    return java.util.Map.of();
  }
}
