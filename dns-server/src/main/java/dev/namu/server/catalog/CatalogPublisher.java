package dev.namu.server.catalog;

import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import dev.namu.zones.registry.ZoneSet;
import dev.namu.zones.store.StoreException;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneVersion;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Publishes the catalog zone (RFC 9432) of namud's stored zones and keeps it up to date. Its members
 * are the stored zones (the zones the store holds and namud edits); zone files, secondary zones and
 * generated zones are not listed. Any publication of the zone set (an API create or delete, an
 * import, what another namud sharing the store wrote) makes it look again, a short while later on a
 * thread of its own, at the store's zones; when the list or a member's unique id changed, the
 * catalog is built anew with a newer serial and published beside the file zones
 * ({@link ZoneEditor#serveFiles}), from where it is transferred and notified as any zone is.
 */
public final class CatalogPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CatalogPublisher.class);

  /** From a publication to the look at the store: the rest of a burst of edits rides along. */
  static final long DELAY_MILLIS = 100;

  private final Name catalog;
  private final ZoneStore store;
  private final ZoneEditor editor;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean queued = new AtomicBoolean();
  // written by the publisher thread alone
  private Map<Name, String> members;
  private long serial;
  private boolean warned;

  private CatalogPublisher(Name catalog, ZoneStore store, ZoneEditor editor, Clock clock) {
    this.catalog = catalog;
    this.store = store;
    this.editor = editor;
    this.clock = clock;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "namu-catalog");
      t.setDaemon(true);
      return t;
    });
  }

  /** Publishes the catalog {@code catalog} of the stored zones now, and keeps it current from then on. */
  public static CatalogPublisher start(Name catalog, ZoneStore store, ZoneEditor editor, Clock clock) {
    CatalogPublisher publisher = new CatalogPublisher(catalog, store, editor, clock);
    // at once, so that the catalog is served (and notified) with the stored zones it lists
    publisher.lookSafely();
    return publisher;
  }

  /** A zone set was published: look at the stored zones soon. Never blocks. */
  public void published(ZoneSet set) {
    lookSoon(DELAY_MILLIS);
  }

  private void lookSoon(long delayMillis) {
    if (queued.compareAndSet(false, true)) {
      try {
        thread.schedule(this::lookSafely, delayMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopping) {
        queued.set(false);
      }
    }
  }

  private void lookSafely() {
    queued.set(false);
    try {
      look();
    } catch (StoreException e) {
      // the next publication looks again; the catalog served stays as it was
      log.warn("catalog {}: cannot read the stored zones ({}); the catalog served is unchanged", catalog,
          e.getMessage());
    } catch (RuntimeException e) {
      log.error("catalog {}: not updated", catalog, e);
    }
  }

  private void look() {
    Map<Name, String> now = new HashMap<>();
    for (ZoneVersion v : store.versions()) {
      Name origin = v.origin().canonicalize();
      // the editor's zones: a secondary's copy kept in the store is no stored zone of this namud's
      if (!origin.equals(catalog) && editor.zone(v.origin()).isPresent()) {
        now.put(origin, CatalogZone.memberId(origin, v.generation()));
      }
    }
    if (now.equals(members)) {
      return;
    }
    // RFC 1982: a newer serial for every change; seconds since 1970 keep it newer across restarts
    long next = Math.max((serial + 1) & 0xffffffffL, clock.instant().getEpochSecond() & 0xffffffffL);
    ZoneSnapshot zone;
    try {
      zone = CatalogZone.build(catalog, now, next);
    } catch (ZoneValidationException e) {
      log.error("catalog {}: cannot be built: {}", catalog, e.getMessage());
      return;
    }
    List<ZoneSnapshot> served = editor.serveFiles(List.of(zone), List.of()).served();
    if (served.isEmpty()) {
      if (!warned) {
        log.warn("catalog {}: a stored zone of that name is served, which wins; the catalog is not published",
            catalog);
        warned = true;
      }
      return;
    }
    members = Map.copyOf(now);
    serial = next;
    log.info("catalog {}: serial {}, {} member zone(s)", catalog, next, now.size());
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
