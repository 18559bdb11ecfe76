package dev.namu.server.admin;

import dev.namu.server.config.AdminConfig;
import dev.namu.server.api.AdminApi;
import dev.namu.server.api.ApiEdits;
import dev.namu.server.api.ApiToken;
import dev.namu.server.sources.LanSources;
import dev.namu.server.api.CacheControl;
import dev.namu.server.api.ServerControl;
import dev.namu.server.explain.Explainer;
import dev.namu.server.intake.Request;
import dev.namu.server.pipeline.ReplyCounters;
import dev.namu.server.pipeline.UpdateHandler;
import dev.namu.server.reload.ServerReloader;
import dev.namu.server.reload.ZoneReloader;
import dev.namu.server.secondary.Secondaries;
import dev.namu.server.update.RequestSignature;
import dev.namu.server.update.TsigKeyring;
import dev.namu.server.update.UpdateResponder;
import dev.namu.server.views.ServedViews;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.StoreException;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.jdbc.JdbcStoreConfig;
import dev.namu.zones.store.jdbc.JdbcZoneStore;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/**
 * What live editing adds to a running namud once its zone store is open: the {@link ZoneEditor}
 * (publishing stored zones into the server's registry), TSIG keys and the UPDATE responder,
 * file-zone reload, and the admin API. {@code NamudServer}, where the server is wired, starts it
 * (through {@link StoreStartup}). Database work runs on its own threads, never on a DNS event loop.
 */
public final class AdminServices implements AutoCloseable, UpdateHandler {

  private static final Logger log = LoggerFactory.getLogger(AdminServices.class);
  /** Threads for UPDATE messages: they commit to the store, so they must not run on an event loop. */
  static final int UPDATE_THREADS = 2;

  private final ZoneStore store;
  private final ZoneEditor editor;
  private final UpdateResponder updates;
  private final TsigKeyring keyring;
  private final ZoneReloader reloader;
  private final Optional<ServerReloader> settings;
  private final Optional<AdminApi> api;
  private final ExecutorService updateThreads;
  private final Secondaries secondaries;
  private final Optional<SharedStoreFollower> follower;
  private final Optional<LanSources> sources;
  private final SigningUpkeep signing;

  private AdminServices(ZoneStore store, ZoneEditor editor, UpdateResponder updates, TsigKeyring keyring,
      ZoneReloader reloader, Optional<ServerReloader> settings, Optional<AdminApi> api,
      ExecutorService updateThreads, Secondaries secondaries, Optional<SharedStoreFollower> follower,
      Optional<LanSources> sources, SigningUpkeep signing) {
    this.signing = signing;
    this.secondaries = secondaries;
    this.follower = follower;
    this.sources = sources;
    this.store = store;
    this.editor = editor;
    this.updates = updates;
    this.keyring = keyring;
    this.reloader = reloader;
    this.settings = settings;
    this.api = api;
    this.updateThreads = updateThreads;
  }

  /**
   * Opens the store, publishes its zones over the file zones already in {@code registry}, and starts
   * the API.
   *
   * @param counters the pipeline's counts of packets and replies, for the status endpoint
   * @throws IllegalStateException with a one-line reason when an explicitly given data directory,
   *     store or API address cannot be used
   */
  public static AdminServices start(AdminConfig config, ZoneRegistry registry, Optional<Path> zonesDir,
      ReplyCounters counters, Optional<CacheControl> cache) {
    return start(config, openStore(config), registry, zonesDir, counters, new ApiEdits(), cache, () -> {},
        Optional.empty(), Optional.empty(), Secondaries.none());
  }

  /**
   * As above, with the store already open (namud opens it on another thread while it starts to
   * answer); {@code published} runs as soon as the stored zones are in {@code registry}, before the
   * API starts. On failure the store is closed. A reload reads the settings again through
   * {@code settings}; without it, the zone files alone. The API counts its zone edits in {@code edits};
   * {@code explainer} answers {@code GET /api/v1/explain} (empty: 501). The {@code secondaries}
   * keep their copies in the store, not the editor; they start once the file and stored zones are
   * served, and stop with the rest.
   */
  public static AdminServices start(AdminConfig config, ZoneStore store, ZoneRegistry registry,
      Optional<Path> zonesDir, ReplyCounters counters, ApiEdits edits, Optional<CacheControl> cache,
      Runnable published, Optional<ServerReloader> settings, Optional<Explainer> explainer,
      Secondaries secondaries) {
    return start(config, store, registry, zonesDir, counters, edits, cache, published, settings, explainer,
        secondaries, Optional.empty(), () -> {});
  }

