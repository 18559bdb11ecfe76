package dev.namu.resolver;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The resolutions running now, in total and per client address, admitted against {@link
 * InFlightLimits}. Shared by a resolver and those reconfigured from it, so a reload neither
 * forgets what runs nor lets a client start again from nothing. The map holds only clients with
 * a resolution running: its size is bounded by the total bound.
 */
final class InFlightClients {
  private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  final LongAdder refusedClient = new LongAdder();
  final LongAdder refusedTotal = new LongAdder();

  /**
   * Admits one new resolution for {@code client} (null: the resolver's own, a prefetch, counted
   * in the total only). Returns null when admitted, to be matched by one {@link #release};
   * otherwise the refusal's text.
   */
  String admit(InetAddress client, InFlightLimits limits) {
    if (total.incrementAndGet() > limits.total()) {
      total.decrementAndGet();
      refusedTotal.increment();
      return "too many resolutions in flight (limit " + limits.total() + ")";
    }
    if (client == null) {
      return null;
    }
    boolean[] admitted = {false};
    perClient.compute(client, (k, n) -> {
      int now = n == null ? 0 : n;
      if (now >= limits.perClient()) {
        return n;
      }
      admitted[0] = true;
      return now + 1;
    });
    if (!admitted[0]) {
      total.decrementAndGet();
      refusedClient.increment();
      return "too many resolutions in flight for this client (limit " + limits.perClient() + ")";
    }
    return null;
  }

  /** One admitted resolution of {@code client} has ended. */
  void release(InetAddress client) {
    if (client != null) {
      perClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    }
    total.decrementAndGet();
  }
}
