package dev.namu.server.admin;

import dev.namu.server.update.TsigKeyring;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.store.StoreException;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Serves what other namud write to a store they share with this one (--store-url): every
 * {@link #INTERVAL} it reads the version of every stored zone (serial and generation, no records)
 * and has the editor read again each zone whose version it does not serve: changed, created or
 * deleted elsewhere, with its signing (the version read includes that of the zone's keys, so a key
 * change that left the serial as it was is followed too). The rest of the shared state is {@link Followed}
 * kinds, each with a cheap version read every poll: TSIG keys, the zones' transfer settings and the
 * views' records; a kind is read again in full when its version changed.
 *
 * <p>Polling rather than PostgreSQL's LISTEN/NOTIFY: it compares state, not events, so nothing is
 * missed while a connection is down or when commits end in another order than their ids were
 * handed out (a poll of journal ids past the last seen would skip such a commit); it needs no
 * connection held open, and it works on any database the store runs on. The cost is one small
 * query a poll, one row per zone.
 */
public final class SharedStoreFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SharedStoreFollower.class);

  /** How often the store is read: an edit made elsewhere is served here within about this long. */
  static final Duration INTERVAL = Duration.ofMillis(200);

  /**
   * A kind of shared state besides the zones: {@code version} reads something small that changes
   * whenever the state does (or the state itself, when it is small), and {@code reread} serves the
   * state as stored now. A version's class must have value equality.
   *
   * @param what what the state is, for the log
   */
  public record Followed(String what, Supplier<?> version, Runnable reread) {}

  private final ZoneStore store;
  private final ZoneEditor editor;
  private final List<Followed> followed;
  private final ScheduledExecutorService timer;
  /** The versions the last complete poll read; touched by the timer thread alone. */
  private Map<Name, ZoneVersion> seen = Map.of();
  /**
   * The version of each followed kind the last poll read, by its index in {@link #followed}; none
   * before the first poll, which so reads each kind again once.
   */
  private final Map<Integer, Object> versions = new HashMap<>();
  private boolean failing;

  private SharedStoreFollower(ZoneStore store, ZoneEditor editor, List<Followed> followed,
      ScheduledExecutorService timer) {
    this.store = store;
    this.editor = editor;
    this.followed = List.copyOf(followed);
    this.timer = timer;
  }

  /** Starts following {@code store}'s zones, its TSIG keys and the kinds {@code more} on a thread of its own. */
  public static SharedStoreFollower start(ZoneStore store, ZoneEditor editor, TsigKeyring keyring,
      List<Followed> more) {
    List<Followed> followed = new ArrayList<>();
    // the keys themselves: a handful of short rows
    followed.add(new Followed("TSIG keys", store::keys, keyring::refresh));
    followed.addAll(more);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "namu-store-follower");
      t.setDaemon(true);
      return t;
    });
    SharedStoreFollower follower = new SharedStoreFollower(store, editor, followed, timer);
    timer.scheduleWithFixedDelay(follower::pollQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    return follower;
  }

  private void pollQuietly() {
    try {
      poll();
      if (failing) {
        log.info("shared zone store readable again: following its changes");
        failing = false;
      }
    } catch (StoreException e) {
      // the next poll tries again; until then this namud serves what it last read
      if (!failing) {
        log.warn("cannot read the shared zone store ({}); serving the zones as last read until it answers",
            e.getMessage());
        failing = true;
      }
    } catch (RuntimeException e) {
      log.error("following the shared zone store failed: {}", e.toString());
      log.debug("follower failure", e);
    }
  }

  /** One poll: serve every zone whose stored version is not the one served. */
  void poll() {
    Map<Name, ZoneVersion> now = new HashMap<>();
    for (ZoneVersion v : store.versions()) {
      now.put(v.origin(), v);
    }
    Set<Name> stale = new TreeSet<>();
    for (ZoneVersion v : now.values()) {
      ZoneVersion before = seen.get(v.origin());
      if (v.equals(before)) {
        continue;
      }
      Optional<ZoneSnapshot> served = editor.zone(v.origin());
      boolean recreated = before != null && before.generation() != v.generation();
      // keys changed with no new serial: a KSK rollover started (its key is not in the zone yet)
      boolean rekeyed = before != null && before.signing() != v.signing();
      if (served.isEmpty() || served.get().serial() != v.serial() || recreated || rekeyed) {
        stale.add(v.origin());
      }
    }
    for (ZoneSnapshot z : editor.zones()) {
      if (!now.containsKey(z.origin())) {
        stale.add(z.origin());
      }
    }
    for (Name origin : stale) {
      editor.refresh(origin);
    }
    // only once every zone was read again: a poll that failed half way is made whole by the next
    seen = Map.copyOf(now);
    for (int i = 0; i < followed.size(); i++) {
      Followed kind = followed.get(i);
      // the version is read before the state: a write between the two is seen by the next poll
      Object version = kind.version().get();
      if (!version.equals(versions.get(i))) {
        kind.reread().run();
        log.debug("{} read again from the shared zone store", kind.what());
        versions.put(i, version);
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