  /**
   * As above; the records of {@code views} (loaded from {@code store} already) are edited through
   * the API's {@code view} parameter and by UPDATE signed with a key a view matches.
   * {@code transferSettingsChanged} reads the zones' transfer settings again when another namud
   * sharing the store ({@code --store-url}) changed them.
   */
  public static AdminServices start(AdminConfig config, ZoneStore store, ZoneRegistry registry,
      Optional<Path> zonesDir, ReplyCounters counters, ApiEdits edits, Optional<CacheControl> cache,
      Runnable published, Optional<ServerReloader> settings, Optional<Explainer> explainer,
      Secondaries secondaries, Optional<ServedViews> views, Runnable transferSettingsChanged) {
    Instant started = Instant.now();
    ZoneEditor editor;
    try {
      editor = ZoneEditor.open(store, registry, secondaries.transferred(store));
    } catch (RuntimeException e) {
      store.close();
      throw new IllegalStateException("cannot load the stored zones: " + e.getMessage(), e);
    }
    published.run();
    TsigKeyring keyring = new TsigKeyring(store);
    UpdateResponder updates = new UpdateResponder(editor, keyring::scope, views.orElse(null));
    ZoneReloader reloader = new ZoneReloader(zonesDir, registry, editor);
    reloader.adoptServedFileZones();
    // after the file zones were adopted: a secondary zone is none of them, a reload never drops it
    secondaries.start(store, keyring);
    // after the file zones are adopted: the generated zones are the sources', never the reload's
    Optional<LanSources> sources = LanSources.start(config.sources(), editor, registry, java.time.Clock.systemUTC());
    AtomicInteger n = new AtomicInteger();
    ExecutorService updateThreads = Executors.newFixedThreadPool(UPDATE_THREADS, r -> {
      Thread t = new Thread(r, "namu-update-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ServerControl control = new ServerControl() {
      @Override
      public ReloadReport reload() {
        return AdminServices.reload(settings, reloader);
      }

      @Override
      public Instant startedAt() {
        return started;
      }

      @Override
      public OptionalLong queriesAnswered() {
        return OptionalLong.of(counters.receivedCount());
      }

      @Override
      public Map<String, Object> counters() {
        return counters.snapshot();
      }

      @Override
      public Map<Name, Map<String, Object>> secondaryZones() {
        Map<Name, Map<String, Object>> out = new java.util.LinkedHashMap<>();
        secondaries.statuses().forEach(s -> out.put(s.origin(), s.fields()));
        return out;
      }

      @Override
      public Optional<ServedViews> views() {
        return views;
      }

      @Override
      public Map<String, Object> explain(String name, String type, String client) {
        return explainer.orElseThrow(() -> new UnsupportedOperationException("this namud does not explain its answers"))
            .explain(name, type, client, origin -> editor.zone(origin).isPresent(), reloader.zonesDir());
      }
    };
    Optional<AdminApi> api = Optional.empty();
    try {
      if (config.api().isPresent()) {
        api = startApi(config, store, editor, registry, keyring, control, cache, edits);
      }
    } catch (RuntimeException e) {
      secondaries.close();
      updateThreads.shutdownNow();
      sources.ifPresent(LanSources::close);
      store.close();
      throw e;
    }
    // A database given with --store-url may be shared with other namud: serve what they write too.
    Optional<SharedStoreFollower> follower = config.storeUrl().isPresent()
        ? Optional.of(SharedStoreFollower.start(store, editor, keyring, shared(store, views, transferSettingsChanged)))
        : Optional.empty();
    return new AdminServices(store, editor, updates, keyring, reloader, settings, api, updateThreads,
        secondaries, follower, sources, SigningUpkeep.start(editor, java.time.Clock.systemUTC()));
  }

  /** What a shared store holds besides zones and keys that the follower serves when another namud changed it. */
  private static List<SharedStoreFollower.Followed> shared(ZoneStore store, Optional<ServedViews> views,
      Runnable transferSettingsChanged) {
    List<SharedStoreFollower.Followed> kinds = new ArrayList<>();
    // the settings themselves: a few short rows for each zone that has any
    kinds.add(new SharedStoreFollower.Followed("transfer settings", store::transferSettings, transferSettingsChanged));
    // the views' records may be many: a count and a sum of ids, their records read only when it moved
    views.ifPresent(v -> kinds.add(new SharedStoreFollower.Followed("views' records", store::viewOverlaysVersion,
        () -> v.load(store))));
    return kinds;
  }

  /**
   * Opens the zone store of a configuration: the database given with {@code --store-url}, else the H2
   * file in the data directory ({@link DataDirectory#claim claimed} before), whose
   * {@link StoredZoneCatalog} it keeps up to date.
   *
   * @throws IllegalStateException with a one-line reason when the store cannot be opened
   */
  public static ZoneStore openStore(AdminConfig config) {
    JdbcStoreConfig jdbc = config.storeUrl()
        .map(url -> new JdbcStoreConfig(url, "", "", JdbcStoreConfig.DEFAULT_POOL_SIZE))
        .orElseGet(() -> JdbcStoreConfig.h2(config.dataDir()));
    JdbcZoneStore store;
    try {
      store = JdbcZoneStore.open(jdbc);
    } catch (StoreException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    if (config.storeUrl().isPresent()) {
      return store;
    }
    try {
      return CatalogedZoneStore.over(store, new StoredZoneCatalog(config.dataDir()));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static Optional<AdminApi> startApi(AdminConfig config, ZoneStore store, ZoneEditor editor,
      ZoneRegistry registry, TsigKeyring keyring, ServerControl control, Optional<CacheControl> cache,
      ApiEdits edits) {
    InetSocketAddress address = config.api().get();
    ApiToken token;
    try {
      token = ApiToken.loadOrCreate(config.dataDir());
    } catch (IOException e) {
      return apiFailure(config, "cannot read or create the API token in " + config.dataDir() + ": " + e.getMessage());
    }
    try {
      AdminApi api = AdminApi.start(address, token, editor, store, registry, keyring, control, cache,
          Clock.systemUTC(), config.apiLimits(), edits);
      log.info("admin API listening on http://{}:{}/api/v1/", api.address().getHostString(), api.address().getPort());
      return Optional.of(api);
    } catch (BindException e) {
      return apiFailure(config, "cannot listen for the admin API on " + address.getAddress().getHostAddress()
          + ":" + address.getPort() + " (" + e.getMessage() + "); choose another with --api ADDR:PORT");
    } catch (IOException e) {
      return apiFailure(config, "cannot start the admin API on " + address + ": " + e.getMessage());
    }
  }

  private static Optional<AdminApi> apiFailure(AdminConfig config, String message) {
    if (config.apiGiven() || config.dataGiven()) {
      throw new IllegalStateException(message);
    }
    log.warn("{}; the admin API is not running", message);
    return Optional.empty();
  }

  public ZoneEditor editor() {
    return editor;
  }

  public ZoneStore store() {
    return store;
  }

  /** The zones served as a secondary. */
  public Secondaries secondaries() {
    return secondaries;
  }

  /** The admin API's address, when it runs. */
  public Optional<InetSocketAddress> apiAddress() {
    return api.map(AdminApi::address);
  }

  /** Reloads the zone files alone. */
  public ZoneReloader reloader() {
    return reloader;
  }

  /**
   * Reads the settings and the zone files again and applies what changed (SIGHUP and
   * {@code namuctl server reload}).
   *
   * @throws ServerControl.ReloadRefused when the settings read cannot be used: nothing changed
   */
  public ServerControl.ReloadReport reload() {
    return reload(settings, reloader);
  }

  private static ServerControl.ReloadReport reload(Optional<ServerReloader> settings, ZoneReloader zones) {
    return settings.isPresent() ? settings.get().reload(zones) : zones.reload();
  }

  /** Applies one UPDATE off the event loop; completes with its reply's rcode. */
  @Override
  public CompletionStage<Integer> update(Request request) {
    return CompletableFuture.supplyAsync(
        () -> updates.respond(request.query(), request.signature(), request.peer().getAddress()),
        updateThreads);
  }

  /** Checks a signed query's TSIG with the keys UPDATE uses; cheap, so it runs on the event loop. */
  @Override
  public RequestSignature signature(Message query, byte[] packet) {
    return keyring.check(query, packet);
  }

  /** Reloads off the caller's thread (SIGHUP's: reload reads files); the outcome is logged. */
  public void reloadInBackground() {
    log.info("SIGHUP: reloading the settings and the zone files");
    CompletableFuture.runAsync(() -> {
      try {
        reload();
      } catch (ServerControl.ReloadRefused e) {
        // logged with its reason where it was refused
      } catch (RuntimeException e) {
        log.error("reload failed: {}", e.toString());
        log.debug("reload failure", e);
      }
    }, updateThreads);
  }

  @Override
  public void close() {
    signing.close();
    follower.ifPresent(SharedStoreFollower::close);
    api.ifPresent(AdminApi::close);
    secondaries.close();
    sources.ifPresent(LanSources::close);
    updateThreads.shutdown();
    try {
      updateThreads.awaitTermination(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }
}
