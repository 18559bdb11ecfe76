package dev.namu.resolver.iterate;

import static dev.namu.resolver.iterate.Futures.guard;
import static dev.namu.resolver.iterate.Futures.limitOf;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.cache.AnswerCache;
import dev.namu.resolver.cache.AnswerKind;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import dev.namu.resolver.cache.InfraCache;
import dev.namu.resolver.cache.RRsetCache;
import dev.namu.resolver.cache.Trust;
import dev.namu.resolver.transport.UpstreamTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Resolves one name by iteration (RFC 1034 section 5.3.3) or forwarding: cache first, then
 * the closest delegation, following referrals, resolving glueless name-server names, chasing
 * CNAME/DNAME across zones, with QNAME minimisation (RFC 9156). This class is the descent; it asks
 * {@link ServerSelection} for each delegation's reply and has {@link ResponseCache} store it.
 * Everything is asynchronous and never blocks: continuations run on whatever thread completes the
 * upstream reply.
 */
public final class IterativeEngine {
  private static final Logger LOG = LoggerFactory.getLogger(IterativeEngine.class);

  private final ResolverConfig config;
  private final Ticker ticker;
  private final DelegationFinder finder;
  /** Glue as the parent gave it in referrals, kept apart from the child's data. */
  private final RRsetCache parentSide;
  private final ResponseCache cache;
  private final ServerSelection servers;
  private final AtomicReference<CompletableFuture<Void>> priming = new AtomicReference<>();
  /** After a priming attempt, the next one waits this long (root NS TTL governs success). */
  private static final long PRIME_RETRY_NANOS = 60_000_000_000L;
  private volatile long primeRetryAfter;

  public IterativeEngine(ResolverConfig config, UpstreamTransport transport, RRsetCache rrsets,
      AnswerCache answers, InfraCache infra, Ticker ticker, Random random) {
    this(config, transport, rrsets, answers, infra, ticker, random,
        new RRsetCache(ticker, Math.max(1000, config.cacheMaxEntries() / 10), 0, 0), new UpstreamCounters());
  }

  private IterativeEngine(ResolverConfig config, UpstreamTransport transport, RRsetCache rrsets,
      AnswerCache answers, InfraCache infra, Ticker ticker, Random random, RRsetCache parentSide,
      UpstreamCounters upstream) {
    this.config = config;
    this.ticker = ticker;
    this.parentSide = parentSide;
    this.finder = new DelegationFinder(config, rrsets, parentSide);
    this.cache = new ResponseCache(config, rrsets, answers, parentSide, ticker);
    this.servers = new ServerSelection(config, transport, infra, ticker, random, finder, parentSide,
        this::resolveAddresses, upstream);
  }

  /**
   * An engine with another configuration (forwarders, root hints) over the same caches, this
   * engine's parent-side glue and its counts of upstream queries. This engine finishes what it has
   * started.
   */
  public IterativeEngine reconfigured(ResolverConfig next, UpstreamTransport transport, RRsetCache rrsets,
      AnswerCache answers, InfraCache infra, Random random) {
    return new IterativeEngine(next, transport, rrsets, answers, infra, ticker, random, parentSide,
        servers.upstreamCounters());
  }

  /** Drops the parent-side glue (the other caches are flushed by their owner). */
  public void flush(Name name) {
    if (name == null) parentSide.invalidateAll();
    else parentSide.invalidateSubtree(name);
  }

  /** The parent-side copies of delegations, for an operator to read (never to write). */
  public RRsetCache parentSide() {
    return parentSide;
  }

  public long upstreamQueries() {
    return servers.upstreamCounters().queries.sum();
  }

  /** Upstream queries that got no reply within the server timeout. */
  public long upstreamTimeouts() {
    return servers.upstreamCounters().timeouts.sum();
  }

  /** Upstream queries that got a reply. */
  public long upstreamReplies() {
    return servers.upstreamCounters().replies.sum();
  }

  /** The round-trip times of the upstream queries that got a reply, added up. */
  public long upstreamRttNanos() {
    return servers.upstreamCounters().rttNanos.sum();
  }

  /** Questions failed at once because the servers of their zone had the bound of queries in flight. */
  public long refusedByZone() {
    return servers.upstreamCounters().zones.refused.sum();
  }

