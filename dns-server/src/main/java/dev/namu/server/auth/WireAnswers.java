package dev.namu.server.auth;

import dev.namu.server.intake.QuestionKey;
import dev.namu.server.intake.QuestionProbe;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one store of finished wire answers, by question: the zones' prepared answers and the
 * resolver's kept replies alike, each served by copy and patch.
 *
 * <p>One generation of answers belongs to one {@link ZoneSet}: an answer can never outlive the
 * data it came from, and a question routed to recursion under one zone set, answered by a zone in
 * the next, never gets the resolver's copy. When a new zone set serves the same zones (an edit, a
 * reload that changed some of them), the answers that still hold under it (those of the unchanged
 * zones, the resolver's) are carried into its generation off the event loops, so an edit of one
 * zone does not send every other zone's questions back through the general path.
 *
 * <p>A generation is a plain {@link ConcurrentHashMap} bounded by total bytes: a read is one hash
 * lookup with no bookkeeping (an LRU's access reordering cost more than the lookup itself, measured
 * with JFR under dnsperf). When a store would pass the bound, the generation starts over empty:
 * popular answers come back at once, and a flood of one-off names (random subdomains) can never
 * grow memory past the bound nor pin stale entries forever.
 */
public final class WireAnswers {
  /** Default bound on the bytes of the zones' prepared answers. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  /** Rough per-entry cost of the key and the map node, so many tiny replies still count. */
  private static final int ENTRY_OVERHEAD = 96;

  /** An answer held: its bytes, roughly, for the bound. */
  public interface Entry {
    int cost();

    /**
     * True when this answer is still right under {@code next}, a zone set serving the same zones
     * (by origin) as the one it was kept under, so it is carried into the next generation.
     */
    boolean holdsIn(ZoneSet next);
  }

  private record Generation(ZoneSet zones, ConcurrentHashMap<QuestionKey, Entry> entries, AtomicLong bytes) {
    Generation(ZoneSet zones) {
      this(zones, new ConcurrentHashMap<>(), new AtomicLong());
    }
  }

  private final Supplier<ZoneSet> currentZones;
  private final long maxBytes;
  private final long maxEntries;
  private final Executor carrier;
  /** Calls of {@link #drop}: a carry-over that overlapped one takes back what it carried. */
  private final AtomicLong drops = new AtomicLong();
  private final AtomicReference<Generation> generation;

  /**
   * @param currentZones the zone set now published: only answers from it are stored, so a request
   *     that read an older set never replaces the newer generation
   */
  public WireAnswers(Supplier<ZoneSet> currentZones, long maxBytes) {
    this(currentZones, maxBytes, Long.MAX_VALUE);
  }

  /** As above, holding at most {@code maxEntries} answers too. */
  public WireAnswers(Supplier<ZoneSet> currentZones, long maxBytes, long maxEntries) {
    // the carry-over is a short walk of a map with no I/O: the common pool is the place for it
    this(currentZones, maxBytes, maxEntries, ForkJoinPool.commonPool());
  }

  /** As above, carrying answers across zone sets on {@code carrier}. */
  public WireAnswers(Supplier<ZoneSet> currentZones, long maxBytes, Executor carrier) {
    this(currentZones, maxBytes, Long.MAX_VALUE, carrier);
  }

  private WireAnswers(Supplier<ZoneSet> currentZones, long maxBytes, long maxEntries, Executor carrier) {
    if (maxBytes < 1 || maxEntries < 1) {
      throw new IllegalArgumentException("store bounds must be positive: " + maxBytes + " bytes, " + maxEntries + " entries");
    }
    this.currentZones = currentZones;
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
    this.carrier = carrier;
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
    if (g.bytes().addAndGet(cost) > maxBytes || full(g)) {
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

  /** True when the generation holds {@link #maxEntries} answers (a count kept by the map itself). */
  private boolean full(Generation g) {
    return maxEntries != Long.MAX_VALUE && g.entries().mappingCount() >= maxEntries;
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
    Generation previous = g;
    if (generation.compareAndExchange(g, fresh) == g) {
      if (previous.zones() != null && !previous.entries().isEmpty()) {
        carrier.execute(() -> carryOver(previous, fresh));
      }
      return fresh;
    }
    g = generation.get();
    return g.zones() == zones ? g : null;
  }

  /**
   * Copies into {@code to} the answers of {@code from} that hold under its zone set: none when the
   * zones served are not the same ones (a zone added or removed moves where questions go), else
   * those whose entry says they hold. Answers kept in {@code to} meanwhile stay.
   */
  private void carryOver(Generation from, Generation to) {
    if (!sameOrigins(from.zones(), to.zones())) {
      return;
    }
    long dropsBefore = drops.get();
    for (Map.Entry<QuestionKey, Entry> e : from.entries().entrySet()) {
      if (generation.get() != to) {
        return; // retired already: a newer set, or the bound started it over
      }
      if (e.getValue().holdsIn(to.zones())) {
        long cost = e.getValue().cost() + e.getKey().nameLength() + ENTRY_OVERHEAD;
        if (to.bytes().get() + cost > maxBytes || full(to)) {
          break;
        }
        if (to.entries().putIfAbsent(e.getKey(), e.getValue()) == null) {
          to.bytes().addAndGet(cost);
        }
      }
    }
    if (drops.get() != dropsBefore) {
      // a flush ran meanwhile and may have missed what was carried after it: take it all back
      for (Map.Entry<QuestionKey, Entry> e : from.entries().entrySet()) {
        if (to.entries().remove(e.getKey(), e.getValue())) {
          to.bytes().addAndGet(-(e.getValue().cost() + e.getKey().nameLength() + ENTRY_OVERHEAD));
        }
      }
    }
  }

  private static boolean sameOrigins(ZoneSet a, ZoneSet b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (ZoneSnapshot z : b.zones()) {
      if (a.zone(z.origin()) == null) {
        return false;
      }
    }
    return true;
  }

  /** Drops the answers that {@code which} selects (the resolver's, when its cache is flushed). */
  public void drop(Predicate<Entry> which) {
    drops.incrementAndGet(); // before removing: a carry-over running now sees it and undoes itself
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
