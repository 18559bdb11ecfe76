package dev.namu.server.auth;

import dev.namu.server.intake.QuestionKey;
import dev.namu.server.intake.QuestionProbe;
import dev.namu.zones.registry.ZoneSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one store of finished wire answers, by question: the zones' prepared answers and the
 * resolver's kept replies alike, each served by copy and patch.
 *
 * <p>One generation of answers belongs to one {@link ZoneSet}: publishing a new zone set retires
 * the whole generation at once, so an answer can never outlive the data it came from, and a
 * question routed to recursion under one zone set, answered by a zone in the next, never gets the
 * resolver's copy.
 *
 * <p>A generation is a plain {@link ConcurrentHashMap} bounded by total bytes: a read is one hash
 * lookup with no bookkeeping (an LRU's access reordering cost more than the lookup itself, measured
 * with JFR under dnsperf). When a store would pass the bound, the generation starts over empty:
 * popular answers come back at once, and a flood of one-off names (random subdomains) can never
 * grow memory past the bound nor pin stale entries forever.
 */
public final class WireAnswers {
  /** Default bound on the bytes held: room for the prepared and the resolved answers, 32 MiB each. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  /** Rough per-entry cost of the key and the map node, so many tiny replies still count. */
  private static final int ENTRY_OVERHEAD = 96;

  /** An answer held: its bytes, roughly, for the bound. */
  public interface Entry {
    int cost();
  }

  private record Generation(ZoneSet zones, ConcurrentHashMap<QuestionKey, Entry> entries, AtomicLong bytes) {
    Generation(ZoneSet zones) {
      this(zones, new ConcurrentHashMap<>(), new AtomicLong());
    }
  }

  private final Supplier<ZoneSet> currentZones;
  private final long maxBytes;
  private final AtomicReference<Generation> generation;

  /**
   * @param currentZones the zone set now published: only answers from it are stored, so a request
   *     that read an older set never replaces the newer generation
   */
  public WireAnswers(Supplier<ZoneSet> currentZones, long maxBytes) {
    this.currentZones = currentZones;
    this.maxBytes = maxBytes;
    this.generation = new AtomicReference<>(new Generation(null));
  }

  /** The answer held for this question under this zone set, or null. */
  public Entry find(ZoneSet zones, QuestionKey key) {
    Generation g = generation.get();
    return g.zones() == zones ? g.entries().get(key) : null;
  }

  /** As {@link #find(ZoneSet, QuestionKey)}, for a query read in place (no allocation). */
  public Entry find(ZoneSet zones, QuestionProbe probe) {
    Generation g = generation.get();
    return g.zones() == zones ? g.entries().get(probe) : null;
  }

  /**
   * Keeps {@code entry} for {@code key} when {@code zones} is the set now published.
   *
   * @param replace replace an answer already held (else the first one stays)
   * @return true when it was kept
   */
  public boolean keep(ZoneSet zones, QuestionKey key, Entry entry, boolean replace) {
    Generation g = generationFor(zones);
    if (g == null) {
      return false;
    }
    long cost = entry.cost() + key.nameLength() + ENTRY_OVERHEAD;
    if (g.bytes().addAndGet(cost) > maxBytes) {
      // full: start this zone set's answers over rather than track recency on every read
      generation.compareAndSet(g, new Generation(zones));
      return false;
    }
    Entry old = replace ? g.entries().put(key, entry) : g.entries().putIfAbsent(key, entry);
    if (old != null) {
      g.bytes().addAndGet(-((replace ? old.cost() : entry.cost()) + key.nameLength() + ENTRY_OVERHEAD));
    }
    return replace || old == null;
  }

  /** The generation for {@code zones}, made when it is the current set; null for an older set. */
  private Generation generationFor(ZoneSet zones) {
    if (zones != currentZones.get()) {
      return null;
    }
    Generation g = generation.get();
    if (g.zones() == zones) {
      return g;
    }
    Generation fresh = new Generation(zones);
    g = generation.compareAndExchange(g, fresh) == g ? fresh : generation.get();
    return g.zones() == zones ? g : null;
  }

  /** Drops the answers that {@code which} selects (the resolver's, when its cache is flushed). */
  public void drop(Predicate<Entry> which) {
    Generation g = generation.get();
    for (Map.Entry<QuestionKey, Entry> e : g.entries().entrySet()) {
      if (which.test(e.getValue()) && g.entries().remove(e.getKey(), e.getValue())) {
        g.bytes().addAndGet(-(e.getValue().cost() + e.getKey().nameLength() + ENTRY_OVERHEAD));
      }
    }
  }

  /** Number of answers held now that {@code which} selects (approximate), for tests and status. */
  public long count(Predicate<Entry> which) {
    return generation.get().entries().values().stream().filter(which).count();
  }

  /** Bytes charged to the answers held now that {@code which} selects (approximate). */
  public long bytes(Predicate<Entry> which) {
    long sum = 0;
    for (Map.Entry<QuestionKey, Entry> e : generation.get().entries().entrySet()) {
      if (which.test(e.getValue())) {
        sum += e.getValue().cost() + e.getKey().nameLength() + ENTRY_OVERHEAD;
      }
    }
    return sum;
  }
}