  /** Mutable per-name iteration state (one name, one thread at a time). */
  private static final class IterState {
    int referrals;
    boolean minimise;
    int minLabels;
    int minSteps;
    boolean wentUp;
  }

  /** The cached answer for a question (including via cached CNAMEs and the NXDOMAIN cut), or null. */
  public CachedAnswer lookup(Name name, int type) {
    return cache.lookup(name, type);
  }

  /** The stale (expired, within the serve-stale window) answer for a question, or null. */
  public CachedAnswer lookupStale(Name name, int type) {
    return cache.lookupStale(name, type);
  }

  /** Resolves a question; completes with the answer or exceptionally with {@link ResolutionFailure}. */
  public CompletableFuture<CachedAnswer> resolve(Name qname, int qtype, Resolution r) {
    return guard(() -> chase(qname, qtype, r, List.of(), 0, r.bypassCache(), r.cacheChecked()));
  }

  private CompletableFuture<CachedAnswer> chase(Name sname, int qtype, Resolution r,
      List<CachedRRset> prefix, int restarts, boolean bypass) {
    return chase(sname, qtype, r, prefix, restarts, bypass, false);
  }

  private CompletableFuture<CachedAnswer> chase(Name sname, int qtype, Resolution r,
      List<CachedRRset> prefix, int restarts, boolean bypass, boolean checked) {
    if (restarts > r.limits().maxCnameChain()) {
      throw ResolutionFailure.limit("CNAME/DNAME chain longer than " + r.limits().maxCnameChain());
    }
    if (!bypass) {
      CachedAnswer hit = checked ? null : cache.lookup(sname, qtype);
      if (hit != null) {
        return CompletableFuture.completedFuture(ResponseCache.concat(prefix, hit));
      }
      if (qtype != Type.CNAME) {
        CachedRRset cn = cache.cname(sname);
        if (cn != null) {
          return chase(((CNAMERecord) cn.rrset().first()).getTarget(), qtype, r, append(prefix, List.of(cn)),
              restarts + 1, false);
        }
      }
    }
    return iterate(sname, qtype, r).thenCompose(step -> guard(() -> {
      if (step.restartAt() != null) {
        List<CachedRRset> chain = append(prefix, step.chain());
        if (loops(chain, step.restartAt())) {
          if (synthesised(chain)) {
            // A DNAME whose target is its own owner maps every name below it onto itself: no
            // data can ever be reached, and the synthesised CNAME is no record of the zone to
            // hand the client. A loop is signalled as an error (RFC 1034 section 3.6.2);
            // Unbound answers NOERROR with the loop instead.
            throw new ResolutionFailure(ExtendedErrorCodeOption.OTHER,
                "DNAME loop: " + chain.get(chain.size() - 2).name() + " maps " + step.restartAt() + " onto itself");
          }
          // A CNAME to itself: give the client the chain as it is (NOERROR), as BIND and
          // Unbound do, instead of chasing it to the restart limit.
          return CompletableFuture.completedFuture(
              new CachedAnswer(AnswerKind.POSITIVE, Rcode.NOERROR, chain, List.of(), List.of(), ticker.read(), 0));
        }
        return chase(step.restartAt(), qtype, r, chain, restarts + 1, false);
      }
      return CompletableFuture.completedFuture(ResponseCache.concat(prefix, step.answer()));
    }));
  }

  /** A CNAME pointing at itself (longer loops run into the chain limit: SERVFAIL). */
  private static boolean loops(List<CachedRRset> chain, Name target) {
    CachedRRset last = chain.isEmpty() ? null : chain.get(chain.size() - 1);
    return last != null && last.type() == Type.CNAME && last.name().equals(target);
  }

  /** True when the chain's last CNAME was synthesised from the DNAME before it. */
  private static boolean synthesised(List<CachedRRset> chain) {
    return chain.size() >= 2 && chain.get(chain.size() - 2).type() == Type.DNAME;
  }

  private static List<CachedRRset> append(List<CachedRRset> a, List<CachedRRset> b) {
    List<CachedRRset> out = new ArrayList<>(a.size() + b.size());
    out.addAll(a);
    out.addAll(b);
    return out;
  }

