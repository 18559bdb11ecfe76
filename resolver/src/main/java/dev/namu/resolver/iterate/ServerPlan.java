package dev.namu.resolver.iterate;

import dev.namu.resolver.cache.InfraCache;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The order in which the servers of one delegation are tried for one query: by smoothed RTT,
 * random among those within {@link #RTT_BAND_MILLIS} of the best (spreads load and defeats
 * an attacker predicting the server, as Unbound does), lame and backed-off servers last.
 * Not thread-safe: one plan belongs to one query at a time.
 */
final class ServerPlan {
  /** Servers this close to the fastest are treated as equal (Unbound RTT_BAND 400 ms). */
  static final long RTT_BAND_MILLIS = 400;

  private final Delegation dp;
  private final InfraCache infra;
  private final Random random;
  private final Deque<InetSocketAddress> queue = new ArrayDeque<>();
  private final Set<InetSocketAddress> seen = new HashSet<>();
  private final Deque<Name> unresolved;

  ServerPlan(Delegation dp, InfraCache infra, Random random) {
    this.dp = dp;
    this.infra = infra;
    this.random = random;
    this.unresolved = new ArrayDeque<>(dp.unresolved());
    add(dp.servers());
  }

  Delegation delegation() {
    return dp;
  }

  /** Adds servers (from a glueless lookup) in selection order. */
  void add(List<InetSocketAddress> servers) {
    List<InetSocketAddress> fresh = new ArrayList<>();
    for (InetSocketAddress s : servers) {
      if (seen.add(s)) fresh.add(s);
    }
    List<InetSocketAddress> good = new ArrayList<>();
    List<InetSocketAddress> bad = new ArrayList<>();
    for (InetSocketAddress s : fresh) {
      if (infra.isLame(dp.zone(), s.getAddress()) || infra.blocked(s.getAddress())) bad.add(s);
      else good.add(s);
    }
    order(good);
    order(bad);
    queue.addAll(good);
    queue.addAll(bad);
  }

  private void order(List<InetSocketAddress> list) {
    if (list.size() < 2) return;
    Collections.shuffle(list, random);
    list.sort((a, b) -> Long.compare(band(a), band(b)));
  }

  private long band(InetSocketAddress s) {
    return infra.selectionRtt(s.getAddress()) / RTT_BAND_MILLIS;
  }

  InetSocketAddress next() {
    return queue.pollFirst();
  }

  private boolean parentSideTried;
  private final java.util.List<InetSocketAddress> timedOut = new java.util.ArrayList<>();
  private boolean retried;

  /** Remembers a server that did not answer in time, for one more round. */
  void timedOut(InetSocketAddress s) {
    timedOut.add(s);
  }

  /**
   * Queues the servers that timed out for a second attempt (UDP loses packets; one retry per
   * server, as stub and recursive resolvers commonly do); true when there was any.
   */
  boolean retryTimedOut() {
    if (retried) return false;
    retried = true;
    // A server backed off for repeated timeouts gets no second try now (it is probed later).
    timedOut.removeIf(s -> infra.blocked(s.getAddress()));
    queue.addAll(timedOut);
    boolean any = !timedOut.isEmpty();
    timedOut.clear();
    return any;
  }
  /** A reply kept from a lame server, used only when every server has failed. */
  private ServerResponse fallback;

  /** Keeps {@code response} as the fallback unless one is kept already: the first lame reply wins. */
  void keepFallback(ServerResponse response) {
    if (fallback == null) fallback = response;
  }

  /** The reply kept from a lame server, or null. */
  ServerResponse fallback() {
    return fallback;
  }

  /** True the first time only: the caller then adds the parent-side glue as a last resort. */
  boolean claimParentSide() {
    if (parentSideTried) return false;
    parentSideTried = true;
    return true;
  }

  void addUnresolved(Name ns) {
    if (!unresolved.contains(ns)) unresolved.addLast(ns);
  }

  Name nextUnresolved() {
    return unresolved.pollFirst();
  }
}
