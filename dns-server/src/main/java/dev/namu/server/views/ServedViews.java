package dev.namu.server.views;

import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.update.ViewEdits;
import dev.namu.zones.edit.RecordOperation;
import dev.namu.zones.model.ZoneOverlay;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import dev.namu.zones.registry.ZoneSet;
import dev.namu.zones.store.ViewOverlay;
import dev.namu.zones.store.ZoneStore;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The zones each view serves: the common zone set with the view's records laid over the zones it
 * changes ({@link ZoneOverlay}), every other zone the common snapshot itself. A view's set is made
 * when first asked for after the common set or the view's records changed, and kept: its zones are
 * immutable snapshots as the common ones are, and its answers are prepared in a store of its own,
 * so a client in a view is served as fast as one in none. A client in no view costs one walk of
 * the views' address ranges.
 *
 * <p>The views' records live in the zone store (by zone and view); edits of them are serialized
 * here, one writer for all views, and each is stored before it is served.
 */
public final class ServedViews implements ViewEdits {
  private static final Logger log = LoggerFactory.getLogger(ServedViews.class);

  /** One zone as a view serves it, kept while neither the common zone nor the view's records change. */
  private record Layer(ZoneSnapshot common, List<Record> records, ZoneSnapshot served) {}

  /** A view's zone set, made from {@code common} and the view's records {@code overlays}. */
  private record Merged(ZoneSet common, Map<Name, List<Record>> overlays, Map<Name, Layer> layers, ZoneSet zones) {}

  private final ViewConfig config;
  private final Supplier<ZoneSet> common;
  /** Each view's records, by view name then zone origin; replaced whole on each edit. */
  private final AtomicReference<Map<String, Map<Name, List<Record>>>> overlays = new AtomicReference<>(Map.of());
  private final AtomicReferenceArray<Merged> merged;
  private final PreparedAnswers[] prepared;
  private final Object writer = new Object();
  private volatile ZoneStore store;

  /**
   * @param common the common zone set now published
   * @param preparedBytes the bound on the bytes of each view's prepared answers
   */
  public ServedViews(ViewConfig config, Supplier<ZoneSet> common, long preparedBytes) {
    this.config = Objects.requireNonNull(config, "config");
    this.common = Objects.requireNonNull(common, "common");
    int n = config.views().size();
    this.merged = new AtomicReferenceArray<>(n);
    this.prepared = new PreparedAnswers[n];
    for (int i = 0; i < n; i++) {
      int view = i;
      prepared[i] = new PreparedAnswers(() -> zones(view), preparedBytes);
    }
  }

  public ViewConfig config() {
    return config;
  }

  /** The view of an unsigned request from {@code client}, or -1 (the common zones). */
  public int viewOf(InetAddress client) {
    return config.match(client, null);
  }

  /** The view of a request from {@code client} signed with {@code key}, or -1. */
  public int viewOf(InetAddress client, Name key) {
    return config.match(client, key);
  }

  public String name(int view) {
    return config.views().get(view).name();
  }

  @Override
  public java.util.Optional<String> viewOfKey(Name key) {
    return config.viewOfKey(key);
  }

  /** True when {@code zone} is served now, so a view may lay records over it. */
  @Override
  public boolean serves(Name zone) {
    return common.get().zone(zone) != null;
  }

  /** The prepared answers of one view's zones. */
  public PreparedAnswers prepared(int view) {
    return prepared[view];
  }

  /** The zones view {@code view} serves now. */
  public ZoneSet zones(int view) {
    return zones(view, common.get());
  }

  /** The zones view {@code view} serves over {@code now}, the common set a request read. */
  public ZoneSet zones(int view, ZoneSet now) {
    Map<Name, List<Record>> mine = overlays.get().getOrDefault(name(view), Map.of());
    Merged m = merged.get(view);
    if (m != null && m.common() == now && m.overlays() == mine) {
      return m.zones();
    }
    Merged fresh = merge(view, now, mine, m);
    // two readers may both merge after a change: the same result, and either is kept; a request
    // that read an older common set never replaces what was made from the newer one
    if (now == common.get()) {
      merged.compareAndSet(view, m, fresh);
    }
    return fresh.zones();
  }

  private Merged merge(int view, ZoneSet now, Map<Name, List<Record>> mine, Merged before) {
    ZoneSet zones = now;
    Map<Name, Layer> layers = new HashMap<>();
    for (Map.Entry<Name, List<Record>> e : mine.entrySet()) {
      ZoneSnapshot zone = now.zone(e.getKey());
      if (zone == null) {
        continue; // the view's records wait for their zone to be served again
      }
      Layer old = before == null ? null : before.layers().get(e.getKey());
      Layer layer = old != null && old.common() == zone && old.records() == e.getValue() ? old
          : new Layer(zone, e.getValue(), overlaid(view, zone, e.getValue()));
      layers.put(e.getKey(), layer);
      zones = zones.with(layer.served());
    }
    return new Merged(now, mine, layers, zones);
  }

