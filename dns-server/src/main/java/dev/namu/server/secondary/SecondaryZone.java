package dev.namu.server.secondary;

import dev.namu.zones.edit.SerialNumber;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.StoreException;
import dev.namu.zones.store.StoredZone;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneWrite;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * One zone namud serves as a secondary, and the one writer of its copy: the SOA timers of RFC 1034
 * 4.3.5 (ask the primary's serial every refresh, every retry after a failure, stop serving after
 * expire without a success), transfers when the primary's serial is newer (RFC 1982 arithmetic),
 * the transferred zone validated as every snapshot is, kept in the store, then published (persist,
 * then publish). Refreshes of one zone run one at a time; a request that comes while one waits to
 * run joins it (a burst of NOTIFYs makes one check).
 */
final class SecondaryZone {
  private static final Logger log = LoggerFactory.getLogger(SecondaryZone.class);

  /** Retry interval before any copy is held, when there is no SOA to read one from. */
  static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  /** Shortest timer taken from an SOA: a refresh of 0 would ask the primary without pause. */
  static final Duration SHORTEST_TIMER = Duration.ofSeconds(1);

  private final SecondaryZoneConfig config;
  private final PrimaryClient client;
  private final ZoneStore store;
  private final ZoneRegistry registry;
  private final Function<Name, Optional<TSIG>> keys;
  private final ScheduledExecutorService timers;
  private final Runnable servedChanged;
  private final Consumer<ZoneSnapshot> published;
  private final Clock clock;
  private final AtomicBoolean queued = new AtomicBoolean();
  /** Set once the zone is no longer ours (a member dropped from its catalog): no more refreshes. */
  private volatile boolean discarded;

  private volatile SecondaryStatus status;
  /** Written under this; read by the query path without a lock. */
  private volatile boolean served;
  // guarded by this
  private ZoneSnapshot zone;
  private OptionalLong stored = OptionalLong.empty();
  private ScheduledFuture<?> nextRefresh;
  private ScheduledFuture<?> expiry;
  private long lastSuccessNanos;

  SecondaryZone(SecondaryZoneConfig config, PrimaryClient client, ZoneStore store, ZoneRegistry registry,
      Function<Name, Optional<TSIG>> keys, ScheduledExecutorService timers, Runnable servedChanged, Clock clock) {
    this(config, client, store, registry, keys, timers, servedChanged, copy -> {}, clock);
  }

  /** As above; {@code published} is told of each copy served (a catalog zone's members follow it). */
  SecondaryZone(SecondaryZoneConfig config, PrimaryClient client, ZoneStore store, ZoneRegistry registry,
      Function<Name, Optional<TSIG>> keys, ScheduledExecutorService timers, Runnable servedChanged,
      Consumer<ZoneSnapshot> published, Clock clock) {
    this.published = published;
    this.config = config;
    this.client = client;
    this.store = store;
    this.registry = registry;
    this.keys = keys;
    this.timers = timers;
    this.servedChanged = servedChanged;
    this.clock = clock;
    this.status = SecondaryStatus.initial(config.origin(), config.catalog());
  }

  Name origin() {
    return config.origin();
  }

  SecondaryStatus status() {
    return status;
  }

  /** True while the zone's names are answered from the copy held. */
  boolean served() {
    return served;
  }

  /**
   * Serves the copy kept in the store, if any (its expire time counted from now: when it was last
   * refreshed is not kept), then asks the primaries at once.
   */
  synchronized void start() {
    Optional<StoredZone> kept = store.load(origin());
    if (kept.isPresent()) {
      try {
        ZoneSnapshot copy = ZoneSnapshot.build(origin(), kept.get().records());
        stored = OptionalLong.of(kept.get().serial());
        publish(copy);
        status = status.withSerial(copy.serial()).with(RefreshState.FRESH);
        scheduleExpiry(copy);
        log.info("secondary zone {}: serving the stored copy, serial {}", origin(), copy.serial());
      } catch (ZoneValidationException e) {
        stored = OptionalLong.of(kept.get().serial());
        log.error("secondary zone {}: the stored copy is not valid ({}); transferring it again", origin(),
            e.getMessage());
      }
    }
    checkSoon();
  }

