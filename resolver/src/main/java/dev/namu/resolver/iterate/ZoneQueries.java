package dev.namu.resolver.iterate;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.xbill.DNS.Name;

/**
 * Upstream queries in flight per zone, bounded ({@link dev.namu.resolver.InFlightLimits#perZone}):
 * a random-subdomain flood of one zone cannot hold more than the bound of queries at its servers,
 * and cannot take the resolver from the names of other zones. The map holds only zones with a
 * query in flight.
 */
final class ZoneQueries {
  private final ConcurrentHashMap<Name, Integer> inFlight = new ConcurrentHashMap<>();
  final LongAdder refused = new LongAdder();

  /**
   * Sends {@code query} to a server of {@code zone} unless {@code limit} queries to that zone's
   * servers are in flight already.
   *
   * @throws ResolutionFailure a limit failure (the question fails at once) when the zone is full
   */
  <T> CompletableFuture<T> send(Name zone, int limit, Supplier<CompletableFuture<T>> query) {
    boolean[] admitted = {false};
    inFlight.compute(zone, (k, n) -> {
      int now = n == null ? 0 : n;
      if (now >= limit) {
        return n;
      }
      admitted[0] = true;
      return now + 1;
    });
    if (!admitted[0]) {
      refused.increment();
      throw ResolutionFailure.overload("too many queries in flight to the servers of " + zone + " (limit " + limit + ")");
    }
    CompletableFuture<T> sent;
    try {
      sent = query.get();
    } catch (RuntimeException e) {
      release(zone);
      throw e;
    }
    return sent.whenComplete((v, e) -> release(zone));
  }

  private void release(Name zone) {
    inFlight.computeIfPresent(zone, (k, n) -> n <= 1 ? null : n - 1);
  }
}