  private CompletableFuture<Step> iterate(Name sname, int qtype, Resolution r) {
    Delegation first = finder.find(sname, qtype);
    CompletableFuture<Step> f = start(first, sname, qtype, r, null);
    if (DelegationFinder.isConfigured(first) && config.fallbackZones().contains(first.zone())) {
      // forward-first / stub-first: when the configured servers fail, iterate as usual.
      return f.exceptionallyCompose(err -> {
        ResolutionFailure limit = limitOf(err);
        if (limit != null) return CompletableFuture.failedFuture(limit);
        return guard(() -> start(finder.find(sname, qtype, first.zone()), sname, qtype, r, first.zone()));
      });
    }
    return f;
  }

  private CompletableFuture<Step> start(Delegation dp, Name sname, int qtype, Resolution r, Name skip) {
    if (DelegationFinder.isRootHints(dp)) {
      return primeRoot(r).thenCompose(v -> guard(() -> iterateFrom(finder.find(sname, qtype, skip), sname, qtype, r)));
    }
    return iterateFrom(dp, sname, qtype, r);
  }

  /**
   * RFC 8109 priming: ask a hint server for the root NS set (with glue) before the first use
   * of the root, so the current root servers are used rather than a possibly stale hints file.
   * One priming query at a time; after a failure the hints are used for a while.
   */
  private CompletableFuture<Void> primeRoot(Resolution r) {
    long now = ticker.read();
    CompletableFuture<Void> current = priming.get();
    if (current != null && (!current.isDone() || now - primeRetryAfter < 0)) {
      return current;
    }
    CompletableFuture<Void> mine = new CompletableFuture<>();
    if (!priming.compareAndSet(current, mine)) {
      return priming.get();
    }
    guard(() -> servers.query(finder.rootHints(), Name.root, Type.NS, r)).whenComplete((resp, err) -> {
      if (resp != null && resp.classification() instanceof Classification.Answer a) {
        for (RRset rr : a.response().chain()) {
          cache.store(rr, Trust.AUTHORITY_AA);
        }
        for (RRset rr : a.response().additional()) {
          cache.store(rr, Trust.ADDITIONAL);
        }
      } else {
        LOG.debug("root priming failed, using the hints: {}", err == null ? resp.classification() : err.toString());
      }
      primeRetryAfter = ticker.read() + PRIME_RETRY_NANOS;
      mine.complete(null);
    });
    return mine;
  }

  private CompletableFuture<Step> iterateFrom(Delegation dp, Name sname, int qtype, Resolution r) {
    IterState st = new IterState();
    st.minimise = config.qnameMinimisation() && !dp.forwarding();
    return descend(dp, sname, qtype, r, st);
  }