  /** Asks the primaries soon, once however often this is called before the check runs (NOTIFY). */
  void checkSoon() {
    if (!discarded && queued.compareAndSet(false, true)) {
      try {
        timers.execute(this::refresh);
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        // namud is stopping: no more checks
      }
    }
  }

  /** One refresh: runs on a secondary thread. */
  private synchronized void refresh() {
    queued.set(false);
    if (discarded) {
      return;
    }
    if (nextRefresh != null) {
      nextRefresh.cancel(false);
    }
    if (served) {
      // a zone not served (no copy yet, or expired) stays expired while it asks: its names get SERVFAIL
      status = status.with(RefreshState.REFRESHING);
    }
    String result;
    boolean ok;
    try {
      result = attempt();
      ok = true;
    } catch (RefreshFailure e) {
      result = e.getMessage();
      ok = false;
    } catch (RuntimeException e) {
      // never let one zone's surprise stop its timers
      result = "internal error: " + e;
      ok = false;
      log.error("secondary zone {}: refresh failed", origin(), e);
    }
    if (ok) {
      lastSuccessNanos = System.nanoTime();
      if (!served && zone != null) {
        publish(zone);
      }
      scheduleExpiry(zone);
      log.info("secondary zone {}: {}", origin(), result);
    } else {
      log.warn("secondary zone {}: refresh failed, {}; retrying in {} s", origin(), result,
          retry().toSeconds());
    }
    RefreshState state = served ? RefreshState.FRESH : RefreshState.EXPIRED;
    status = status.refreshed(clock.instant(), ok, result, state);
    Duration next = ok ? timer(zone == null ? FIRST_RETRY.toSeconds() : zone.soa().getRefresh()) : retry();
    nextRefresh = timers.schedule(this::checkSoon, next.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Duration retry() {
    return zone == null ? FIRST_RETRY : timer(zone.soa().getRetry());
  }

  private static Duration timer(long seconds) {
    return Duration.ofSeconds(Math.max(SHORTEST_TIMER.toSeconds(), seconds));
  }

  /** After a success: the zone expires its SOA expire time from now, unless a refresh succeeds again. */
  private void scheduleExpiry(ZoneSnapshot copy) {
    if (expiry != null) {
      expiry.cancel(false);
    }
    if (copy == null) {
      return;
    }
    long since = System.nanoTime();
    lastSuccessNanos = since;
    Duration expire = timer(copy.soa().getExpire());
    expiry = timers.schedule(() -> expire(since), expire.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** RFC 1034 4.3.5: past expire without a refresh, the data is no longer authoritative. */
  private synchronized void expire(long successAt) {
    if (lastSuccessNanos != successAt || !served) {
      return;
    }
    registry.update(set -> set.without(origin()));
    served = false;
    status = status.with(RefreshState.EXPIRED);
    servedChanged.run();
    log.error("secondary zone {}: expired, no refresh succeeded for {} s; SERVFAIL for its names until one does",
        origin(), zone.soa().getExpire());
  }

  /** Asks each primary in turn until one answers; returns what was done. */
  private String attempt() throws RefreshFailure {
    TSIG key = null;
    if (config.key().isPresent()) {
      key = keys.apply(config.key().get()).orElseThrow(() -> new RefreshFailure("the TSIG key "
          + config.key().get() + " is not in the keyring; add it with namuctl key add"));
    }
    List<String> failures = new ArrayList<>();
    for (InetSocketAddress primary : config.primaries()) {
      String from = primary.getAddress().getHostAddress() + "#" + primary.getPort();
      try {
        long serial = client.soaSerial(origin(), primary, key);
        if (zone != null && !SerialNumber.isNewer(serial, zone.serial())) {
          return "serial " + zone.serial() + " is current at " + from
              + (serial == zone.serial() ? "" : " (it serves " + serial + ", not newer)");
        }
        PrimaryClient.Transfer transfer = client.transfer(origin(), primary, key, zone == null ? -1 : zone.serial());
        return apply(transfer, from);
      } catch (IOException | ZoneTransferException e) {
        failures.add(from + ": " + e.getMessage());
      } catch (ZoneValidationException e) {
        failures.add(from + ": the zone transferred is not valid: " + e.getMessage());
      } catch (StoreException e) {
        failures.add(from + ": cannot keep the zone in the store: " + e.getMessage());
      }
    }
    throw new RefreshFailure(String.join("; ", failures));
  }

  private String apply(PrimaryClient.Transfer transfer, String from)
      throws ZoneValidationException, IOException {
    if (transfer instanceof PrimaryClient.Current) {
      return "serial " + zone.serial() + " is current at " + from;
    }
    if (transfer instanceof PrimaryClient.Whole whole) {
      ZoneSnapshot next = ZoneSnapshot.build(origin(), whole.records());
      store.commit(List.of(new ZoneWrite.Put(origin(), stored, next.serial(), next.records())), actor(from));
      stored = OptionalLong.of(next.serial());
      publish(next);
      return "AXFR from " + from + ", serial " + next.serial() + ", " + next.records().size() + " records";
    }
    List<ZoneTransferIn.Delta> deltas = ((PrimaryClient.Changes) transfer).deltas();
    // keyed by the record's text, TTL included: a changed TTL is a removal and an addition (RFC 1995)
    Map<String, Record> records = new LinkedHashMap<>();
    for (Record r : zone.records()) {
      records.put(r.toString(), r);
    }
    long at = zone.serial();
    for (ZoneTransferIn.Delta d : deltas) {
      if (d.start != at) {
        throw new IOException("IXFR difference starts at serial " + d.start + ", not at " + at);
      }
      for (Record r : d.deletes) {
        records.remove(r.toString());
      }
      for (Record r : d.adds) {
        records.put(r.toString(), r);
      }
      at = d.end;
    }
    ZoneSnapshot next = ZoneSnapshot.build(origin(), records.values());
    Map<String, Record> before = new LinkedHashMap<>();
    zone.records().forEach(r -> before.put(r.toString(), r));
    List<Record> removed = before.entrySet().stream().filter(e -> !records.containsKey(e.getKey()))
        .map(Map.Entry::getValue).toList();
    List<Record> added = records.entrySet().stream().filter(e -> !before.containsKey(e.getKey()))
        .map(Map.Entry::getValue).toList();
    if (stored.isPresent() && stored.getAsLong() == zone.serial()) {
      store.commit(List.of(new ZoneWrite.Patch(origin(), zone.serial(), next.serial(), removed, added)), actor(from));
    } else {
      store.commit(List.of(new ZoneWrite.Put(origin(), stored, next.serial(), next.records())), actor(from));
    }
    stored = OptionalLong.of(next.serial());
    publish(next);
    return "IXFR from " + from + ", serial " + next.serial() + ", " + removed.size() + " removed, "
        + added.size() + " added";
  }

  private static String actor(String from) {
    return "transfer from " + from;
  }

  /** Serves {@code next}: one atomic swap of the zone set, after it was kept in the store. */
  private void publish(ZoneSnapshot next) {
    zone = next;
    registry.update(set -> set.with(next));
    status = status.withSerial(next.serial());
    if (!served) {
      served = true;
      servedChanged.run();
    }
    published.accept(next);
  }

  /**
   * The zone is no longer ours (dropped from its catalog, or reset to be transferred anew, RFC 9432
   * 5.4): its timers stop, its names are no longer served and its copy is deleted from the store.
   */
  synchronized void discard() {
    discarded = true;
    stop();
    if (served) {
      registry.update(set -> set.without(origin()));
      served = false;
    }
    zone = null;
    OptionalLong held = stored.isPresent() ? stored
        : store.load(origin()).map(z -> OptionalLong.of(z.serial())).orElse(OptionalLong.empty());
    if (held.isPresent()) {
      try {
        store.commit(List.of(new ZoneWrite.Drop(origin(), held.getAsLong())), "catalog member dropped");
      } catch (StoreException e) {
        log.warn("secondary zone {}: its copy could not be deleted from the store: {}", origin(), e.getMessage());
      }
    }
    stored = OptionalLong.empty();
  }

  /** Stops the timers; the zone stays served as it is until namud stops. */
  synchronized void stop() {
    if (nextRefresh != null) {
      nextRefresh.cancel(false);
    }
    if (expiry != null) {
      expiry.cancel(false);
    }
  }

  /** A refresh that asked every primary and got the zone from none. */
  private static final class RefreshFailure extends Exception {
    RefreshFailure(String message) {
      super(message, null, false, false);
    }
  }
}
