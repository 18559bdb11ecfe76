package dev.namu.resolver.cache;

import org.xbill.DNS.SOARecord;

/**
 * TTL floor and cap for positive data, cap for negative data.
 *
 * @param minTtl floor for positive data (operators raise it to cut upstream traffic)
 * @param maxTtl cap for positive data (bounds how long a poisoned or stale entry can live)
 * @param maxNegativeTtl cap for negative answers (RFC 2308 section 5)
 */
public record TtlPolicy(long minTtl, long maxTtl, long maxNegativeTtl) {

  public long positive(long ttl) {
    return Math.max(minTtl, Math.min(maxTtl, ttl));
  }

  /** RFC 2308 section 5: the negative TTL is the minimum of the SOA's TTL and MINIMUM field. */
  public long negative(SOARecord soa) {
    return Math.min(maxNegativeTtl, Math.min(soa.getTTL(), soa.getMinimum()));
  }
}
