package dev.namu.resolver;

import dev.namu.resolver.cache.Trust;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * One entry of the resolver's caches as an operator sees it ({@code namuctl cache dump}), copied
 * out of the cache: reading it never touches the caches' order, counters or locks.
 *
 * @param name the owner, or for an answer the question's name
 * @param type the RRset's type or the question's; {@link #ANY_TYPE} for an NXDOMAIN, which holds
 *     for every type of the name (RFC 2308 section 5)
 * @param kind which cache holds it and what it says
 * @param trust how far the data is believed (RFC 2181 section 5.4.1), which says where it came
 *     from; for an answer, its least trusted RRset
 * @param ttlLeft whole seconds left before it expires (0 once expired)
 * @param ttl the TTL it was cached with (after the configured floor and cap)
 * @param stale expired, kept only to be served stale when upstreams fail (RFC 8767)
 * @param rcode the rcode of a reply made from it
 * @param records its records as they came (TTLs as received): for an answer its answer section,
 *     for a negative answer the SOA its TTL came from
 * @param zone the closest zone cut at or above the name that the cache holds an NS set for (for DS,
 *     above it: DS belongs to the parent, RFC 4035 section 2.4; for a negative answer, its SOA's
 *     owner); null when none is cached
 */
public record CacheEntry(Name name, int type, Kind kind, Trust trust, long ttlLeft, long ttl, boolean stale,
    int rcode, List<Record> records, Name zone) {

  /** The type of an NXDOMAIN entry, which covers every type (0 is never a query type). */
  public static final int ANY_TYPE = 0;

  public CacheEntry {
    records = List.copyOf(records);
  }

  /** Which cache holds an entry, and what it says. */
  public enum Kind {
    /** An RRset of the RRset cache: the data answers and iteration are built from. */
    RRSET,
    /** The parent's copy of a delegation (NS set, glue) from a referral, kept apart from the child's data. */
    REFERRAL,
    /** A whole answer the RRsets alone do not give: a CNAME chain, or data with other sections. */
    ANSWER,
    /** The name does not exist (RFC 2308 section 2.1), nor anything below it (RFC 8020). */
    NXDOMAIN,
    /** The name has no data of the type (RFC 2308 section 2.2). */
    NODATA,
    /** A final error rcode kept as an answer. */
    ERROR
  }
}
