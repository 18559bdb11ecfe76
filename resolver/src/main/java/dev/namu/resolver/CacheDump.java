package dev.namu.resolver;

import java.util.List;

/**
 * Entries of the resolver's caches, in DNS name order (RFC 4034 section 6.1), then type.
 *
 * @param entries the entries shown
 * @param total how many entries matched; more than shown when a limit cut the list
 */
public record CacheDump(List<CacheEntry> entries, long total) {
  public CacheDump {
    entries = List.copyOf(entries);
  }

  /** Entries that matched but are not shown. */
  public long omitted() {
    return total - entries.size();
  }
}
