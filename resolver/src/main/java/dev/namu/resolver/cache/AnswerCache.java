package dev.namu.resolver.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import org.xbill.DNS.Name;

/**
 * Whole answers by question: positive, NODATA (by name and type) and NXDOMAIN (by name, any
 * type, see {@link #NXDOMAIN_TYPE}). Expiry per entry plus the serve-stale window.
 */
public final class AnswerCache {
  /**
   * NXDOMAIN is a fact about the name, not one type (RFC 2308 section 5), so it is stored once
   * under this pseudo-type (0 is reserved, never a real query type).
   */
  public static final int NXDOMAIN_TYPE = 0;

  private final Cache<RRsetKey, CachedAnswer> cache;
  private final Ticker ticker;

  public AnswerCache(Ticker ticker, long maxEntries, long maxBytes, long staleNanos) {
    this.ticker = ticker;
    // One bound, two units: estimated bytes when maxBytes is set, else one per entry.
    Caffeine<RRsetKey, CachedAnswer> typed = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run).recordStats()
        .maximumWeight(maxBytes > 0 ? Math.max(1, maxBytes / 2) : maxEntries)
        .weigher((RRsetKey k, CachedAnswer v) -> maxBytes > 0 ? v.weight() : 1);
    this.cache = typed.expireAfter(new Expiry<RRsetKey, CachedAnswer>() {
          @Override
          public long expireAfterCreate(RRsetKey key, CachedAnswer v, long now) {
            return Math.max(0, v.expiresAtNanos() - now) + staleNanos;
          }

          @Override
          public long expireAfterUpdate(RRsetKey key, CachedAnswer v, long now, long current) {
            return expireAfterCreate(key, v, now);
          }

          @Override
          public long expireAfterRead(RRsetKey key, CachedAnswer v, long now, long current) {
            return current;
          }
        }).build();
  }

  /** The entry for the question, expired or not (callers check {@link CachedAnswer#expired}). */
  public CachedAnswer getAny(Name name, int type) {
    return cache.getIfPresent(new RRsetKey(name, type));
  }

  /** The unexpired entry, or null. */
  public CachedAnswer get(Name name, int type) {
    CachedAnswer a = cache.getIfPresent(new RRsetKey(name, type));
    return a == null || a.expired(ticker.read()) ? null : a;
  }

  /**
   * The unexpired NXDOMAIN covering {@code name}: for the name itself or, by the NXDOMAIN cut of
   * RFC 8020 section 2, for any ancestor. Null when none.
   */
  public CachedAnswer nxdomainCovering(Name name) {
    long now = ticker.read();
    int labels = name.labels();
    for (int strip = 0; strip < labels - 1; strip++) {
      Name n = strip == 0 ? name : new Name(name, strip);
      CachedAnswer a = cache.getIfPresent(new RRsetKey(n, NXDOMAIN_TYPE));
      if (a != null && !a.expired(now)) {
        return a;
      }
    }
    return null;
  }

  public void put(Name name, int type, CachedAnswer answer) {
    cache.put(new RRsetKey(name, type), answer);
  }

  public void invalidate(Name name, int type) {
    cache.invalidate(new RRsetKey(name, type));
  }

  /**
   * Every entry held (expired ones within the serve-stale window too), as the map's weakly
   * consistent iteration sees it: no lock, no use counted.
   */
  public void forEach(java.util.function.BiConsumer<RRsetKey, CachedAnswer> action) {
    cache.asMap().forEach(action);
  }

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
    for (CachedAnswer a : cache.asMap().values()) w += a.weight();
    return w;
  }

  public long evictions() {
    return cache.stats().evictionCount();
  }
}
