package dev.namu.resolver;

/**
 * Counters of the resolver, read at one moment.
 *
 * @param entries entries in the answer and RRset caches together
 * @param weightBytes estimated bytes held by those caches
 * @param hits client questions answered from the cache
 * @param misses client questions that needed resolution
 * @param evictions entries evicted for size
 * @param upstreamQueries queries sent to upstream servers
 * @param prefetches background refreshes of popular entries before expiry
 * @param staleServed answers served stale (RFC 8767)
 * @param servfails SERVFAIL replies given to clients
 * @param inFlight resolutions running now
 * @param upstreamTimeouts upstream queries that got no reply within the server timeout
 * @param upstreamReplies upstream queries that got a reply
 * @param upstreamRttNanos the round-trip times of those replies, added up
 * @param refusedClient questions refused at once: their client had its bound of resolutions in
 *     flight ({@link InFlightLimits#perClient})
 * @param refusedTotal questions refused at once: the resolver had its bound of resolutions in
 *     flight ({@link InFlightLimits#total})
 * @param refusedZone questions failed at once: the servers of a zone they needed had the bound of
 *     queries in flight ({@link InFlightLimits#perZone})
 */
public record CacheStats(
    long entries,
    long weightBytes,
    long hits,
    long misses,
    long evictions,
    long upstreamQueries,
    long prefetches,
    long staleServed,
    long servfails,
    long inFlight,
    long upstreamTimeouts,
    long upstreamReplies,
    long upstreamRttNanos,
    long refusedClient,
    long refusedTotal,
    long refusedZone) {}
