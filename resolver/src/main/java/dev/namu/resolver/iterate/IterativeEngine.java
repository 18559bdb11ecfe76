package dev.namu.resolver.iterate;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.cache.AnswerCache;
import dev.namu.resolver.cache.AnswerKind;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import dev.namu.resolver.cache.InfraCache;
import dev.namu.resolver.cache.RRsetCache;
import dev.namu.resolver.cache.TtlPolicy;
import dev.namu.resolver.cache.Trust;
import dev.namu.resolver.scrub.ScrubbedResponse;
import dev.namu.resolver.scrub.Scrubber;
import dev.namu.resolver.transport.UpstreamException;
import dev.namu.resolver.transport.UpstreamTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Resolves one name by iteration (RFC 1034 section 5.3.3) or forwarding: cache first, then
 * the closest delegation, following referrals, resolving glueless name-server names, chasing
 * CNAME/DNAME across zones, with QNAME minimisation (RFC 9156). Everything is asynchronous
 * and never blocks: continuations run on whatever thread completes the upstream reply.
 */
public final class IterativeEngine {
  private static final Logger LOG = LoggerFactory.getLogger(IterativeEngine.class);

  private final ResolverConfig config;
  private final UpstreamTransport transport;
  private final RRsetCache rrsets;
  private final AnswerCache answers;
  private final InfraCache infra;
  private final Ticker ticker;
  private final Random random;
  private final TtlPolicy ttlPolicy;
  private final DelegationFinder finder;
  /** Glue as the parent gave it in referrals, kept apart from the child's data. */
  private final RRsetCache parentSide;
  private final LongAdder upstreamQueries = new LongAdder();
  private final dev.namu.resolver.scrub.PrivateAddressFilter privateFilter;
  private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Void>> priming =
      new java.util.concurrent.atomic.AtomicReference<>();
  /** After a priming attempt, the next one waits this long (root NS TTL governs success). */
  private static final long PRIME_RETRY_NANOS = 60_000_000_000L;
  private volatile long primeRetryAfter;

  public IterativeEngine(ResolverConfig config, UpstreamTransport transport, RRsetCache rrsets,
      AnswerCache answers, InfraCache infra, Ticker ticker, Random random) {
    this.config = config;
    this.transport = transport;
    this.rrsets = rrsets;
    this.answers = answers;
    this.infra = infra;
    this.ticker = ticker;
    this.random = random;
    this.ttlPolicy = new TtlPolicy(config.minTtl(), config.maxTtl(), config.maxNegativeTtl());
    this.privateFilter = new dev.namu.resolver.scrub.PrivateAddressFilter(config.privateAddresses(), config.privateDomains());
    this.parentSide = new RRsetCache(ticker, Math.max(1000, config.cacheMaxEntries() / 10), 0, 0);
    this.finder = new DelegationFinder(config, rrsets, parentSide);
  }

  /** Drops the parent-side glue (the other caches are flushed by their owner). */
  public void flush(Name name) {
    if (name == null) parentSide.invalidateAll();
    else parentSide.invalidateSubtree(name);
  }

  public long upstreamQueries() {
    return upstreamQueries.sum();
  }

  /** One step of iteration for a name: a final answer, or a CNAME/DNAME chain to restart from. */
  private record Step(CachedAnswer answer, List<CachedRRset> chain, Name restartAt) {
    static Step done(CachedAnswer a) {
      return new Step(a, List.of(), null);
    }
  }

  /** A usable (non-lame) reply from one server. */
  private record Response(ScrubbedResponse scrubbed, Classification classification, InetSocketAddress server) {}

  /** Mutable per-name iteration state (one name, one thread at a time). */
  private static final class IterState {
    int referrals;
    boolean minimise;
    int minLabels;
    int minSteps;
    boolean wentUp;
  }

  // ---------------------------------------------------------------- cache lookups

  /** The cached answer for a question (including via cached CNAMEs and the NXDOMAIN cut), or null. */
  public CachedAnswer lookup(Name name, int type) {
    return lookup(name, type, 0);
  }

