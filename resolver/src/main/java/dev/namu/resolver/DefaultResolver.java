package dev.namu.resolver;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.cache.AnswerCache;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.InfraCache;
import dev.namu.resolver.cache.RRsetCache;
import dev.namu.resolver.cache.RRsetKey;
import dev.namu.resolver.iterate.IterativeEngine;
import dev.namu.resolver.iterate.Resolution;
import dev.namu.resolver.iterate.ResolutionFailure;
import dev.namu.resolver.transport.UpstreamTransport;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The resolver: cache fast path, one upstream resolution per distinct question in flight,
 * prefetch of entries about to expire, serve-stale when upstreams fail, SERVFAIL with RFC 8914
 * errors otherwise. Thread-safe; holds no locks of its own (Caffeine and a concurrent map).
 */
final class DefaultResolver implements Resolver {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultResolver.class);
  /** Prefetch when less than this fraction of the original TTL remains (Unbound: 10%). */
  static final int PREFETCH_PERCENT = 10;
  /** Entries with shorter TTLs are not prefetched (churn for nothing). */
  static final long PREFETCH_MIN_TTL = 10;

  private final ResolverConfig config;
  private final UpstreamTransport transport;
  private final Ticker ticker;
  private final RRsetCache rrsets;
  private final AnswerCache answers;
  private final InfraCache infra;
  private final IterativeEngine engine;
  private final AnswerAssembler assembler;
  private final CacheView view;
  private final Random random;
  private final ConcurrentHashMap<RRsetKey, CompletableFuture<CachedAnswer>> inFlight;
  /** The resolutions started, per client, against {@link InFlightLimits}. */
  private final InFlightClients admitted;
  /**
   * Questions whose resolution just failed: RFC 9520 section 3.2 requires caching resolution
   * failures (at least 1 second; 5 seconds like Unbound) so clients retrying do not hammer
   * servers that are down.
   */
  private final com.github.benmanes.caffeine.cache.Cache<RRsetKey, ResolutionFailure> failures;
  private final LongAdder hits;
  private final LongAdder misses;
  private final LongAdder prefetches;
  private final LongAdder stale;
  private final LongAdder servfails;
  /** Judges answers (DNSSEC); null when validation is off or no trust anchor applies. */
  private final dev.namu.resolver.validate.Validator validator;
  /**
   * What validation found for cached data, by the cache entry judged (by identity: an entry is
   * judged once, and a hot answer costs one lookup here). A bogus verdict is kept for a minute
   * (Unbound's val-bogus-ttl), an unresolved one (the chain's lookups failed) for the seconds a
   * failed resolution is (RFC 9520 3.2), then the data is judged again.
   */
  private final com.github.benmanes.caffeine.cache.Cache<Object, dev.namu.resolver.validate.Verdict> verdicts;
  /** The NSEC ranges of secure name errors, which answer names inside them (RFC 8198). */
  private final dev.namu.resolver.validate.NsecRanges nsecRanges;
  /** The validator's threads (signature checks), shared by the resolvers reconfigured from this. */
  private final java.util.concurrent.ExecutorService validation;

  DefaultResolver(ResolverConfig config, UpstreamTransport transport, Ticker ticker, Random random) {
    this.config = config;
    this.transport = transport;
    this.ticker = ticker;
    this.random = random;
    this.inFlight = new ConcurrentHashMap<>();
    this.admitted = new InFlightClients();
    this.hits = new LongAdder();
    this.misses = new LongAdder();
    this.prefetches = new LongAdder();
    this.stale = new LongAdder();
    this.servfails = new LongAdder();
    long staleNanos = config.serveStale() ? config.staleWindow().toNanos() : 0;
    this.rrsets = new RRsetCache(ticker, config.cacheMaxEntries(), config.cacheMaxBytes(), staleNanos);
    this.answers = new AnswerCache(ticker, config.cacheMaxEntries(), config.cacheMaxBytes(), staleNanos);
    this.infra = new InfraCache(ticker, Math.max(1000, config.cacheMaxEntries() / 10));
    this.engine = new IterativeEngine(config, transport, rrsets, answers, infra, ticker, random);
    this.assembler = new AnswerAssembler(config.minimalResponses(), config.staleAnswerTtl());
    this.view = new CacheView(rrsets, engine.parentSide(), answers, infra, ticker);
    this.failures = com.github.benmanes.caffeine.cache.Caffeine.newBuilder().ticker(ticker)
        .executor(Runnable::run).maximumSize(Math.max(1000, config.cacheMaxEntries() / 10))
        .expireAfterWrite(FAILURE_TTL).build();
    this.verdicts = newVerdicts(ticker);
    this.validation = validationThreads();
    this.validator = validatorFor(config);
    this.nsecRanges = new dev.namu.resolver.validate.NsecRanges(
        (int) Math.min(Integer.MAX_VALUE, Math.max(1000, config.cacheMaxEntries() / 4)));
  }

  /** One thread a core: signature checks are CPU work that never waits. */
  private static java.util.concurrent.ExecutorService validationThreads() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return java.util.concurrent.Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), task -> {
      Thread t = new Thread(task, "namu-validate-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** How long a bogus verdict stands before the data is judged again (Unbound's val-bogus-ttl). */
  static final java.time.Duration BOGUS_TTL = java.time.Duration.ofSeconds(60);

  private static com.github.benmanes.caffeine.cache.Cache<Object, dev.namu.resolver.validate.Verdict> newVerdicts(
      Ticker ticker) {
    return com.github.benmanes.caffeine.cache.Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
        .weakKeys()
        .expireAfter(new com.github.benmanes.caffeine.cache.Expiry<Object, dev.namu.resolver.validate.Verdict>() {
          @Override
          public long expireAfterCreate(Object k, dev.namu.resolver.validate.Verdict v, long now) {
            // a chain that could not be looked up is a resolution failure, kept as long as one
            return v.unresolved() ? FAILURE_TTL.toNanos() : v.bogus() ? BOGUS_TTL.toNanos() : Long.MAX_VALUE;
          }

          @Override
          public long expireAfterUpdate(Object k, dev.namu.resolver.validate.Verdict v, long now, long left) {
            return expireAfterCreate(k, v, now);
          }

          @Override
          public long expireAfterRead(Object k, dev.namu.resolver.validate.Verdict v, long now, long left) {
            return left;
          }
        }).build();
  }

  /**
   * The validator for {@code config}: the configured anchors, else the root's built-in keys when
   * the resolver starts at the IANA root itself (a private root, or forwarders for every name,
   * stand for data the root's keys do not sign unless the operator says so); null when
   * validation is off or no anchor applies.
   */
  private dev.namu.resolver.validate.Validator validatorFor(ResolverConfig c) {
    DnssecConfig d = c.dnssec();
    if (!d.enabled()) return null;
    java.util.List<Record> anchors = d.trustAnchors();
    if (anchors.isEmpty()) {
      if (!c.rootHints().equals(RootHints.iana()) || c.forwardsEverything()) return null;
      anchors = dev.namu.resolver.validate.TrustAnchors.root();
    }
    // The chain's DS and DNSKEY lookups are part of the resolutions that need them, admitted
    // already: they are shared with any resolution of the same question and count against no bound.
    return new dev.namu.resolver.validate.Validator(d, anchors,
        q -> resolveShared(q.getName(), q.getType(), false, false, null, null, false), validation);
  }

  /** {@link #reconfigured}: everything but the configuration, its engine and assembler is shared. */
  private DefaultResolver(DefaultResolver previous, ResolverConfig config) {
    this.config = config;
    this.transport = previous.transport;
    this.ticker = previous.ticker;
    this.random = previous.random;
    this.inFlight = previous.inFlight;
    this.admitted = previous.admitted;
    this.hits = previous.hits;
    this.misses = previous.misses;
    this.prefetches = previous.prefetches;
    this.stale = previous.stale;
    this.servfails = previous.servfails;
    this.rrsets = previous.rrsets;
    this.answers = previous.answers;
    this.infra = previous.infra;
    this.failures = previous.failures;
    this.engine = previous.engine.reconfigured(config, transport, rrsets, answers, infra, random);
    this.assembler = new AnswerAssembler(config.minimalResponses(), config.staleAnswerTtl());
    this.view = previous.view;
    // Verdicts hold for the anchors they were reached with: new settings start afresh.
    boolean sameDnssec = config.dnssec().equals(previous.config.dnssec());
    this.verdicts = sameDnssec ? previous.verdicts : newVerdicts(ticker);
    this.validation = previous.validation;
    this.validator = validatorFor(config);
    this.nsecRanges = sameDnssec ? previous.nsecRanges : new dev.namu.resolver.validate.NsecRanges(
        (int) Math.min(Integer.MAX_VALUE, Math.max(1000, config.cacheMaxEntries() / 4)));
  }

  @Override
  public Resolver reconfigured(ResolverConfig next) {
    // Nothing of this resolver changes: a reload that prepares a resolver and is then refused
    // leaves the cache as it was. Failures remembered stay for their few seconds (RFC 9520 3.2).
    return new DefaultResolver(this, next);
  }

  /** How long a failed resolution is remembered (RFC 9520: 1 s to 5 min). */
  static final java.time.Duration FAILURE_TTL = java.time.Duration.ofSeconds(5);

  @Override
  public CompletionStage<Answer> resolve(Name name, int type) {
    return resolve(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
  }

  @Override
  public CompletionStage<Answer> resolve(Message query) {
    return resolve(query, null);
  }

  @Override
  public CompletionStage<Answer> resolve(Message query, UpstreamTrace trace) {
    return resolve(query, trace, null);
  }

  @Override
  public CompletionStage<Answer> resolve(Message query, UpstreamTrace trace, java.net.InetAddress client) {
    try {
      Answer bad = validate(query);
      if (bad != null) {
        return CompletableFuture.completedFuture(bad);
      }
      Record q = query.getQuestion();
      Name qname = q.getName();
      int qtype = q.getType();
      long now = ticker.read();
      CachedAnswer hit = engine.lookup(qname, qtype);
      if (hit != null) {
        hits.increment();
        maybePrefetch(qname, qtype, hit, now);
        if (trace != null) {
          trace.answeredFromCache(() -> cachedSets(hit, now));
        }
        return judged(query, hit, now, false);
      }
      CachedAnswer proven = provenAbsent(query, now);
      if (proven != null) {
        hits.increment();
        if (trace != null) {
          trace.answeredFromCache(() -> cachedSets(proven, now));
        }
        return CompletableFuture.completedFuture(fresh(proven, now, dnssecOk(query), Answer.Security.SECURE, true));
      }
      misses.increment();
      return resolveShared(qname, qtype, false, true, trace, client, true)
          .handle((answer, err) -> err != null ? CompletableFuture.completedFuture(answer(query, null, err))
              : judged(query, answer, ticker.read(), false))
          .thenCompose(a -> a);
    } catch (RuntimeException e) {
      LOG.warn("resolving {} failed unexpectedly: {}", query.getQuestion(), e.toString());
      servfails.increment();
      return CompletableFuture.completedFuture(
          Answer.servfail(ExtendedErrorCodeOption.OTHER, "internal error"));
    }
  }

  /** FORMERR/NOTIMP/REFUSED for what a resolver does not resolve; null when the query is fine. */
  private static Answer validate(Message query) {
    Record q = query.getQuestion();
    if (q == null) {
      return Answer.unresolved(Rcode.FORMERR);
    }
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      return Answer.unresolved(Rcode.NOTIMP);
    }
    if (q.getDClass() != DClass.IN) {
      return Answer.unresolved(Rcode.REFUSED);
    }
    int t = q.getType();
    if (t == Type.AXFR || t == Type.IXFR || t == Type.MAILA || t == Type.MAILB || t == Type.OPT) {
      return Answer.unresolved(t == Type.OPT ? Rcode.FORMERR : Rcode.NOTIMP);
    }
    return null;
  }

  /**
   * The answer to {@code query} from {@code a}, judged: with validation on, a client without CD
   * gets SERVFAIL for bogus data (RFC 4035 5.5) and the status of the rest; a client with CD
   * gets the data unjudged (RFC 4035 3.2.2), and its answer is not one for a server's copy, which
   * other clients would be given.
   *
   * @param inline judge on this thread (an answer is wanted at once, from keys proven already)
   */
  private CompletionStage<Answer> judged(Message query, CachedAnswer a, long now, boolean inline) {
    boolean dnssecOk = dnssecOk(query);
    boolean checkingDisabled = query.getHeader().getFlag(org.xbill.DNS.Flags.CD);
    if (validator == null || a.kind() == dev.namu.resolver.cache.AnswerKind.ERROR) {
      return CompletableFuture.completedFuture(fresh(a, now, dnssecOk, Answer.Security.UNCHECKED, false));
    }
    if (checkingDisabled) {
      return CompletableFuture.completedFuture(fresh(a, now, dnssecOk, Answer.Security.UNCHECKED, true));
    }
    Object key = verdictKey(a);
    dev.namu.resolver.validate.Verdict known = verdicts.getIfPresent(key);
    if (known != null) {
      return CompletableFuture.completedFuture(withVerdict(a, now, dnssecOk, known));
    }
    Record q = query.getQuestion();
    CompletionStage<dev.namu.resolver.validate.Verdict> verdict = inline
        ? validator.judgeInline(q.getName(), q.getType(), a) : validator.judge(q.getName(), q.getType(), a);
    return verdict.thenApply(v -> {
      verdicts.put(key, v);
      if (v.security() == Answer.Security.SECURE) {
        nsecRanges.add(a, ticker.read());
      }
      return withVerdict(a, ticker.read(), dnssecOk, v);
    });
  }

  /**
   * A secure name error for the query from the NSEC ranges already validated (RFC 8198 4), or
   * null: with validation on, for a client that did not set CD, outside negative trust anchors.
   */
  private CachedAnswer provenAbsent(Message query, long now) {
    Name qname = query.getQuestion().getName();
    if (validator == null || query.getHeader().getFlag(org.xbill.DNS.Flags.CD)
        || validator.underNegativeAnchor(qname)) {
      return null;
    }
    return nsecRanges.nxdomain(qname, now);
  }

  /**
   * The cache entry a verdict is kept for: the RRset itself when the answer is one RRset alone
   * (the cache builds such answers anew on each lookup around the same entry), else the answer.
   */
  private static Object verdictKey(CachedAnswer a) {
    return a.answer().size() == 1 && a.authority().isEmpty() && a.additional().isEmpty()
        ? a.answer().get(0) : a;
  }

  private Answer withVerdict(CachedAnswer a, long now, boolean dnssecOk, dev.namu.resolver.validate.Verdict v) {
    if (v.unresolved()) {
      servfails.increment();
      return Answer.servfail(v.edeCode(), v.reason());
    }
    if (v.bogus()) {
      servfails.increment();
      return new Answer(Rcode.SERVFAIL, java.util.List.of(), java.util.List.of(), java.util.List.of(),
          new Answer.ExtendedError(v.edeCode(), v.reason()), Answer.Security.BOGUS, true, -1);
    }
    return fresh(a, now, dnssecOk, v.security(), false);
  }

  /** True when the query has EDNS with the DO bit (RFC 3225). */
  private static boolean dnssecOk(Message query) {
    org.xbill.DNS.OPTRecord opt = query.getOPT();
    return opt != null && (opt.getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0;
  }

  private Answer answer(Message query, CachedAnswer answer, Throwable err) {
    long now = ticker.read();
    ResolutionFailure f = ResolutionFailure.of(err);
    Record q = query.getQuestion();
    if (config.serveStale()) {
      CachedAnswer old = engine.lookupStale(q.getName(), q.getType());
      // The caches keep expired entries for the window the resolver started with; a window
      // shortened since (a reload) is applied here (RFC 8767 section 4).
      if (old != null && now - old.expiresAtNanos() <= config.staleWindow().toNanos()) {
        stale.increment();
        return assembler.answer(old, now, true, -1, dnssecOk(query), Answer.Security.UNCHECKED);
      }
    }
    servfails.increment();
    LOG.debug("SERVFAIL for {}/{}: {}", q.getName(), Type.string(q.getType()), f.getMessage());
    return Answer.servfail(f.edeCode(), f.getMessage());
  }

  /**
   * The answer from a current cache entry, settled unless it is due for prefetch (a copy kept by
   * the server must not outlive the refresh the next asker would start).
   */
  private Answer fresh(CachedAnswer a, long now, boolean dnssecOk, Answer.Security security, boolean momentary) {
    boolean settled = !momentary && !(config.prefetch() && dueForPrefetch(a, now));
    return assembler.answer(a, now, false, settled ? a.remainingSeconds(now) : -1, dnssecOk, security);
  }

  /** The RRsets of a cache hit as a trace reports them: TTL left and trust. */
  private static java.util.List<UpstreamTrace.CachedSet> cachedSets(CachedAnswer hit, long now) {
    java.util.List<UpstreamTrace.CachedSet> out = new java.util.ArrayList<>();
    for (java.util.List<dev.namu.resolver.cache.CachedRRset> section : java.util.List.of(hit.answer(), hit.authority())) {
      for (dev.namu.resolver.cache.CachedRRset r : section) {
        out.add(new UpstreamTrace.CachedSet(r.name(), r.type(), r.remainingSeconds(now), r.trust().name()));
      }
    }
    return out;
  }

  /** One resolution per distinct question in flight; later askers share its future. */
  private CompletableFuture<CachedAnswer> resolveShared(Name qname, int qtype, boolean bypassCache) {
    return resolveShared(qname, qtype, bypassCache, false, null, null, true);
  }

  /** A resolution in flight, with the trace of the question that started it (or null). */
  private static final class Flight extends CompletableFuture<CachedAnswer> {
    private final UpstreamTrace trace;

    Flight(UpstreamTrace trace) {
      this.trace = trace;
    }
  }

  /**
   * @param cacheChecked the caller has just missed the cache for this question
   * @param trace records the upstream queries (null: none); a question that joins a resolution in
   *     flight is told so, and sees that resolution's trace
   * @param client whose bound a new resolution counts against (null: the total only)
   * @param admit false for work of a resolution admitted already (the validator's lookups)
   */
  private CompletableFuture<CachedAnswer> resolveShared(Name qname, int qtype, boolean bypassCache,
      boolean cacheChecked, UpstreamTrace trace, java.net.InetAddress client, boolean admit) {
    RRsetKey key = new RRsetKey(qname, qtype);
    CompletableFuture<CachedAnswer> mine = trace == null ? new CompletableFuture<>() : new Flight(trace);
    CompletableFuture<CachedAnswer> existing = inFlight.putIfAbsent(key, mine);
    if (existing != null) {
      if (trace != null) {
        trace.joined(existing instanceof Flight f ? f.trace : null);
      }
      return existing;
    }
    ResolutionFailure recent = failures.getIfPresent(key);
    if (recent != null) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(new ResolutionFailure(ExtendedErrorCodeOption.CACHED_ERROR,
          "recently failed: " + recent.getMessage()));
      return mine;
    }
    // Only a resolution of its own costs upstream: a question joined to one in flight (above) or
    // answered from the cache (the caller) is never refused.
    String refused = admit ? admitted.admit(client, config.inFlight()) : null;
    if (refused != null) {
      inFlight.remove(key, mine);
      mine.completeExceptionally(ResolutionFailure.overload(refused));
      return mine;
    }
    long deadline = ticker.read() + config.clientTimeout().toNanos();
    Resolution r = new Resolution(config.limits(), deadline, bypassCache, cacheChecked, trace);
    CompletableFuture<CachedAnswer> work;
    try {
      work = engine.resolve(qname, qtype, r);
    } catch (RuntimeException e) {
      work = CompletableFuture.failedFuture(e);
    }
    // No client waits longer than the overall timeout, whatever the upstreams do.
    work = work.toCompletableFuture().orTimeout(config.clientTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
          if (c instanceof java.util.concurrent.TimeoutException) {
            throw new ResolutionFailure(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY,
                "no answer within " + config.clientTimeout().toMillis() + " ms");
          }
          throw e instanceof RuntimeException re ? re : new java.util.concurrent.CompletionException(e);
        });
    work.whenComplete((a, e) -> {
      if (admit) {
        admitted.release(client);
      }
      if (e != null && !ResolutionFailure.of(e).isOverload()) failures.put(key, ResolutionFailure.of(e));
      inFlight.remove(key, mine);
      if (e != null) mine.completeExceptionally(e);
      else mine.complete(a);
    });
    return mine;
  }

  /** True when less than {@link #PREFETCH_PERCENT} of the answer's TTL is left. */
  private static boolean dueForPrefetch(CachedAnswer hit, long now) {
    if (hit.ttlSeconds() < PREFETCH_MIN_TTL) {
      return false;
    }
    long left = hit.expiresAtNanos() - now;
    return left * 100 <= hit.ttlSeconds() * 1_000_000_000L * PREFETCH_PERCENT;
  }

  private void maybePrefetch(Name qname, int qtype, CachedAnswer hit, long now) {
    if (!config.prefetch() || !dueForPrefetch(hit, now)) {
      return;
    }
    // One refresh at a time per question (the in-flight map); a failed refresh is retried by
    // the next hit inside the window, as Unbound does.
    if (!inFlight.containsKey(new RRsetKey(qname, qtype))) {
      prefetches.increment();
      resolveShared(qname, qtype, true).exceptionally(e -> null);
    }
  }

  @Override
  public Optional<Answer> cached(Message query) {
    Record q = query.getQuestion();
    if (q == null || validate(query) != null) {
      return Optional.empty();
    }
    long now = ticker.read();
    CachedAnswer hit = engine.lookup(q.getName(), q.getType());
    if (hit == null) {
      return Optional.empty();
    }
    hits.increment();
    maybePrefetch(q.getName(), q.getType(), hit, now);
    // A cached answer not yet judged is judged from cached keys when they are there; one whose
    // judgement needs an upstream query is no answer for a question that allows none.
    CompletableFuture<Answer> judged = judged(query, hit, now, true).toCompletableFuture();
    return judged.isDone() && !judged.isCompletedExceptionally() ? Optional.of(judged.join()) : Optional.empty();
  }

  @Override
  public void flush() {
    failures.invalidateAll();
    answers.invalidateAll();
    rrsets.invalidateAll();
    verdicts.invalidateAll();
    nsecRanges.clear();
    infra.invalidateAll();
    engine.flush(null);
  }

  @Override
  public void flush(Name name) {
    failures.asMap().keySet().removeIf(k -> k.name().subdomain(name));
    answers.invalidateSubtree(name);
    rrsets.invalidateSubtree(name);
    // the ranges are few and cheap to learn again; which of them cover the subtree is not worth it
    nsecRanges.clear();
    engine.flush(name);
  }

  @Override
  public CacheStats stats() {
    return new CacheStats(answers.size() + rrsets.size(), answers.weight() + rrsets.weight(),
        hits.sum(), misses.sum(), answers.evictions() + rrsets.evictions(), engine.upstreamQueries(),
        prefetches.sum(), stale.sum(), servfails.sum(), inFlight.size(), engine.upstreamTimeouts(),
        engine.upstreamReplies(), engine.upstreamRttNanos(), admitted.refusedClient.sum(),
        admitted.refusedTotal.sum(), engine.refusedByZone());
  }

  @Override
  public CacheDump cacheEntries(Name name) {
    return view.entries(name);
  }

  @Override
  public CacheDump cacheEntries(int limit) {
    return view.entries(limit);
  }

  @Override
  public java.util.List<InfraEntry> infra() {
    return view.infra();
  }

  /** Rejected upstream replies (RFC 5452 mismatches), for tests and metrics. */
  long rejectedReplies() {
    return transport.rejectedReplies();
  }

  @Override
  public void close() {
    validation.shutdownNow();
    transport.close();
  }
}
