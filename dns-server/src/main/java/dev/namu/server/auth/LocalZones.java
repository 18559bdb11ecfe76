package dev.namu.server.auth;

import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import dev.namu.zones.registry.ZoneSet;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;

/**
 * The loopback zones every resolver-facing server answers locally (RFC 6761 6.3, RFC 6303 4.2 and
 * 4.3): {@code localhost.} with 127.0.0.1 and ::1, and the reverse names of those two addresses
 * pointing back at {@code localhost.}, so that {@code nslookup} against namud on loopback prints a
 * server name. A zone the user serves that already covers one of these names wins.
 */
public final class LocalZones {
  private static final long TTL = 86400;

  private static final Name LOCALHOST = Name.fromConstantString("localhost.");
  private static final Name NOBODY = Name.fromConstantString("nobody.invalid.");
  private static final Name V4_ZONE = Name.fromConstantString("127.in-addr.arpa.");

  private static final Name V6_ZONE = ReverseMap.fromAddress(loopbackV6());

  /** The zones' names, in lower case: each can be turned off ({@code --no-local-zone localhost}). */
  public static final List<Name> ORIGINS = List.of(LOCALHOST, V4_ZONE, V6_ZONE);

  private LocalZones() {}

  /** The loopback zones that {@code userZones} does not already cover. */
  public static List<ZoneSnapshot> notCoveredBy(ZoneSet userZones) {
    return notCoveredBy(userZones, LocallyServedZones.none());
  }

  /**
   * The loopback zones that {@code userZones} does not already cover and {@code local} does not
   * turn off (RFC 6303 3: each locally served zone can be turned off, here as the empty ones are).
   */
  public static List<ZoneSnapshot> notCoveredBy(ZoneSet userZones, LocallyServedZones local) {
    InetAddress v6 = loopbackV6();
    Name v4Ptr = ReverseMap.fromAddress(loopbackV4());
    Name v6Ptr = V6_ZONE;
    List<ZoneSnapshot> zones = new ArrayList<>();
    if (userZones.findZone(LOCALHOST) == null && local.servesLoopback(LOCALHOST)) {
      zones.add(
          zone(
              LOCALHOST,
              List.of(
                  new ARecord(LOCALHOST, DClass.IN, TTL, loopbackV4()),
                  new AAAARecord(LOCALHOST, DClass.IN, TTL, v6))));
    }
    if (userZones.findZone(v4Ptr) == null && local.servesLoopback(V4_ZONE)) {
      zones.add(zone(V4_ZONE, List.of(new PTRRecord(v4Ptr, DClass.IN, TTL, LOCALHOST))));
    }
    if (userZones.findZone(v6Ptr) == null && local.servesLoopback(V6_ZONE)) {
      // RFC 6303 4.3: the zone is the full ::1 reverse name, the PTR sits at its apex
      zones.add(zone(v6Ptr, List.of(new PTRRecord(v6Ptr, DClass.IN, TTL, LOCALHOST))));
    }
    return zones;
  }

  private static ZoneSnapshot zone(Name origin, List<Record> data) {
    List<Record> records = new ArrayList<>(data);
    records.add(
        // RFC 6303 3: RNAME "nobody.invalid.", refresh 3600, retry 1200, expire 604800, minimum 10800
        new SOARecord(origin, DClass.IN, TTL, origin, NOBODY, 1, 3600, 1200, 604800, 10800));
    // RFC 6303 3: the NS record names the zone itself
    records.add(new NSRecord(origin, DClass.IN, TTL, origin));
    try {
      return ZoneSnapshot.build(origin, records);
    } catch (ZoneValidationException e) {
      throw new IllegalStateException("built-in zone " + origin + " is invalid: " + e.problems(), e);
    }
  }

  private static InetAddress loopbackV4() {
    return address(new byte[] {127, 0, 0, 1});
  }

  private static InetAddress loopbackV6() {
    byte[] b = new byte[16];
    b[15] = 1;
    return address(b);
  }

  private static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