  private CachedAnswer lookup(Name name, int type, int depth) {
    CachedAnswer a = answers.get(name, type);
    if (a != null) {
      return a;
    }
    CachedAnswer nx = answers.nxdomainCovering(name);
    if (nx != null) {
      return nx;
    }
    CachedRRset rr = rrsets.get(name, type);
    if (rr != null && rr.trust().answerable()) {
      return CachedAnswer.positive(List.of(rr), List.of(), List.of());
    }
    if (type != Type.CNAME && depth < config.limits().maxCnameChain()) {
      CachedRRset cn = rrsets.get(name, Type.CNAME);
      if (cn != null && cn.trust().answerable()) {
        CachedAnswer rest = lookup(((CNAMERecord) cn.rrset().first()).getTarget(), type, depth + 1);
        if (rest != null) {
          return concat(List.of(cn), rest);
        }
      }
    }
    return null;
  }

  /** The stale (expired, within the serve-stale window) answer for a question, or null. */
  public CachedAnswer lookupStale(Name name, int type) {
    CachedAnswer a = answers.getAny(name, type);
    if (a != null) {
      return a;
    }
    CachedRRset rr = rrsets.getStale(name, type);
    if (rr != null && rr.trust().answerable()) {
      return CachedAnswer.positive(List.of(rr), List.of(), List.of());
    }
    return null;
  }

  private static CachedAnswer concat(List<CachedRRset> prefix, CachedAnswer rest) {
    if (prefix.isEmpty()) {
      return rest;
    }
    List<CachedRRset> all = new ArrayList<>(prefix.size() + rest.answer().size());
    all.addAll(prefix);
    all.addAll(rest.answer());
    long exp = rest.expiresAtNanos();
    long ttl = rest.ttlSeconds();
    for (CachedRRset r : prefix) {
      if (r.expiresAtNanos() - exp < 0) exp = r.expiresAtNanos();
      ttl = Math.min(ttl, r.ttlSeconds());
    }
    return new CachedAnswer(rest.kind(), rest.rcode(), all, rest.authority(), rest.additional(), exp, ttl);
  }

