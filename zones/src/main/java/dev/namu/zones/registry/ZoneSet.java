package dev.namu.zones.registry;

import dev.namu.zones.model.ZoneSnapshot;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * The zones served at one moment, immutable. {@link #with} and {@link #without} return new sets;
 * publish one through {@link ZoneRegistry}.
 */
public final class ZoneSet {

  private static final ZoneSet EMPTY = new ZoneSet(Map.of());

  private final Map<Name, ZoneSnapshot> byOrigin;
  private final int minLabels;
  private final int maxLabels;

  private ZoneSet(Map<Name, ZoneSnapshot> byOrigin) {
    this.byOrigin = byOrigin;
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (Name origin : byOrigin.keySet()) {
      min = Math.min(min, origin.labels());
      max = Math.max(max, origin.labels());
    }
    this.minLabels = min;
    this.maxLabels = max;
  }

  /**
   * A set of the given zones.
   *
   * @throws IllegalArgumentException when two zones have the same origin
   */
  public static ZoneSet of(Collection<ZoneSnapshot> zones) {
    Map<Name, ZoneSnapshot> map = new HashMap<>();
    for (ZoneSnapshot z : zones) {
      if (map.putIfAbsent(z.origin(), z) != null) {
        throw new IllegalArgumentException("zone " + z.origin() + " given twice");
      }
    }
    return map.isEmpty() ? EMPTY : new ZoneSet(Collections.unmodifiableMap(map));
  }

  public static ZoneSet empty() {
    return EMPTY;
  }

  /** The served zone closest enclosing {@code qname} (the longest matching origin), or null. */
  public ZoneSnapshot findZone(Name qname) {
    int labels = qname.labels();
    if (byOrigin.isEmpty() || labels < minLabels) {
      return null;
    }
    Name n = labels > maxLabels ? new Name(qname, labels - maxLabels) : qname;
    while (true) {
      ZoneSnapshot z = byOrigin.get(n);
      if (z != null) {
        return z;
      }
      if (n.labels() <= minLabels) {
        return null;
      }
      n = new Name(n, 1);
    }
  }

  /** The zone with exactly this origin, or null. */
  public ZoneSnapshot zone(Name origin) {
    return byOrigin.get(origin);
  }

  public Collection<ZoneSnapshot> zones() {
    return byOrigin.values();
  }

  public int size() {
    return byOrigin.size();
  }

  public boolean isEmpty() {
    return byOrigin.isEmpty();
  }

  /**
   * A new set with {@code zone} added, or replacing the zone with the same origin; this set when it
   * holds that very snapshot already (what was prepared from this set stays true of it).
   */
  public ZoneSet with(ZoneSnapshot zone) {
    if (byOrigin.get(zone.origin()) == zone) {
      return this;
    }
    Map<Name, ZoneSnapshot> map = new HashMap<>(byOrigin);
    map.put(zone.origin(), zone);
    return new ZoneSet(Collections.unmodifiableMap(map));
  }

  /** A new set without the zone at {@code origin} (this set when there is none). */
  public ZoneSet without(Name origin) {
    if (!byOrigin.containsKey(origin)) {
      return this;
    }
    Map<Name, ZoneSnapshot> map = new HashMap<>(byOrigin);
    map.remove(origin);
    return map.isEmpty() ? EMPTY : new ZoneSet(Collections.unmodifiableMap(map));
  }

  @Override
  public String toString() {
    return "ZoneSet" + byOrigin.keySet();
  }
}
