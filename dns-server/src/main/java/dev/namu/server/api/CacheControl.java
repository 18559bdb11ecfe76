package dev.namu.server.api;

import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * The seam to the resolver's cache for {@code POST /api/v1/cache/flush}. The server passes one when
 * recursion is enabled; without one the endpoint answers 501 and says that no cache is running.
 */
public interface CacheControl {
  /** Drops everything cached for {@code name} and below, or the whole cache; returns entries dropped (or -1 when unknown). */
  long flush(Optional<Name> name);

  /** Cache counters for {@code GET /api/v1/status} (entries, hits, misses ...). */
  default java.util.Map<String, Object> stats() {
    return java.util.Map.of();
  }
}