  // ---------------------------------------------------------------- resolution

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
      CachedAnswer hit = checked ? null : lookup(sname, qtype);
      if (hit != null) {
        return CompletableFuture.completedFuture(concat(prefix, hit));
      }
      if (qtype != Type.CNAME) {
        CachedRRset cn = rrsets.get(sname, Type.CNAME);
        if (cn != null && cn.trust().answerable()) {
          return chase(((CNAMERecord) cn.rrset().first()).getTarget(), qtype, r, append(prefix, List.of(cn)),
              restarts + 1, false);
        }
      }
    }
    return iterate(sname, qtype, r).thenCompose(step -> guard(() -> {
      if (step.restartAt() != null) {
        List<CachedRRset> chain = append(prefix, step.chain());
        if (loops(chain, step.restartAt())) {
          // A CNAME to itself: give the client the chain as it is (NOERROR), as BIND and
          // Unbound do, instead of chasing it to the restart limit.
          return CompletableFuture.completedFuture(
              new CachedAnswer(AnswerKind.POSITIVE, Rcode.NOERROR, chain, List.of(), List.of(), ticker.read(), 0));
        }
        return chase(step.restartAt(), qtype, r, chain, restarts + 1, false);
      }
      return CompletableFuture.completedFuture(concat(prefix, step.answer()));
    }));
  }

  /** A CNAME pointing at itself (longer loops run into the chain limit: SERVFAIL). */
  private static boolean loops(List<CachedRRset> chain, Name target) {
    CachedRRset last = chain.isEmpty() ? null : chain.get(chain.size() - 1);
    return last != null && last.type() == Type.CNAME && last.name().equals(target);
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
    guard(() -> query(finder.rootHints(), Name.root, Type.NS, r)).whenComplete((resp, err) -> {
      if (resp != null && resp.classification() instanceof Classification.Answer a) {
        for (RRset rr : a.response().chain()) {
          store(rr, Trust.AUTHORITY_AA);
        }
        for (RRset rr : a.response().additional()) {
          store(rr, Trust.ADDITIONAL);
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
    return query(dp, q, t, r).handle((resp, err) -> guard(() -> {
      if (err != null) {
        ResolutionFailure f = ResolutionFailure.of(err);
        if (min && !f.isLimit()) {
          // RFC 9156 section 2.3 (relaxed mode): servers that fail minimised queries get the full name.
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
        cacheReferral(ref);
        if (++st.referrals > r.limits().maxReferralDepth()) {
          throw ResolutionFailure.limit("referral depth over " + r.limits().maxReferralDepth());
        }
        Delegation next = finder.fromNs(ref.ns().getName(), ref.ns().rrs(false));
        return descend(next, sname, qtype, r, st);
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
      return CompletableFuture.completedFuture(finish(c, dp, sname, qtype));
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

  private Step finish(Classification c, Delegation dp, Name sname, int qtype) {
    if (c instanceof Classification.Answer a) {
      return Step.done(cacheAnswer(sname, qtype, a.response(), dp));
    }
    if (c instanceof Classification.CnameRestart cr) {
      List<CachedRRset> chain = cacheChain(cr.response(), dp);
      return new Step(null, chain, cr.response().finalName());
    }
    if (c instanceof Classification.NxDomain nx) {
      return Step.done(cacheNegative(sname, qtype, nx.response(), true, dp));
    }
    if (c instanceof Classification.NoData nd) {
      return Step.done(cacheNegative(sname, qtype, nd.response(), false, dp));
    }
    if (c instanceof Classification.ErrorAnswer e) {
      List<CachedRRset> chain = cacheChain(e.response(), dp);
      return Step.done(new CachedAnswer(AnswerKind.ERROR, e.response().rcode(), chain, List.of(), List.of(),
          ticker.read(), 0));
    }
    throw new ResolutionFailure(ExtendedErrorCodeOption.OTHER, "unexpected reply classification " + c);
  }

  // ---------------------------------------------------------------- servers

  private CompletableFuture<Response> query(Delegation dp, Name qname, int qtype, Resolution r) {
    ServerPlan plan = new ServerPlan(dp, infra, random);
    return tryNext(plan, qname, qtype, r);
  }

  private CompletableFuture<Response> tryNext(ServerPlan plan, Name qname, int qtype, Resolution r) {
    Delegation dp = plan.delegation();
    InetSocketAddress server = plan.next();
    if (server == null) {
      Name ns;
      while (!dp.forwarding() && (ns = plan.nextUnresolved()) != null) {
        if (!r.startTarget(ns)) {
          continue; // already being resolved for this question: a dependency cycle
        }
        List<InetSocketAddress> known = cachedServers(ns);
        if (!known.isEmpty()) {
          // Addresses learnt meanwhile (glue of another referral): no lookup needed.
          plan.add(known);
          return tryNext(plan, qname, qtype, r);
        }
        r.chargeNsName();
        final Name target = ns;
        return resolveAddresses(ns, r).thenCompose(addrs -> guard(() -> {
          // When the name-server name does not resolve, fall back to parent-side glue picked
          // up while trying (Unbound does the same: the parent's glue is the last resort).
          plan.add(addrs.isEmpty() ? cachedServers(target) : addrs);
          return tryNext(plan, qname, qtype, r);
        }));
      }
      if (plan.retryTimedOut()) {
        return tryNext(plan, qname, qtype, r);
      }
      if (!dp.forwarding() && plan.claimParentSide()) {
        // Every server failed: try the parent's glue for the NS names, where it differs from
        // what the child said (parent/child address mismatch, Unbound's parent-side fallback).
        // The parent's NS set too, when the child's differs (Unbound's parent-side NS).
        List<Name> names = new ArrayList<>(dp.nsNames());
        CachedRRset parentNs = parentSide.getStale(dp.zone(), Type.NS);
        if (parentNs != null) {
          for (Record rec : parentNs.rrset().rrs(false)) {
            Name n = ((org.xbill.DNS.NSRecord) rec).getTarget();
            if (!names.contains(n)) names.add(n);
          }
        }
        List<InetSocketAddress> parent = new ArrayList<>();
        for (Name n : names) {
          List<java.net.InetAddress> addrs = new ArrayList<>(finder.parentSideAddresses(n));
          if (!dp.nsNames().contains(n)) addrs.addAll(finder.cachedAddresses(n));
          if (addrs.isEmpty() && !dp.nsNames().contains(n)) plan.addUnresolved(n);
          for (java.net.InetAddress a : addrs) parent.add(new InetSocketAddress(a, finder.port()));
        }
        plan.add(parent);
        return tryNext(plan, qname, qtype, r);
      }
      if (plan.fallback != null) {
        return CompletableFuture.completedFuture((Response) plan.fallback);
      }
      throw new ResolutionFailure(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY,
          "no server for " + dp.zone() + " gave a usable answer for " + qname + "/" + Type.string(qtype));
    }
    boolean edns = !infra.state(server.getAddress()).noEdns();
    UpstreamTransport.Protocol protocol = dp.forwarding() && config.forwardOverTcp()
        ? UpstreamTransport.Protocol.TCP : UpstreamTransport.Protocol.UDP;
    return exchange(server, qname, qtype, dp, r, edns, protocol)
        .handle((reply, err) -> guard(() -> {
          if (err != null) {
            ResolutionFailure limit = limitOf(err);
            if (limit != null) throw limit;
            LOG.debug("{} for {}/{}: {}", server, qname, Type.string(qtype), rootCause(err).getMessage());
            if (rootCause(err) instanceof UpstreamException ue && ue.kind() == UpstreamException.Kind.TIMEOUT) {
              plan.timedOut(server);
            }
            return tryNext(plan, qname, qtype, r);
          }
          ScrubbedResponse sr = privateFilter.apply(Scrubber.scrub(reply, qname, qtype, dp.zone(), config.maxNsPerRrset()));
          Classification c = Classification.of(sr, dp);
          if (c instanceof Classification.Lame lame) {
            LOG.debug("{} is lame for {}: {}", server, dp.zone(), lame.why());
            infra.markLame(dp.zone(), server.getAddress());
            if (lame.fallback() != null && plan.fallback == null) {
              plan.fallback = new Response(sr, lame.fallback(), server);
            }
            return tryNext(plan, qname, qtype, r);
          }
          return CompletableFuture.completedFuture(new Response(sr, c, server));
        })).thenCompose(f -> f);
  }

  private static ResolutionFailure limitOf(Throwable err) {
    Throwable c = rootCause(err);
    return c instanceof ResolutionFailure f && f.isLimit() ? f : null;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) c = c.getCause();
    return c;
  }

  /**
   * One exchange with one server: UDP with EDNS, over TCP when truncated (RFC 7766 section 5),
   * without EDNS when the server rejects it (RFC 6891 section 7).
   */
  private CompletableFuture<Message> exchange(InetSocketAddress server, Name qname, int qtype, Delegation dp,
      Resolution r, boolean edns, UpstreamTransport.Protocol protocol) {
    return guard(() -> {
      r.chargeUpstreamQuery();
      upstreamQueries.increment();
      Message q = newQuery(qname, qtype, dp.forwarding(), edns);
      long t0 = ticker.read();
      return transport.send(server, q, protocol, config.serverTimeout()).handle((reply, err) -> guard(() -> {
        if (err != null) {
          Throwable c = rootCause(err);
          if (c instanceof UpstreamException ue && ue.kind() == UpstreamException.Kind.TIMEOUT
              || !(c instanceof ResolutionFailure)) {
            infra.recordTimeout(server.getAddress());
          }
          return CompletableFuture.<Message>failedFuture(c);
        }
        infra.recordReply(server.getAddress(), Math.max(0, (ticker.read() - t0) / 1_000_000L));
        if (reply.getHeader().getFlag(Flags.TC)) {
          if (protocol == UpstreamTransport.Protocol.UDP) {
            return exchange(server, qname, qtype, dp, r, edns, UpstreamTransport.Protocol.TCP);
          }
          // Truncated over TCP cannot be completed: a broken server (RFC 7766 section 8).
          return CompletableFuture.<Message>failedFuture(new UpstreamException(UpstreamException.Kind.NETWORK,
              server + ": truncated reply over TCP"));
        }
        int rc = reply.getRcode();
        if (edns && reply.getOPT() == null
            && (rc == Rcode.FORMERR || rc == Rcode.NOTIMP)) {
          infra.recordNoEdns(server.getAddress());
          return exchange(server, qname, qtype, dp, r, false, protocol);
        }
        return CompletableFuture.completedFuture(reply);
      })).thenCompose(f -> f);
    });
  }

  private Message newQuery(Name qname, int qtype, boolean recursionDesired, boolean edns) {
    // ID 0 here: the transport sets a random one (RFC 5452); Message.newQuery would draw one
    // from dnsjava's shared SecureRandom only for it to be overwritten.
    Message q = new Message(0);
    q.getHeader().setOpcode(org.xbill.DNS.Opcode.QUERY);
    if (recursionDesired) {
      q.getHeader().setFlag(Flags.RD);
    }
    q.addRecord(Record.newRecord(qname, qtype, DClass.IN), Section.QUESTION);
    if (edns) {
      q.addRecord(new OPTRecord(config.ednsBufferSize(), 0, 0, 0), Section.ADDITIONAL);
    }
    return q;
  }

  private List<InetSocketAddress> cachedServers(Name ns) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (java.net.InetAddress a : finder.cachedAddresses(ns)) out.add(new InetSocketAddress(a, finder.port()));
    return out;
  }

  private CompletableFuture<List<InetSocketAddress>> resolveAddresses(Name ns, Resolution r) {
    CompletableFuture<List<InetSocketAddress>> v4 = config.useIpv4()
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
          java.net.InetAddress addr = rec instanceof ARecord a ? a.getAddress()
              : rec instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
          if (addr != null && finder.allowedLearnt(addr)) out.add(new InetSocketAddress(addr, finder.port()));
        }
      }
      return out;
    });
  }

  // ---------------------------------------------------------------- caching

  private CachedRRset store(RRset rrset, Trust trust) {
    return rrsets.put(new CachedRRset(rrset, trust, ticker.read(), ttlPolicy.positive(rrset.getTTL())));
  }

  private void cacheReferral(Classification.Referral ref) {
    store(ref.ns(), Trust.AUTHORITY);
    parentSide.put(new CachedRRset(ref.ns(), Trust.AUTHORITY, ticker.read(), ttlPolicy.positive(ref.ns().getTTL())));
    for (RRset glue : ref.response().additional()) {
      store(glue, Trust.ADDITIONAL);
      parentSide.put(new CachedRRset(glue, Trust.ADDITIONAL, ticker.read(), ttlPolicy.positive(glue.getTTL())));
    }
  }

  private List<CachedRRset> cacheChain(ScrubbedResponse sr, Delegation dp) {
    Trust t = sr.authoritative() && !dp.forwarding() ? Trust.ANSWER_AA : Trust.ANSWER;
    List<CachedRRset> out = new ArrayList<>(sr.chain().size());
    for (RRset rr : sr.chain()) {
      out.add(store(rr, t));
    }
    return out;
  }

  /**
   * With promiscuous scrubbing (default), an NS set riding along with a positive answer that
   * names other servers than the delegation we followed is ignored: answering one name must
   * not re-point the zone's delegation as a side effect (a cache-poisoning path).
   */
  private boolean promiscuous(RRset ns, Delegation dp) {
    if (!config.scrubPromiscuous() || dp.nsNames().isEmpty()) return false;
    for (Record rec : ns.rrs(false)) {
      if (!dp.nsNames().contains(((org.xbill.DNS.NSRecord) rec).getTarget())) return true;
    }
    return false;
  }

  private CachedAnswer cacheAnswer(Name sname, int qtype, ScrubbedResponse sr, Delegation dp) {
    List<CachedRRset> chain = cacheChain(sr, dp);
    List<CachedRRset> auth = new ArrayList<>();
    List<CachedRRset> add = new ArrayList<>();
    // From forwarders these are only passed on (forward zones never use cached NS sets).
    java.util.Set<Name> glueFor = new java.util.HashSet<>();
    for (RRset rr : sr.authority()) {
      if (rr.getType() != Type.NS || promiscuous(rr, dp)) continue;
      auth.add(store(rr, sr.authoritative() && !dp.forwarding() ? Trust.AUTHORITY_AA : Trust.AUTHORITY));
      for (Record rec : rr.rrs(false)) glueFor.add(((org.xbill.DNS.NSRecord) rec).getTarget());
    }
    for (RRset rr : chain.isEmpty() ? List.<RRset>of() : sr.chain()) {
      if (rr.getType() != Type.NS) continue;
      for (Record rec : rr.rrs(false)) glueFor.add(((org.xbill.DNS.NSRecord) rec).getTarget());
    }
    for (RRset rr : sr.additional()) {
      if (!glueFor.contains(rr.getName())) continue;
      CachedRRset offered = new CachedRRset(rr, Trust.ADDITIONAL, ticker.read(), ttlPolicy.positive(rr.getTTL()));
      // With promiscuous scrubbing, glue riding along with an answer may confirm cached
      // addresses, never change them.
      CachedRRset kept = config.scrubPromiscuous() ? rrsets.putConfirming(offered) : rrsets.put(offered);
      if (kept != null) add.add(kept);
    }
    CachedAnswer a = config.minimalResponses()
        // Even minimal replies carry the addresses of the servers an NS answer names.
        ? CachedAnswer.positive(chain, List.of(), qtype == Type.NS ? add : List.of())
        : CachedAnswer.positive(chain, auth, add);
    if (servedFromRRsets(a, sname, qtype)) {
      // lookup() builds this very answer from the RRset cache: a copy in the answer cache would
      // cost a second entry and a second write per resolution (the answer cache keeps what the
      // RRsets alone cannot give: chains, negative answers, extra sections). A copy left from
      // an earlier, different answer would shadow the new one: it goes.
      if (answers.getAny(sname, qtype) != null) answers.invalidate(sname, qtype);
      return a;
    }
    answers.put(sname, qtype, a);
    return a;
  }

  /**
   * True when {@link #lookup} gives {@code a} from the RRset cache alone: one answerable RRset
   * owned by the question's name and of its type, with nothing in the other sections.
   */
  private static boolean servedFromRRsets(CachedAnswer a, Name sname, int qtype) {
    if (a.answer().size() != 1 || !a.authority().isEmpty() || !a.additional().isEmpty()) return false;
    CachedRRset rr = a.answer().get(0);
    return rr.type() == qtype && rr.trust().answerable() && rr.name().equals(sname);
  }

  private CachedAnswer cacheNegative(Name sname, int qtype, ScrubbedResponse sr, boolean nx, Delegation dp) {
    List<CachedRRset> chain = cacheChain(sr, dp);
    CachedAnswer neg = cacheNegative(sr.finalName(), qtype, sr, nx);
    return concat(chain, neg);
  }

  /** RFC 2308: NXDOMAIN by name, NODATA by name and type, TTL from the SOA (section 5). */
  private CachedAnswer cacheNegative(Name name, int qtype, ScrubbedResponse sr, boolean nx) {
    long now = ticker.read();
    RRset soa = sr.soa();
    AnswerKind kind = nx ? AnswerKind.NXDOMAIN : AnswerKind.NODATA;
    int rcode = nx ? Rcode.NXDOMAIN : Rcode.NOERROR;
    if (soa == null) {
      // RFC 2308 section 5: negative answers without SOA are not cached. The NS set the
      // server sent instead is passed on (non-minimal replies only).
      List<CachedRRset> auth = new ArrayList<>();
      List<CachedRRset> add = new ArrayList<>();
      if (!config.minimalResponses()) {
        for (RRset rr : sr.authority()) {
          if (rr.getType() == Type.NS) auth.add(new CachedRRset(rr, Trust.AUTHORITY, now, ttlPolicy.positive(rr.getTTL())));
        }
        for (RRset rr : sr.additional()) {
          add.add(new CachedRRset(rr, Trust.ADDITIONAL, now, ttlPolicy.positive(rr.getTTL())));
        }
      }
      return new CachedAnswer(kind, rcode, List.of(), auth, add, now, 0);
    }
    long ttl = ttlPolicy.negative((SOARecord) soa.first());
    CachedRRset soaEntry = new CachedRRset(soa, Trust.AUTHORITY_AA, now, ttl);
    CachedAnswer neg = new CachedAnswer(kind, rcode, List.of(), List.of(soaEntry), List.of(),
        soaEntry.expiresAtNanos(), ttl);
    if (ttl > 0) {
      answers.put(name, nx ? AnswerCache.NXDOMAIN_TYPE : qtype, neg);
    }
    return neg;
  }

  /** Runs {@code body}, turning a synchronous throw into a failed future. */
  private static <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
