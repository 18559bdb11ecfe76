package dev.namu.resolver;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * What one resolution did, for a caller that asks (the query log, {@code namuctl explain}): the
 * upstream queries it sent, or the cached RRsets it answered from. A caller passes one to
 * {@link Resolver#resolve(org.xbill.DNS.Message, UpstreamTrace)}; without one the resolver records
 * nothing and allocates nothing for it. Thread-safe: a resolution's steps run on the upstream IO
 * threads.
 *
 * <p>A question that joins a resolution already in flight for the same question (two clients, one
 * upstream resolution) sees that resolution's queries when it was traced, and says it was {@link
 * #shared}: the queries were sent once, for both.
 */
public final class UpstreamTrace {
  /** The queries kept in full; later ones are only counted (a resolution may send up to 128). */
  public static final int MAX_LISTED = 16;

  /** One query sent to one server: {@code rcode} is -1 when no reply came (a timeout or error). */
  public record Exchange(InetSocketAddress server, Name zone, boolean forwarded, Name qname, int qtype,
      long rttMillis, int rcode, String failure) {}

  /** An RRset the answer came from, as the cache holds it: TTL left and RFC 2181 trust rank. */
  public record CachedSet(Name name, int type, long ttlLeft, String trust) {}

  private final List<Exchange> exchanges = new ArrayList<>();
  private int total;
  private volatile Supplier<List<CachedSet>> cached;
  private volatile UpstreamTrace sharedWith;
  private volatile boolean shared;

  /** Records one upstream query (called by the resolver). */
  public synchronized void exchanged(Exchange e) {
    total++;
    if (exchanges.size() < MAX_LISTED) {
      exchanges.add(e);
    }
  }

  /**
   * Records that the answer came from the cache (called by the resolver); {@code sets} lists its
   * RRsets when asked, so a caller that never asks (the query log) costs the hit no list.
   */
  public void answeredFromCache(Supplier<List<CachedSet>> sets) {
    cached = sets;
  }

  /**
   * Records that the question joined a resolution in flight, whose trace is {@code leader} (null
   * when that resolution is not traced).
   */
  public void joined(UpstreamTrace leader) {
    sharedWith = leader;
    shared = true;
  }

  /** The first {@link #MAX_LISTED} upstream queries, in the order sent. */
  public List<Exchange> exchanges() {
    UpstreamTrace leader = sharedWith;
    if (leader != null) {
      return leader.exchanges();
    }
    synchronized (this) {
      return List.copyOf(exchanges);
    }
  }

  /** How many upstream queries were sent, listed or not. */
  public int total() {
    UpstreamTrace leader = sharedWith;
    if (leader != null) {
      return leader.total();
    }
    synchronized (this) {
      return total;
    }
  }

  /** The cached RRsets the answer came from; null when it did not come from the cache. */
  public List<CachedSet> cached() {
    Supplier<List<CachedSet>> sets = cached;
    return sets == null ? null : sets.get();
  }

  /** True when the question was answered by a resolution another question started. */
  public boolean shared() {
    return shared;
  }
}
