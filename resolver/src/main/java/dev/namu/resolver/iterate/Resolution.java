package dev.namu.resolver.iterate;

import dev.namu.resolver.Limits;
import dev.namu.resolver.UpstreamTrace;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Name;

/**
 * The budgets and state shared by everything done for one client question (its CNAME
 * restarts, referrals, glueless NS lookups), see {@link Limits}.
 */
public final class Resolution {
  private final Limits limits;
  private final long deadlineNanos;
  private final AtomicInteger upstreamQueries = new AtomicInteger();
  private final AtomicInteger nsNames = new AtomicInteger();
  private final Set<Name> targets = ConcurrentHashMap.newKeySet();
  private final boolean bypassCache;
  private final boolean cacheChecked;
  private final UpstreamTrace trace;

  public Resolution(Limits limits, long deadlineNanos, boolean bypassCache) {
    this(limits, deadlineNanos, bypassCache, false);
  }

  /**
   * @param cacheChecked the caller has just looked the question up in the cache and found no
   *     answer, so the first step does not look again (a cached CNAME is still followed)
   */
  public Resolution(Limits limits, long deadlineNanos, boolean bypassCache, boolean cacheChecked) {
    this(limits, deadlineNanos, bypassCache, cacheChecked, null);
  }

  /** As above; {@code trace} records each upstream query (null: none recorded). */
  public Resolution(Limits limits, long deadlineNanos, boolean bypassCache, boolean cacheChecked,
      UpstreamTrace trace) {
    this.trace = trace;
    this.limits = limits;
    this.deadlineNanos = deadlineNanos;
    this.bypassCache = bypassCache;
    this.cacheChecked = cacheChecked;
  }

  /** True when the question's answer was just looked up and not found (see the constructor). */
  public boolean cacheChecked() { return cacheChecked; }

  public Limits limits() { return limits; }

  /** Where this resolution's upstream queries are recorded, or null. */
  public UpstreamTrace trace() { return trace; }

  /** Prefetch: the first lookup ignores the cache (the entry being refreshed is in it). */
  public boolean bypassCache() { return bypassCache; }

  public boolean pastDeadline(long nowNanos) {
    return nowNanos - deadlineNanos >= 0;
  }

  /** Counts one upstream query; throws when the per-question quota is spent. */
  public void chargeUpstreamQuery() {
    if (upstreamQueries.incrementAndGet() > limits.maxUpstreamQueries()) {
      throw ResolutionFailure.limit("upstream query limit (" + limits.maxUpstreamQueries()
          + ") reached for one question");
    }
  }

  /** Counts one glueless NS name lookup (NXNSAttack bound); throws when the budget is spent. */
  public void chargeNsName() {
    if (nsNames.incrementAndGet() > limits.maxNsNamesPerQuestion()) {
      throw ResolutionFailure.limit("name-server name lookup limit (" + limits.maxNsNamesPerQuestion()
          + ") reached for one question");
    }
  }

  /** Marks a name-server name as being resolved; false if it already is (a cycle). */
  public boolean startTarget(Name ns) {
    return targets.add(ns);
  }

  public int upstreamQueries() {
    return upstreamQueries.get();
  }
}
