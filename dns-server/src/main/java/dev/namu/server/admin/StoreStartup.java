package dev.namu.server.admin;

import dev.namu.server.config.AdminConfig;
import dev.namu.server.pipeline.UpdateHandler;
import dev.namu.zones.store.ZoneStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zone store opened off namud's start-up path. Opening it (the connection pool, H2, Flyway's
 * schema check) takes longer than binding the sockets, so namud answers from its zone files first
 * and this opens the store on its own thread meanwhile; once open, the
 * stored zones are published over the file zones (one atomic swap of the zone set) and then UPDATE
 * and the admin API start. Until then the names of stored zones get SERVFAIL
 * ({@link PendingStoredZones}) and UPDATE gets SERVFAIL ({@link UpdatesWhenReady}).
 */
public final class StoreStartup implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreStartup.class);

  /** One new daemon thread per task: there are two tasks, once, at start. */
  private static final Executor STORE_THREAD = task -> {
    Thread t = new Thread(task, "namud-store");
    t.setDaemon(true);
    t.start();
  };

  /** Longest a failed start waits for the store to finish opening before it closes it. */
  private static final Duration STORE_CLOSE_WAIT = Duration.ofSeconds(10);

  /** Completed when the store may begin to open (namud answers by then). */
  private final CompletableFuture<Void> go;
  private final CompletableFuture<ZoneStore> store;
  private final CompletableFuture<AdminServices> admin = new CompletableFuture<>();
  private final PendingStoredZones pending;
  private final UpdatesWhenReady updates = new UpdatesWhenReady();
  private final long startedNanos = System.nanoTime();
  private volatile boolean adminStarted;

  private StoreStartup(CompletableFuture<Void> go, CompletableFuture<ZoneStore> store, PendingStoredZones pending) {
    this.go = go;
    this.store = store;
    this.pending = pending;
  }

  /**
   * The store of this configuration, opened on its own thread once {@link #open} is called: namud
   * binds its sockets first, so its zone files are answered before the store (pool, H2, Flyway
   * and the JIT work they bring) takes the other core of a small machine.
   */
  public static StoreStartup begin(AdminConfig config, StoreOpener opener) {
    PendingStoredZones pending = PendingStoredZones.atStart(config);
    CompletableFuture<Void> go = new CompletableFuture<>();
    return new StoreStartup(go, go.thenApplyAsync(v -> opener.open(config), STORE_THREAD), pending);
  }

  /** Starts opening the store, on its own thread; returns at once. */
  public void open() {
    go.complete(null);
  }

  /** Names of stored zones while they are not served yet. */
  public PendingStoredZones pending() {
    return pending;
  }

  /** UPDATE: SERVFAIL until live editing runs. */
  public UpdateHandler updates() {
    return updates;
  }

  /**
   * When the store is open, runs {@code start} on the store thread with the store and a callback
   * to run once the stored zones are published; returns at once. Call at most once.
   */
  public void thenStart(BiFunction<ZoneStore, Runnable, AdminServices> start) {
    adminStarted = true;
    store.whenCompleteAsync((opened, failure) -> {
      if (failure != null) {
        admin.completeExceptionally(unwrap(failure));
        return;
      }
      try {
        AdminServices services = start.apply(opened, pending::storeLoaded);
        updates.ready(services);
        pending.storeLoaded();
        log.info("zone store ready {} ms after it began to open: stored zones served, UPDATE{} on",
            (System.nanoTime() - startedNanos) / 1_000_000,
            services.apiAddress().map(a -> " and the admin API").orElse(""));
        admin.complete(services);
      } catch (RuntimeException | Error e) {
        admin.completeExceptionally(e);
      }
    }, STORE_THREAD);
  }

  /** True once the store is open, its zones published and live editing runs; never blocks. */
  public boolean ready() {
    return admin.isDone() && !admin.isCompletedExceptionally();
  }

  /**
   * Waits until live editing runs.
   *
   * @throws IllegalStateException (with a one-line reason) or another runtime exception when the
   *     store could not be opened or live editing not started
   */
  public AdminServices await() {
    try {
      return admin.join();
    } catch (CompletionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /**
   * Stops live editing, waiting for the store to finish opening if it still is (so it is closed
   * cleanly); never throws for a store that failed to open.
   */
  @Override
  public void close() {
    if (go.cancel(false)) {
      return; // never began to open: nothing to close
    }
    if (!adminStarted) {
      // Start-up failed before live editing was started (a port namud cannot bind, say). Wait for
      // the store to finish opening and close it here: left to itself it would still be opening
      // as the JVM exits, and H2's exit hook would close the database under the pool, which then
      // logs an error with a stack trace after namud's one-line reason.
      try {
        store.handle((opened, failure) -> {
          if (opened != null) {
            opened.close();
          }
          return null;
        }).get(STORE_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.debug("zone store not closed cleanly after a failed start", e);
      }
      return;
    }
    admin.handle((services, failure) -> {
      if (services != null) {
        services.close();
      }
      return null;
    }).join();
  }
}
