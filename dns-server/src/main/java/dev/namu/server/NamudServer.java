package dev.namu.server;

import dev.namu.server.admin.AdminServices;
import dev.namu.server.admin.DataDirectory;
import dev.namu.server.admin.StoreOpener;
import dev.namu.server.admin.StoreStartup;
import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.auth.WireAnswers;
import dev.namu.server.views.ServedViews;
import dev.namu.server.auth.ResponseBuilder;
import dev.namu.server.auth.ResponseEncoder;
import dev.namu.server.config.InitialZones;
import dev.namu.server.config.ListenAddress;
import dev.namu.server.config.LogLevels;
import dev.namu.server.config.MetricsConfig;
import dev.namu.server.config.NamudCommandLine;
import dev.namu.server.config.ServerConfig;
import dev.namu.server.metrics.AnswerTimers;
import dev.namu.server.metrics.MetricsEndpoint;
import dev.namu.server.metrics.NamudMeters;
import dev.namu.server.pipeline.AnswerTimes;
import dev.namu.server.pipeline.Dispatcher;
import dev.namu.server.pipeline.QueryProcessor;
import dev.namu.server.pipeline.ReplyWriter;
import dev.namu.server.pipeline.ReplyCounters;
import dev.namu.server.pipeline.AnswerLookup;
import dev.namu.server.pipeline.RecursionHandler;
import dev.namu.server.pipeline.NotifyHandler;
import dev.namu.server.pipeline.UnloadedZones;
import dev.namu.server.catalog.CatalogPublisher;
import dev.namu.server.secondary.Secondaries;
import dev.namu.server.explain.Explainer;
import dev.namu.server.pipeline.Transfers;
import dev.namu.server.pipeline.ZoneRouter;
import dev.namu.server.transfer.Notifier;
import dev.namu.server.transfer.TransferCounters;
import dev.namu.server.transfer.TransferPolicies;
import dev.namu.server.transfer.ZoneTransfers;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import dev.namu.server.cookies.ServerCookies;
import dev.namu.server.querylog.QueryLog;
import dev.namu.server.config.RateLimitConfig;
import dev.namu.server.ratelimit.ResponseRateLimiter;
import dev.namu.server.config.ConfigSource;
import dev.namu.server.recursion.CurrentRecursion;
import dev.namu.server.recursion.RecursionConfig;
import dev.namu.server.reload.ServerReloader;
import dev.namu.server.recursion.ResolverRecursion;
import dev.namu.server.recursion.ResolverSettings;
import dev.namu.server.recursion.ServedDelegations;
import dev.namu.server.api.ApiEdits;
import dev.namu.server.api.CacheControl;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.CacheStats;
import dev.namu.resolver.Resolver;
import dev.namu.resolver.ResolverConfig;
import dev.namu.server.resolved.ResolvedAnswers;
import dev.namu.resolver.ResolverFactory;
import dev.namu.resolver.warmup.WarmingResolver;
import dev.namu.server.transport.EventLoops;
import dev.namu.server.transport.ListenFailure;
import dev.namu.server.transport.Listeners;
import dev.namu.server.tls.ServerTls;
import dev.namu.zones.lookup.AuthoritativeAnswer;
import dev.namu.zones.lookup.AuthoritativeAnswerer;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.registry.ZoneSet;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * A running namud: zones loaded, pipeline wired, UDP and TCP listening. This is where the object
 * graph is built, once; nothing in the server is static and mutable.
 */
