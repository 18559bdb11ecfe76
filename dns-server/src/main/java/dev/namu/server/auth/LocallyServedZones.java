package dev.namu.server.auth;

import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import dev.namu.zones.registry.ZoneSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/**
 * The empty zones a resolver answers itself rather than ask the Internet (RFC 6303, RFC 6761,
 * RFC 8375, the IANA registry of locally-served zones): names in them only mean something on the
 * local network, and a query for them upstream leaks the network's addresses and loads the AS112
 * servers. Each is an empty zone: its SOA and NS, nothing else, so every name below gets NXDOMAIN
 * and the apex NODATA, with the SOA for negative caching (RFC 6303 3).
 *
 * <p>The loopback zones with data ({@code localhost.}, the 127.0.0.1 and ::1 reverse names) are
 * {@link LocalZones}, served beside the user's zones; these come after every served zone, so a zone
 * the user serves at or below one of them wins.
 */
public final class LocallyServedZones {
  private static final long TTL = 10800;
  private static final Name LOCALHOST = Name.fromConstantString("localhost.");
  private static final Name NOBODY = Name.fromConstantString("nobody.invalid.");

  /** Every built-in empty zone, in lower case. */
  public static final List<Name> DEFAULTS = defaults();

  private static final LocallyServedZones NONE =
      new LocallyServedZones(ZoneSet.empty(), Set.of(), false, List.of(), Set.of());

  private final ZoneSet zones;
  /** The last labels of the zones: names ending otherwise are not looked up at all. */
  private final Set<Name> topLevels;
  private final boolean enabled;
  private final List<Name> disabled;
  /** Conditionally forwarded zones inside the zones: their names go to their forwarders. */
  private final Set<Name> forwarded;

  private LocallyServedZones(ZoneSet zones, Set<Name> topLevels, boolean enabled, List<Name> disabled,
      Set<Name> forwarded) {
    this.zones = zones;
    this.topLevels = topLevels;
    this.enabled = enabled;
    this.disabled = disabled;
    this.forwarded = forwarded;
  }

  /** False with {@code --no-local-zones}. */
  public boolean enabled() {
    return enabled;
  }

  /** The built-in zones turned off one by one, in lower case. */
  public List<Name> disabled() {
    return disabled;
  }

  /**
   * False when {@code --no-local-zone} turned off the loopback zone {@code origin} (one of
   * {@link LocalZones#ORIGINS}); those are served to every client, with or without recursion.
   */
  public boolean servesLoopback(Name origin) {
    return !disabled.contains(origin);
  }

  /** None at all ({@code --no-local-zones}). */
  public static LocallyServedZones none() {
    return NONE;
  }

  /**
   * The built-in zones but those in {@code disabled} (as Unbound's {@code local-zone: NAME nodefault}
   * and BIND's {@code disable-empty-zone}).
   *
   * Names at or below a zone in {@code forwarded} (conditional forwarding, say of
   * {@code 168.192.in-addr.arpa} to the LAN's router) are not answered here: the forwarder knows
   * them, as Unbound turns a default local zone off where a forward zone is configured.
   *
   * @throws IllegalArgumentException naming a disabled zone that is not one of the built-in ones
   */
  public static LocallyServedZones defaultsWithout(Collection<Name> disabled, Collection<Name> forwarded) {
    Set<Name> off = new java.util.LinkedHashSet<>();
    for (Name n : disabled) {
      Name lower = n.canonicalize();
      if (!DEFAULTS.contains(lower) && !LocalZones.ORIGINS.contains(lower)) {
        throw new IllegalArgumentException(n + " is not a locally served zone; namud serves "
            + (DEFAULTS.size() + LocalZones.ORIGINS.size()) + " of them, see the README");
      }
      off.add(lower);
    }
    List<ZoneSnapshot> served = new ArrayList<>();
    Set<Name> tops = new HashSet<>();
    for (Name origin : DEFAULTS) {
      if (!off.contains(origin)) {
        served.add(empty(origin));
        tops.add(new Name(origin, origin.labels() - 2));
      }
    }
    Set<Name> forwards = new HashSet<>();
    forwarded.forEach(f -> forwards.add(f.canonicalize()));
    return new LocallyServedZones(ZoneSet.of(served), Set.copyOf(tops), true, List.copyOf(off), Set.copyOf(forwards));
  }