  private CompletableFuture<Step> descend(Delegation dp, Name sname, int qtype, Resolution r, IterState st) {
    if (r.pastDeadline(ticker.read())) {
      throw new ResolutionFailure(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY,
          "resolution of " + sname + " timed out");
    }
    Name qsend = sname;
    int tsend = qtype;
    boolean minimised = false;
    if (st.minimise && !dp.forwarding()) {
      int want = Math.max(st.minLabels, dp.zone().labels() + 1);
      if (want < sname.labels() && st.minSteps < r.limits().maxMinimiseSteps()) {
        // RFC 9156 section 3: reveal one label more than the zone cut, ask for A (not NS:
        // some servers mishandle NS at non-apex names).
        qsend = new Name(sname, sname.labels() - want);
        tsend = Type.A;
        minimised = true;
        st.minSteps++;
      }
    }
    final Name q = qsend;
    final int t = tsend;
    final boolean min = minimised;
    return servers.query(dp, q, t, r).handle((resp, err) -> guard(() -> {
      if (err != null) {
        ResolutionFailure f = ResolutionFailure.of(err);
        if (min && !f.isLimit() && !config.qnameMinimisationStrict()) {
          // RFC 9156 section 2.3 (relaxed mode): servers that fail minimised queries get the full
          // name. Strict mode never reveals it: the failure stands.
          st.minimise = false;
          return descend(dp, sname, qtype, r, st);
        }
        if (!f.isLimit() && !st.wentUp && needsFreshGlue(dp) && !dp.zone().equals(Name.root)) {
          // Every server of a cached delegation failed: its NS set or glue may be stale, so ask
          // the parent's servers again for a fresh referral (once per name).
          st.wentUp = true;
          Delegation parent = finder.find(dp.zone(), Type.DS);
          if (!parent.zone().equals(dp.zone())) {
            return descend(parent, sname, qtype, r, st);
          }
        }
        throw f;
      }
      Classification c = resp.classification();
      if (c instanceof Classification.Referral ref) {
        cache.cacheReferral(ref, dp);
        if (++st.referrals > r.limits().maxReferralDepth()) {
          throw ResolutionFailure.limit("referral depth over " + r.limits().maxReferralDepth());
        }
        Delegation next = finder.fromNs(ref.ns().getName(), ref.ns().rrs(false));
        return descend(next, sname, qtype, r, st);
      }
      if (min && config.qnameMinimisationStrict()) {
        // Strict mode (Unbound qname-minimisation-strict): an NXDOMAIN for an ancestor is final
        // for every name below it (RFC 8020), any other error ends the resolution; the full name
        // is never sent to make up for it.
        if (c instanceof Classification.NxDomain) {
          return CompletableFuture.completedFuture(cache.finish(c, dp, sname, qtype));
        }
        if (c instanceof Classification.ErrorAnswer e) {
          throw new ResolutionFailure(ExtendedErrorCodeOption.OTHER, "minimised query " + q + " answered "
              + Rcode.string(e.response().rcode()) + " (QNAME minimisation strict, RFC 9156)");
        }
      }
      if (min) {
        if (c instanceof Classification.NxDomain || c instanceof Classification.ErrorAnswer) {
          // RFC 9156 section 2.3: an NXDOMAIN for a minimised name would end the resolution
          // (RFC 8020), but without DNSSEC it cannot be told from a broken server that fails
          // names it does not know as "empty non-terminals"; like Unbound (relaxed mode) the
          // full name is asked instead.
          st.minimise = false;
        } else {
          // No zone cut at q: reveal one more label (RFC 9156 section 3).
          st.minLabels = q.labels() + 1;
        }
        return descend(dp, sname, qtype, r, st);
      }
      return CompletableFuture.completedFuture(cache.finish(c, dp, sname, qtype));
    })).thenCompose(f -> f);
  }

  /**
   * A cached delegation that failed for want of addresses: none was known at the start (every
   * NS name had to be looked up, and none worked), or in-zone NS names had no glue, which only
   * the parent can give. Servers that answered badly (lame) are no reason to go up.
   */
  private static boolean needsFreshGlue(Delegation dp) {
    if (dp.servers().isEmpty()) return true;
    for (Name ns : dp.unresolved()) {
      if (ns.subdomain(dp.zone())) return true;
    }
    return false;
  }

  /** The addresses of a name server named without glue, looked up as a question of its own. */
  private CompletableFuture<List<InetSocketAddress>> resolveAddresses(Name ns, Resolution r) {
    CompletableFuture<List<InetSocketAddress>> v4 = config.queriesIpv4Servers()
        ? addressesOf(ns, Type.A, r) : CompletableFuture.completedFuture(List.of());
    return v4.thenCompose(list -> {
      if (!list.isEmpty() || !config.useIpv6()) {
        return CompletableFuture.completedFuture(list);
      }
      return addressesOf(ns, Type.AAAA, r);
    });
  }

  private CompletableFuture<List<InetSocketAddress>> addressesOf(Name ns, int type, Resolution r) {
    return resolve(ns, type, r).handle((ans, err) -> {
      if (err != null) {
        ResolutionFailure limit = limitOf(err);
        if (limit != null) throw limit;
        return List.<InetSocketAddress>of();
      }
      List<InetSocketAddress> out = new ArrayList<>();
      for (CachedRRset rr : ans.answer()) {
        for (Record rec : rr.rrset().rrs(false)) {
          InetAddress addr = rec instanceof ARecord a ? a.getAddress()
              : rec instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
          if (addr != null && finder.allowedLearnt(addr)) out.add(new InetSocketAddress(addr, finder.port()));
        }
      }
      return out;
    });
  }
}
