package dev.namu.resolver.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import org.xbill.DNS.Name;

/**
 * RRsets by owner and type, each expiring at its own TTL (plus the serve-stale window), bounded
 * by entries or estimated bytes. Writes obey the trust ranking of {@link Trust}.
 */
public final class RRsetCache {
  private final Cache<RRsetKey, CachedRRset> cache;
  private final Ticker ticker;

  public RRsetCache(Ticker ticker, long maxEntries, long maxBytes, long staleNanos) {
    this.ticker = ticker;
    // One bound, two units: estimated bytes when maxBytes is set, else one per entry.
    Caffeine<RRsetKey, CachedRRset> typed = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).recordStats()
        .maximumWeight(maxBytes > 0 ? Math.max(1, maxBytes / 2) : maxEntries)
        .weigher((RRsetKey k, CachedRRset v) -> maxBytes > 0 ? v.weight() : 1);
    this.cache = typed.expireAfter(new Expiry<RRsetKey, CachedRRset>() {
          @Override
          public long expireAfterCreate(RRsetKey key, CachedRRset v, long now) {
            return Math.max(0, v.expiresAtNanos() - now) + staleNanos;
          }

          @Override
          public long expireAfterUpdate(RRsetKey key, CachedRRset v, long now, long current) {
            return expireAfterCreate(key, v, now);
          }

          @Override
          public long expireAfterRead(RRsetKey key, CachedRRset v, long now, long current) {
            return current;
          }
        }).build();
  }

  /** The unexpired RRset, or null. */
  public CachedRRset get(Name name, int type) {
    CachedRRset r = cache.getIfPresent(new RRsetKey(name, type));
    return r == null || r.expired(ticker.read()) ? null : r;
  }

  /** The RRset even if expired but within the stale window, or null. */
  public CachedRRset getStale(Name name, int type) {
    return cache.getIfPresent(new RRsetKey(name, type));
  }

  /**
   * Stores {@code r} against what is cached (as Unbound's need_to_update_rrset): more trusted
   * data replaces (RFC 2181 5.4.1), less trusted data is ignored while the cached entry lives;
   * at equal trust the same records keep their running TTL (until the last tenth, where a
   * prefetch refreshes them), and changed NS records are taken
   * but without extending the TTL, so a child cannot keep a deleted delegation alive by
   * refreshing it ("ghost domain names", Jiang et al. 2012).
   *
   * @return the entry now in the cache
   */
  public CachedRRset put(CachedRRset r) {
    return put(r, false);
  }

  /**
   * As {@link #put}, but an RRset that differs from an unexpired cached one of the same name and
   * type is not stored (null returned): data riding along may confirm what is cached, never
   * change it (Unbound's promiscuous glue rule).
   */
  public CachedRRset putConfirming(CachedRRset r) {
    return put(r, true);
  }

  private CachedRRset put(CachedRRset r, boolean confirmOnly) {
    long now = ticker.read();
    RRsetKey key = new RRsetKey(r.name(), r.type());
    // Most RRsets a reply brings besides its answer are already cached as they are (the zone's
    // NS set and its glue ride along with every answer): a read settles those without a cache
    // write, which costs Caffeine a compute and a maintenance pass. Answer data is mostly new,
    // so it goes straight to the write.
    CachedRRset cached = confirmOnly || !r.trust().answerable() ? cache.getIfPresent(key) : null;
    if (cached != null && !cached.expired(now)) {
      if (confirmOnly && !cached.sameData(r)) {
        return null;
      }
      if (choose(cached, r, now) == cached) {
        return cached;
      }
    }
    return cache.asMap().compute(key, (k, old) -> choose(old, r, now));
  }

  /** The entry to hold when {@code r} is offered and {@code old} (or null) is cached. */
  private static CachedRRset choose(CachedRRset old, CachedRRset r, long now) {
    if (old == null || old.expired(now)) {
      return r;
    }
    int cmp = r.trust().compareTo(old.trust());
    if (cmp > 0) {
      return r;
    }
    if (cmp < 0) {
      return old;
    }
    if (r.sameData(old)) {
      // Keep the running TTL, unless the entry is in its last tenth: then this is the
      // refresh (prefetch leeway, as Unbound's).
      long left = old.expiresAtNanos() - now;
      return left * 10 > old.ttlSeconds() * 1_000_000_000L ? old : r;
    }
    return r.type() == org.xbill.DNS.Type.NS && r.expiresAtNanos() - old.expiresAtNanos() > 0
        ? r.withExpiry(old.expiresAtNanos()) : r;
  }

  public void invalidate(Name name, int type) {
    cache.invalidate(new RRsetKey(name, type));
  }

  /**
   * The RRset held for the key, expired (within the serve-stale window) or not, read without
   * counting as a use: an operator looking does not change what the bound evicts.
   */
  public CachedRRset peek(Name name, int type) {
    return cache.policy().getIfPresentQuietly(new RRsetKey(name, type));
  }

  /**
   * Every entry held, as the map's weakly consistent iteration sees it: no lock, no use counted,
   * entries written meanwhile may or may not be seen.
   */
  public void forEach(java.util.function.BiConsumer<RRsetKey, CachedRRset> action) {
    cache.asMap().forEach(action);
  }

  /** Drops every RRset owned by {@code name} or a name below it. */
  public void invalidateSubtree(Name name) {
    cache.asMap().keySet().removeIf(k -> k.name().subdomain(name));
  }

  public void invalidateAll() {
    cache.invalidateAll();
  }

  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  public long weight() {
    long w = 0;
    for (CachedRRset r : cache.asMap().values()) w += r.weight();
    return w;
  }

  public long evictions() {
    return cache.stats().evictionCount();
  }
}