  /**
   * The zones as a zone set for the authoritative lookup, or null when {@code qname} is in none of
   * them. Names under other top-level domains cost one hash lookup.
   */
  public ZoneSet covering(Name qname) {
    if (topLevels.isEmpty() || qname.labels() < 2
        || !topLevels.contains(new Name(qname, qname.labels() - 2))) {
      return null;
    }
    ZoneSnapshot zone = zones.findZone(qname);
    if (zone == null) {
      return null;
    }
    for (Name n = qname; n.labels() >= zone.origin().labels(); n = new Name(n, 1)) {
      if (forwarded.contains(n)) {
        return null;
      }
    }
    return zones;
  }

  /** The zone enclosing {@code qname}, or null. */
  public ZoneSnapshot zoneOf(Name qname) {
    return covering(qname) == null ? null : zones.findZone(qname);
  }

  public int size() {
    return zones.size();
  }

  /** Equal when made from the same settings: a reload sees whether they changed. */
  @Override
  public boolean equals(Object o) {
    return o instanceof LocallyServedZones other && enabled == other.enabled
        && disabled.equals(other.disabled) && forwarded.equals(other.forwarded);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(enabled, disabled, forwarded);
  }

  @Override
  public String toString() {
    return enabled ? "LocallyServedZones[" + zones.size() + " zones]" : "LocallyServedZones[off]";
  }

  private static ZoneSnapshot empty(Name origin) {
    // RFC 6303 3: SOA "localhost. nobody.invalid. 1 3600 1200 604800 10800" and NS "localhost."
    List<Record> records = List.of(
        new SOARecord(origin, DClass.IN, TTL, LOCALHOST, NOBODY, 1, 3600, 1200, 604800, 10800),
        new NSRecord(origin, DClass.IN, TTL, LOCALHOST));
    try {
      return ZoneSnapshot.build(origin, records);
    } catch (ZoneValidationException e) {
      throw new IllegalStateException("built-in zone " + origin + " is invalid: " + e.problems(), e);
    }
  }

  private static List<Name> defaults() {
    List<String> names = new ArrayList<>();
    // RFC 6303 4.1: the RFC 1918 private ranges 10/8, 172.16/12, 192.168/16
    names.add("10.in-addr.arpa");
    for (int i = 16; i <= 31; i++) {
      names.add(i + ".172.in-addr.arpa");
    }
    names.add("168.192.in-addr.arpa");
    // RFC 6598 7: the shared address space 100.64/10 (carrier-grade NAT)
    for (int i = 64; i <= 127; i++) {
      names.add(i + ".100.in-addr.arpa");
    }
    // RFC 6303 4.2: "this network", link-local, the documentation ranges, broadcast. 127/8 is
    // LocalZones' (with the 127.0.0.1 PTR).
    names.add("0.in-addr.arpa");
    names.add("254.169.in-addr.arpa");
    names.add("2.0.192.in-addr.arpa");
    names.add("100.51.198.in-addr.arpa");
    names.add("113.0.203.in-addr.arpa");
    names.add("255.255.255.255.in-addr.arpa");
    // RFC 6303 4.3: the unspecified address :: (::1 is LocalZones')
    names.add("0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa");
    // RFC 6303 4.4: unique local addresses fd00::/8 (the locally assigned half of fc00::/7, the
    // one the IANA registry lists)
    names.add("d.f.ip6.arpa");
    // RFC 6303 4.5: link-local fe80::/10
    names.add("8.e.f.ip6.arpa");
    names.add("9.e.f.ip6.arpa");
    names.add("a.e.f.ip6.arpa");
    names.add("b.e.f.ip6.arpa");
    // RFC 6303 4.6: the documentation prefix 2001:db8::/32
    names.add("8.b.d.0.1.0.0.2.ip6.arpa");
    // RFC 8375 7: home.arpa, the home network's own domain
    names.add("home.arpa");
    // RFC 6761 6.2 and 6.4: test and invalid never exist in the global DNS
    names.add("test");
    names.add("invalid");
    List<Name> out = new ArrayList<>();
    for (String n : names) {
      out.add(Name.fromConstantString(n + "."));
    }
    return List.copyOf(out);
  }
}