  private ZoneSnapshot overlaid(int view, ZoneSnapshot zone, List<Record> records) {
    try {
      return ZoneOverlay.apply(zone, records);
    } catch (ZoneValidationException e) {
      // the common zone changed under the view's records (a name became a cut, say): the view's
      // clients get the common zone until one or the other is fixed
      log.warn("view {} of zone {} (serial {}) is not a valid zone, its clients get the common zone: {}",
          name(view), zone.origin(), zone.serial(), e.getMessage());
      return zone;
    }
  }

  /**
   * Merges every view's zones over {@code now}, the set just published, on the publisher's thread:
   * a view's first request after a change then finds them made, and no event loop builds a zone.
   */
  public void refresh(ZoneSet now) {
    for (int view = 0; view < merged.length(); view++) {
      zones(view, now);
    }
  }

  /** Reads every view's records from {@code opened}, which then keeps their edits. */
  public void load(ZoneStore opened) {
    synchronized (writer) {
      Map<String, Map<Name, List<Record>>> all = new HashMap<>();
      for (ViewOverlay o : opened.viewOverlays()) {
        if (config.indexOf(o.view()) < 0) {
          log.warn("the store holds records of view {} in zone {}, which no --view defines: not served",
              o.view(), o.zone());
          continue;
        }
        all.computeIfAbsent(o.view(), v -> new HashMap<>()).put(o.zone(), o.records());
      }
      overlays.set(freeze(all));
      store = opened;
    }
    refresh(common.get());
  }

  /** The records view {@code view} lays over {@code zone} (none: it serves the common zone). */
  public List<Record> records(String view, Name zone) {
    requireView(view);
    return overlays.get().getOrDefault(view, Map.of()).getOrDefault(zone, List.of());
  }

  /**
   * Applies {@code operations} to the records {@code view} lays over {@code zone}, stores them and
   * serves them; returns the view's records after. Nothing changes when it throws.
   *
   * @throws IllegalArgumentException for a view not configured, a zone not served, or records
   *     that would not make a valid zone with the common one (message: one line)
   * @throws IllegalStateException while the zone store is not open
   */
  @Override
  public List<Record> edit(String view, Name zone, List<RecordOperation> operations) {
    requireView(view);
    try {
      return editHeld(view, zone, operations);
    } finally {
      refresh(common.get()); // the view's zones made here, not by its next request
    }
  }

  private List<Record> editHeld(String view, Name zone, List<RecordOperation> operations) {
    synchronized (writer) {
      ZoneStore s = store;
      if (s == null) {
        throw new IllegalStateException("the zone store is not open yet; try again");
      }
      ZoneSnapshot base = common.get().zone(zone);
      if (base == null) {
        throw new IllegalArgumentException("zone " + zone + " is not served here");
      }
      List<Record> before = records(view, zone);
      List<Record> after = OverlayEdit.apply(before, operations, zone);
      try {
        ZoneOverlay.apply(base, after);
      } catch (ZoneValidationException e) {
        throw new IllegalArgumentException("view " + view + " of " + zone + ": " + e.getMessage());
      }
      if (after.equals(before) && sameTtls(after, before)) {
        return before;
      }
      s.putViewOverlay(new ViewOverlay(zone, view, after)); // persist, then publish
      Map<String, Map<Name, List<Record>>> all = new HashMap<>(overlays.get());
      Map<Name, List<Record>> mine = new HashMap<>(all.getOrDefault(view, Map.of()));
      if (after.isEmpty()) {
        mine.remove(zone);
      } else {
        mine.put(zone, List.copyOf(after));
      }
      all.put(view, mine);
      overlays.set(freeze(all));
      return after;
    }
  }

  private void requireView(String view) {
    if (config.indexOf(view) < 0) {
      throw new IllegalArgumentException("no view " + view + " (views: "
          + (config.isEmpty() ? "none; define one with --view" : String.join(", ",
              config.views().stream().map(ViewDefinition::name).toList())) + ")");
    }
  }

  private static boolean sameTtls(List<Record> a, List<Record> b) {
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i).getTTL() != b.get(i).getTTL()) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, Map<Name, List<Record>>> freeze(Map<String, Map<Name, List<Record>>> all) {
    Map<String, Map<Name, List<Record>>> out = new HashMap<>();
    all.forEach((view, zones) -> out.put(view, Map.copyOf(zones)));
    return Map.copyOf(out);
  }
}