public final class NamudServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NamudServer.class);

  /** How long close() waits for answers in flight before stopping the threads anyway. */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(3);

  private final ZoneRegistry registry;
  private final ReplyCounters counters;
  private final PreparedAnswers prepared;
  private final EventLoops loops;
  private final Listeners listeners;
  private final StoreStartup store;
  private final DataDirectory data;
  private final Optional<CurrentRecursion> recursion;
  private final Optional<MetricsEndpoint> metrics;
  private final Optional<QueryLog> queryLog;
  private final Optional<ServerTls> tls;
  private final ScheduledExecutorService transferThreads;
  private final TransferCounters transferCounters;
  private final java.util.concurrent.atomic.AtomicReference<CatalogPublisher> catalog;
  private boolean closed;

  private NamudServer(
      ZoneRegistry registry,
      ReplyCounters counters,
      PreparedAnswers prepared,
      EventLoops loops,
      Listeners listeners,
      StoreStartup store,
      DataDirectory data,
      Optional<CurrentRecursion> recursion,
      Optional<MetricsEndpoint> metrics,
      Optional<QueryLog> queryLog,
      Optional<ServerTls> tls,
      ScheduledExecutorService transferThreads,
      TransferCounters transferCounters,
      java.util.concurrent.atomic.AtomicReference<CatalogPublisher> catalog) {
    this.catalog = catalog;
    this.transferThreads = transferThreads;
    this.transferCounters = transferCounters;
    this.registry = registry;
    this.counters = counters;
    this.prepared = prepared;
    this.loops = loops;
    this.listeners = listeners;
    this.store = store;
    this.data = data;
    this.recursion = recursion;
    this.metrics = metrics;
    this.queryLog = queryLog;
    this.tls = tls;
  }

  /**
   * Starts namud with command-line flags ({@code --listen}, {@code --zones}, {@code --log-level}
   * ...).
   *
   * @throws NamudStartException with a one-line reason when a flag is bad, the zones directory is
   *     missing, or an address cannot be bound
   */
  public static NamudServer start(String... args) {
    ServerConfig config;
    try {
      config = NamudCommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      throw new NamudStartException(e.getMessage(), e);
    }
    return start(config);
  }

  /**
   * Starts namud and returns once it runs in full: answering, its stored zones published, UPDATE and
   * the admin API on.
   *
   * @throws NamudStartException with a one-line reason when it cannot start
   */
  public static NamudServer start(ServerConfig config) {
    return start(config, Ticker.systemTicker());
  }

  /**
   * As {@link #start(ServerConfig)}, with the clock of the resolver cache and of the copies of its
   * replies (tests count TTLs down on a manual clock).
   */
  public static NamudServer start(ServerConfig config, Ticker clock) {
    NamudServer server = launch(config, AdminServices::openStore, clock);
    server.awaitStore();
    return server;
  }

  /**
   * Starts namud and returns as soon as it answers from its zone files: the zone store opens on
   * another thread meanwhile (see {@link StoreStartup}); {@link #awaitStore()} waits for it.
   *
   * @throws NamudStartException with a one-line reason when a flag is bad, the zones directory is
   *     missing, or an address cannot be bound
   */
  public static NamudServer launch(ServerConfig config, StoreOpener opener) {
    return launch(config, opener, Ticker.systemTicker());
  }

  /** As {@link #launch(ServerConfig, StoreOpener)}, with the resolver's clock. */
  public static NamudServer launch(ServerConfig config, StoreOpener opener, Ticker clock) {
    return launch(config, ConfigSource.fixed(config), opener, clock);
  }

  /**
   * As {@link #launch(ServerConfig, StoreOpener)}; a reload reads the settings again from
   * {@code source} (the command line and config file {@code config} was read from).
   */
  public static NamudServer launch(ServerConfig config, ConfigSource source, StoreOpener opener) {
    return launch(config, source, opener, Ticker.systemTicker());
  }

  /** As {@link #launch(ServerConfig, ConfigSource, StoreOpener)}, with the resolver's clock. */
  public static NamudServer launch(ServerConfig config, ConfigSource source, StoreOpener opener, Ticker clock) {
    config.logLevel().ifPresent(LogLevels::applyRoot);
    // The certificate and key before anything is opened: a wrong file is one line and no side effect
    Optional<ServerTls> tls;
    try {
      tls = config.tls().enabled()
          ? Optional.of(ServerTls.load(config.tls().cert().get(), config.tls().key().get()))
          : Optional.empty();
    } catch (IllegalArgumentException e) {
      throw new NamudStartException(e.getMessage(), e);
    }
    // First of all: a data directory another namud holds, or whose store is lost, ends namud before
    // it loads zones or takes ports that the running one may need.
    DataDirectory data;
    try {
      data = DataDirectory.claim(config.admin());
    } catch (IllegalStateException e) {
      throw new NamudStartException(e.getMessage(), e);
    }
    Optional<QueryLog> queryLog;
    try {
      queryLog = config.queryLog().enabled() ? Optional.of(QueryLog.start(config.queryLog())) : Optional.empty();
    } catch (IllegalArgumentException e) {
      data.close();
      throw new NamudStartException(e.getMessage(), e);
    }
    // Zone transfers out and NOTIFY out: their own threads (journal reads, NOTIFYs), never a loop's
    TransferCounters transferCounters = new TransferCounters();
    TransferPolicies transferPolicies = new TransferPolicies(config.transfers().zones());
    ScheduledExecutorService transferThreads = transferThreads();
    // the registry tells each follower of each set published (NOTIFY, the catalog zone, the views),
    // which joins once it exists; the notifier reads the registry
    List<java.util.function.Consumer<ZoneSet>> followers = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<Notifier> notifier = new java.util.concurrent.atomic.AtomicReference<>();
    // and the catalog zone of the stored zones, once the store is open, looks again at each set
    java.util.concurrent.atomic.AtomicReference<CatalogPublisher> catalog = new java.util.concurrent.atomic.AtomicReference<>();
    ZoneSet zones;
    ZoneRegistry registry;
    Optional<CurrentRecursion> recursion;
    WireAnswers answers;
    try {
      zones = InitialZones.load(config.zonesDir(), config.recursion().localZones());
      registry = new ZoneRegistry(zones, set -> followers.forEach(f -> f.accept(set)));
      // the zones' prepared answers; the resolver's copies have a store of their own, bounded
      // by their share of --cache-size
      answers = new WireAnswers(registry::current, WireAnswers.DEFAULT_MAX_BYTES);
      recursion = startRecursion(config.recursion(), registry, clock);
    } catch (IllegalArgumentException e) {
      transferThreads.shutdownNow();
      queryLog.ifPresent(QueryLog::close);
      data.close();
      throw new NamudStartException(e.getMessage(), e);
    } catch (RuntimeException e) {
      transferThreads.shutdownNow();
      queryLog.ifPresent(QueryLog::close);
      data.close();
      throw e;
    }
    notifier.set(new Notifier(registry::current, transferPolicies, transferCounters, transferThreads));
    followers.add(set -> notifier.get().published(set));
    // a view's zone is not the one the journal describes: its IXFR gets the whole zone
    Transfers transfers = new ZoneTransfers(transferPolicies, transferCounters, transferThreads,
        zone -> config.views().isEmpty() || registry.current().zone(zone.origin()) == zone);
    // The store opens once the zone files are loaded and the sockets bound: opening it (pool, H2,
    // Flyway, and the JIT work they bring) on the other core would slow a big zone load on a small
    // machine (1M records on 2 cores: first answer ~15% later) and the first answers, and namud
    // answers from its zone files first either way.
    StoreStartup store = StoreStartup.begin(config.admin(), opener);
    // secondary zones: SERVFAIL for their names until a copy is served, NOTIFY answered from now
    Secondaries secondaries = new Secondaries(config.secondary(), registry, java.time.Clock.systemUTC());
    UnloadedZones unloaded = config.secondary().zones().isEmpty() ? store.pending()
        : qname -> store.pending().covers(qname) || secondaries.covers(qname);
    ReplyCounters counters = new ReplyCounters(queryLog.<java.util.function.LongSupplier>map(q -> q::dropped).orElse(null));
    ApiEdits edits = new ApiEdits();
    PreparedAnswers prepared = new PreparedAnswers(answers);
    Optional<PrometheusMeterRegistry> meterRegistry = config.metrics().listen()
        .map(a -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    AnswerTimes times = meterRegistry.<AnswerTimes>map(AnswerTimers::new).orElse(AnswerTimes.NONE);
    // split horizon: each view's zones and prepared answers (none configured: nothing on the hot path)
    ServedViews views = config.views().isEmpty() ? null
        : new ServedViews(config.views(), registry::current, PreparedAnswers.DEFAULT_MAX_BYTES);
    if (views != null) {
      followers.add(views::refresh);
    }
    QueryProcessor processor = processor(registry, zoneLookup(), prepared, counters, store.updates(),
        recursion.orElse(null), recursion.map(r -> r.current().copies()).orElse(null), unloaded,
        times, queryLog.orElse(null), config.rateLimit(),
        config.secondary().zones().isEmpty() ? null : secondaries, transfers, views);

    EventLoops loops = EventLoops.create(config.threads());
    List<InetSocketAddress> addresses =
        config.listen().stream().map(ListenAddress::socketAddress).toList();
    Listeners listeners;
    try {
      listeners =
          Listeners.open(
              loops, addresses, config.tcp(), processor, failure -> mayFail(failure, config));
    } catch (ListenFailure failure) {
      transferThreads.shutdownNow();
      abandon(loops, store, data, recursion, queryLog);
      throw new NamudStartException(describe(failure), failure);
    } catch (RuntimeException e) {
      transferThreads.shutdownNow();
      abandon(loops, store, data, recursion, queryLog);
      throw e;
    }
    try {
      if (tls.isPresent()) {
        listeners.addEncrypted(socketAddresses(config.tls().dot()), socketAddresses(config.tls().doh()), tls.get());
      }
    } catch (ListenFailure failure) {
      listeners.close();
      transferThreads.shutdownNow();
      abandon(loops, store, data, recursion, queryLog);
      throw new NamudStartException(describe(failure, failure.protocol().equals("TLS") ? "--listen-tls"
          : "--listen-https"), failure);
    } catch (RuntimeException e) {
      listeners.close();
      transferThreads.shutdownNow();
      abandon(loops, store, data, recursion, queryLog);
      throw e;
    }
    if (listeners.boundAddresses().isEmpty()) {
      listeners.close();
      transferThreads.shutdownNow();
      abandon(loops, store, data, recursion, queryLog);
      throw new NamudStartException("no address could be bound; choose one with --listen");
    }
    Optional<MetricsEndpoint> metrics;
    try {
      metrics = meterRegistry.isEmpty() ? Optional.empty()
          : startMetrics(config.metrics(), meterRegistry.get(), counters, edits, registry, listeners, recursion,
              store, secondaries, transferCounters);
    } catch (RuntimeException e) {
      listeners.close();
      transferThreads.shutdownNow();
      abandon(loops, store, data, recursion, queryLog);
      throw e;
    }
    store.open();
    ServerReloader reloader =
        new ServerReloader(source, config, listeners, recursion, tls, NamudServer::mayFail, NamudServer::describe);
    // Live editing once the store is open: stored zones published over the file zones, then the
    // admin API, UPDATE and reload.
    // namuctl explain routes a question as the pipeline does: the same lookup, recursion and zones
    Explainer explainer = new Explainer(registry,
        new ZoneRouter(zoneLookup(), recursion.orElse(null), new ResponseBuilder(), unloaded),
        recursion.orElse(null), views);
    store.thenStart((opened, published) -> {
      if (views != null) {
        views.load(opened);
      }
      AdminServices services = AdminServices.start(config.admin(), transferPolicies.watch(opened), registry,
          config.zonesDir(), counters, edits, recursion.map(r -> (CacheControl) r), () -> {
            published.run();
            opener.beforeEditsStart(config.admin());
          },
          Optional.of(reloader), Optional.of(explainer), secondaries, Optional.ofNullable(views),
          transferPolicies::reread);
      config.transfers().catalog().ifPresent(name -> {
        CatalogPublisher c = CatalogPublisher.start(name, services.store(), services.editor(), java.time.Clock.systemUTC());
        catalog.set(c);
        followers.add(c::published);
      });
      notifier.get().loaded(); // the stored zones are published and their transfer settings read
      return services;
    });
    for (InetSocketAddress a : listeners.boundAddresses()) {
      if (a.getAddress().isAnyLocalAddress()) {
        // without IP_PKTINFO a UDP reply leaves from the address the route picks, which on a
        // host with several addresses may not be the one the client asked, and it drops it
        log.warn(
            "listening on the wildcard {}: on a host with several addresses, UDP replies may come"
                + " from another address than asked; list each address with --listen instead",
            ListenAddress.format(a.getAddress(), a.getPort()));
      }
    }
    NamudServer server =
        new NamudServer(registry, counters, prepared, loops, listeners, store, data, recursion, metrics,
            queryLog, tls, transferThreads, transferCounters, catalog);
    // a renewed certificate (certbot, lego) is served to new connections without a reload
    tls.ifPresent(t -> t.watch(ServerTls.WATCH_EVERY));
    log.info(
        "namud serving {} zone(s) on {} ({}){}",
        zones.zones().size(),
        server.boundAddresses().stream()
            .map(a -> ListenAddress.format(a.getAddress(), a.getPort()))
            .collect(Collectors.joining(", ")),
        loops.epoll() ? "epoll" : "nio",
        store.pending().waiting()
            ? "; SERVFAIL for " + store.pending() + " until the zone store is open"
            : "");
    log.info("{}", describe(config.recursion()));
    if (tls.isPresent()) {
      log.info("DNS over TLS on {}, DNS over HTTPS on {}, certificate {}",
          listeners.tlsAddresses().isEmpty() ? "-" : formatted(listeners.tlsAddresses()),
          listeners.httpsAddresses().isEmpty() ? "-" : formatted(listeners.httpsAddresses()),
          tls.get().certificate().getSubjectX500Principal());
    }
    LoadedHeapRelease.afterStartup(registry::current, store::await);
    return server;
  }

  /**
   * Waits until the zone store is open and live editing runs.
   *
   * @throws NamudStartException with a one-line reason (the server closed) when the store cannot be
   *     opened
   */
  public void awaitStore() {
    try {
      store.await();
    } catch (IllegalStateException e) {
      close();
      throw new NamudStartException(e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Closes what a start that failed after its event loops were made had opened. */
  private static void abandon(EventLoops loops, StoreStartup store, DataDirectory data,
      Optional<CurrentRecursion> recursion, Optional<QueryLog> queryLog) {
    loops.close();
    store.close();
    data.close();
    recursion.ifPresent(r -> r.current().resolver().close());
    queryLog.ifPresent(QueryLog::close);
  }

  /**
   * The metrics and health listener, unless it is off. Ready (GET /ready) once the zone store is
   * open: the sockets are bound before this runs.
   */
  private static Optional<MetricsEndpoint> startMetrics(MetricsConfig config,
      PrometheusMeterRegistry meterRegistry, ReplyCounters counters, ApiEdits edits, ZoneRegistry registry,
      Listeners listeners, Optional<CurrentRecursion> recursion, StoreStartup store, Secondaries secondaries,
      TransferCounters transfers) {
    // the resolver of the moment: a reload makes a new one over the same caches and counters
    NamudMeters meters = new NamudMeters(meterRegistry, counters, registry::current,
        listeners::openConnections, edits,
        recursion.<Supplier<CacheStats>>map(r -> () -> r.current().resolver().stats()));
    meters.secondaryZones(secondaries);
    meters.transfers(transfers);
    InetSocketAddress address = config.listen().get();
    String where = ListenAddress.format(address.getAddress(), address.getPort());
    try {
      return Optional.of(MetricsEndpoint.open(address, meterRegistry, meters, store::ready));
    } catch (UncheckedIOException e) {
      String why = e.getCause().getMessage();
      if (!config.given()) {
        // the default address: a second namud on the host still serves DNS
        log.warn("no metrics: cannot listen on {} ({}); choose another with --metrics ADDR:PORT",
            where, why);
        return Optional.empty();
      }
      throw new NamudStartException("cannot serve metrics on " + where + " (" + why
          + "); choose another with --metrics ADDR:PORT, or --no-metrics", e);
    }
  }

  /** The resolver for names outside the zones, unless recursion is off. */
  private static Optional<CurrentRecursion> startRecursion(
      RecursionConfig config, ZoneRegistry registry, Ticker clock) {
    if (!config.enabled()) {
      return Optional.empty();
    }
    // names below a cut in a served zone are iterated from the cut, not the root
    ServedDelegations delegations = new ServedDelegations(registry::current, zoneLookup());
    Function<RecursionConfig, ResolverConfig> settings =
        c -> ResolverSettings.of(c).toBuilder().localDelegations(delegations).build();
    ResolverConfig resolverConfig;
    try {
      resolverConfig = settings.apply(config);
    } catch (IllegalArgumentException e) {
      throw new NamudStartException(e.getMessage(), e);
    }
    Resolver resolver = ResolverFactory.create(resolverConfig, clock);
    if (config.tuning().warmUp()) {
      // --warm-up on: the first recursive questions wait for the JIT's warm-up, so a fresh process
      // resolves on compiled code; a namud never asked to recurse never pays it
      resolver = WarmingResolver.of(resolver, resolverConfig);
    }
    ResolvedAnswers copies =
        new ResolvedAnswers(registry::current, config.replyCopyBytes(), config.replyCopyEntries(), clock);
    return Optional.of(new CurrentRecursion(new ResolverRecursion(resolver, config.acl(), copies, config.localZones()), settings));
  }

  private static String describe(RecursionConfig r) {
    if (!r.enabled()) {
      return "recursion off: names outside the zones get REFUSED";
    }
    String how =
        !r.forwarders().isEmpty()
            ? "forwarding to " + r.forwarders().size() + " resolver(s)"
            : r.rootHints().map(p -> "iterating from the root hints in " + p).orElse("iterating from the IANA roots");
    return "recursion on, " + how + (r.forwardZones().isEmpty() ? "" : ", " + r.forwardZones().size()
        + " forward zone(s)") + (r.upstreamPort() != 0 ? ", test mode: upstream port " + r.upstreamPort() : "")
        + "; allowed for " + r.acl().allowed();
  }

  /** The pipeline over a zone lookup alone: no UPDATE, no recursion; for tests and benchmarks. */
  public static QueryProcessor processor(
      ZoneRegistry registry, AnswerLookup lookup, PreparedAnswers prepared, ReplyCounters counters) {
    return processor(registry, lookup, prepared, counters, null, null, null, UnloadedZones.NONE,
        AnswerTimes.NONE, null, RateLimitConfig.off());
  }

  /**
   * The pipeline the server runs: {@code updates} answers UPDATE (null: NOTIMP), {@code recursion}
   * names outside the zones (null: REFUSED), {@code resolved} keeps the resolver's replies as wire
   * copies (null: none), names {@code unloaded} covers get SERVFAIL (stored zones while the store
   * opens), {@code times} learns how long the general path and the resolver take to answer,
   * {@code queryLog} gets every reply (null: no query log), and UDP replies to clients that may not
   * recurse are rate limited by {@code rateLimit} (when on). Every pipeline answers DNS cookies,
   * with a secret of its own.
   */
  public static QueryProcessor processor(
      ZoneRegistry registry,
      AnswerLookup lookup,
      PreparedAnswers prepared,
      ReplyCounters counters,
      dev.namu.server.pipeline.UpdateHandler updates,
      RecursionHandler recursion,
      ResolvedAnswers resolved,
      UnloadedZones unloaded,
      AnswerTimes times,
      QueryLog queryLog,
      RateLimitConfig rateLimit) {
    return processor(registry, lookup, prepared, counters, updates, recursion, resolved, unloaded, times, queryLog,
        rateLimit, null, null);
  }

  /**
   * As above; {@code notifies} answers NOTIFY (null: NOTIMP, namud is no secondary), and zone
   * transfers are as {@code transfers} allows them (null: none).
   */
  public static QueryProcessor processor(
      ZoneRegistry registry,
      AnswerLookup lookup,
      PreparedAnswers prepared,
      ReplyCounters counters,
      dev.namu.server.pipeline.UpdateHandler updates,
      RecursionHandler recursion,
      ResolvedAnswers resolved,
      UnloadedZones unloaded,
      AnswerTimes times,
      QueryLog queryLog,
      RateLimitConfig rateLimit,
      NotifyHandler notifies,
      Transfers transfers) {
    return processor(registry, lookup, prepared, counters, updates, recursion, resolved, unloaded, times, queryLog,
        rateLimit, notifies, transfers, null);
  }

  /** As above; a client in one of {@code views} (null: none) is answered from its view's zones. */
  public static QueryProcessor processor(
      ZoneRegistry registry,
      AnswerLookup lookup,
      PreparedAnswers prepared,
      ReplyCounters counters,
      dev.namu.server.pipeline.UpdateHandler updates,
      RecursionHandler recursion,
      ResolvedAnswers resolved,
      UnloadedZones unloaded,
      AnswerTimes times,
      QueryLog queryLog,
      RateLimitConfig rateLimit,
      NotifyHandler notifies,
      Transfers transfers,
      ServedViews views) {
    ResponseBuilder builder = new ResponseBuilder();
    // with the query log on, each resolution is traced, so its line lists its upstream queries
    ZoneRouter router = new ZoneRouter(lookup, recursion, builder, unloaded, queryLog != null);
    Dispatcher dispatcher = new Dispatcher(router, updates, notifies, transfers == null ? Transfers.NONE : transfers);
    ReplyWriter writer = new ReplyWriter(
        new ResponseEncoder(), counters, recursion == null ? client -> false : recursion::availableTo,
        queryLog, new ServerCookies());
    ResponseRateLimiter limiter = !rateLimit.enabled() ? null
        : new ResponseRateLimiter(rateLimit.rate(), rateLimit.slip(), rateLimit.window(), rateLimit.ipv4Prefix(),
            rateLimit.ipv6Prefix(), rateLimit.buckets(),
            // with no exempt range (the default) the check is a constant, not a walk of a list
            rateLimit.exempt().isEmpty() ? client -> false : rateLimit::exempts);
    return new QueryProcessor(registry::current, dispatcher, prepared, writer, resolved, times, limiter, views);
  }

  /** The threads of zone transfers out: IXFR's journal reads and NOTIFY out. */
  private static ScheduledExecutorService transferThreads() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "namu-transfer-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** The zones module's authoritative lookup. */
  public static AnswerLookup zoneLookup() {
    AuthoritativeAnswerer answerer = new AuthoritativeAnswerer();
    return new AnswerLookup() {
      @Override
      public Optional<AuthoritativeAnswer> answer(ZoneSet zones, Name qname, int qtype) {
        return answerer.answer(zones, qname, qtype);
      }

      @Override
      public Optional<AuthoritativeAnswer> answer(ZoneSet zones, Name qname, int qtype, boolean dnssecOk) {
        return answerer.answer(zones, qname, qtype, dnssecOk);
      }
    };
  }

  /**
   * ::1 is missing on hosts without IPv6 (many containers): when it is one of the default
   * addresses, or one of several given, namud goes on without it, with a warning.
   */
  private static boolean mayFail(ListenFailure failure, ServerConfig config) {
    return failure.reason() == ListenFailure.Reason.ADDRESS_NOT_AVAILABLE
        && failure.address().getAddress().isLoopbackAddress()
        && failure.address().getAddress() instanceof java.net.Inet6Address
        && config.listen().size() > 1;
  }

  private static String describe(ListenFailure f) {
    return describe(f, "--listen");
  }

  /** Why {@code f}'s address cannot be bound, and another to give to {@code flag}. */
  private static String describe(ListenFailure f, String flag) {
    java.net.InetAddress address = f.address().getAddress();
    int port = f.address().getPort();
    String where = ListenAddress.format(address, port);
    String why;
    String alternative;
    switch (f.reason()) {
      case PERMISSION_DENIED -> {
        why =
            port < 1024
                ? "permission denied: ports below 1024 need root or CAP_NET_BIND_SERVICE"
                : "permission denied";
        alternative = ListenAddress.format(address, port < 1024 ? 5353 : port + 1);
      }
      case ADDRESS_NOT_AVAILABLE -> {
        why = "address not available on this machine";
        alternative = ListenAddress.format(java.net.InetAddress.getLoopbackAddress(), port);
      }
      case ADDRESS_IN_USE -> {
        why = "address in use by another program";
        alternative = ListenAddress.format(address, port == 53 ? 5353 : port + 1);
      }
      default -> {
        why = f.getMessage();
        alternative = ListenAddress.format(address, port == 53 ? 5353 : port + 1);
      }
    }
    return "cannot listen on "
        + where
        + " ("
        + f.protocol()
        + ": "
        + why
        + "); choose another with "
        + flag
        + " "
        + alternative;
  }

  /** The addresses served, with actual ports: UDP and TCP share the port of each address. */
  public List<InetSocketAddress> boundAddresses() {
    return listeners.boundAddresses();
  }

  /** Where DNS over TLS is served, with actual ports; empty when it is off. */
  public List<InetSocketAddress> tlsAddresses() {
    return listeners.tlsAddresses();
  }

  /** Where DNS over HTTPS is served, with actual ports; empty when it is off. */
  public List<InetSocketAddress> httpsAddresses() {
    return listeners.httpsAddresses();
  }

  private static List<InetSocketAddress> socketAddresses(List<ListenAddress> listen) {
    return listen.stream().map(ListenAddress::socketAddress).toList();
  }

  private static String formatted(List<InetSocketAddress> addresses) {
    return addresses.stream().map(a -> ListenAddress.format(a.getAddress(), a.getPort()))
        .collect(Collectors.joining(", "));
  }

  /** Where metrics and health checks are served, with the actual port, unless they are off. */
  public Optional<InetSocketAddress> metricsAddress() {
    return metrics.map(MetricsEndpoint::address);
  }

  /** The zone set being served; publish a new one to change what is answered. */
  public ZoneRegistry zones() {
    return registry;
  }

  public ReplyCounters counters() {
    return counters;
  }

  /** Zone transfers served and NOTIFYs sent. */
  public TransferCounters transfers() {
    return transferCounters;
  }

  /** Replies held as prepared wire answers for the current zone set. */
  public long preparedAnswers() {
    return prepared.size();
  }

  /** The resolver behind recursion, when recursion is on. */
  public Optional<ResolverRecursion> recursion() {
    return recursion.map(CurrentRecursion::current);
  }

  /**
   * Live editing: the zone store, editor, admin API and reload; waits for the store to open when
   * the server was {@link #launch launched} and it still is.
   */
  public AdminServices admin() {
    return store.await();
  }

  /** Stops accepting queries, sends the answers in flight, then stops the threads. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Each step runs even when one before it fails: a step left out would keep threads, the store
    // or the data directory's lock, and a second close() does nothing.
    RuntimeException failure = null;
    failure = step(failure, () -> listeners.stop(DRAIN_TIMEOUT));
    failure = step(failure, () -> tls.ifPresent(ServerTls::close));
    failure = step(failure, () -> metrics.ifPresent(MetricsEndpoint::close));
    failure = step(failure, () -> loops.shutdown(Duration.ofMillis(50), DRAIN_TIMEOUT));
    failure = step(failure, transferThreads::shutdownNow);
    failure = step(failure, () -> Optional.ofNullable(catalog.get()).ifPresent(CatalogPublisher::close));
    failure = step(failure, store::close);
    failure = step(failure, data::close);
    // after the loops: answers in flight were written or dropped, so nobody waits on the resolver
    failure = step(failure, () -> recursion.ifPresent(r -> r.current().resolver().close()));
    // last: the replies written while the loops drained are logged, then flushed
    failure = step(failure, () -> queryLog.ifPresent(QueryLog::close));
    if (failure != null) {
      throw failure;
    }
    log.info("namud stopped");
  }

  /** Runs one step of {@link #close()}; a failure is kept (the first one, the rest suppressed). */
  private static RuntimeException step(RuntimeException failed, Runnable step) {
    try {
      step.run();
      return failed;
    } catch (RuntimeException e) {
      if (failed == null) {
        return e;
      }
      failed.addSuppressed(e);
      return failed;
    }
  }
}
