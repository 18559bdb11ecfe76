package dev.namu.server.sources;

import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * The zones the device names make: the domain with an A or AAAA record for each name, and a reverse
 * zone for each IPv4 /24 and IPv6 /64 the addresses fall in, with a PTR to the first name of each
 * address (hosts(5): the first name on a line is the canonical one). A reverse zone is more
 * specific than the locally served private zones (RFC 6303), so its PTRs win over their empty
 * answers while the rest of those zones stays empty.
 */
final class LanZones {
  /** Short: a lease changes, and a name gone should be gone from caches soon. */
  static final long TTL = 60;
  private static final Name NS = Name.fromConstantString("localhost.");
  private static final Name ADMIN = Name.fromConstantString("nobody.invalid.");

  private LanZones() {}

  static List<ZoneSnapshot> build(Name domain, List<DeviceName> names, long serial) throws ZoneValidationException {
    Map<Name, List<Record>> zones = new LinkedHashMap<>();
    zones.put(domain, apex(domain, serial));
    Set<Name> withPtr = new HashSet<>();
    Set<Record> seen = new LinkedHashSet<>();
    for (DeviceName d : names) {
      Record address = d.address() instanceof Inet4Address v4
          ? new ARecord(d.name(), DClass.IN, TTL, v4)
          : new AAAARecord(d.name(), DClass.IN, TTL, d.address());
      if (seen.add(address)) {
        zones.get(domain).add(address);
      }
      Name ptr = ReverseMap.fromAddress(d.address());
      if (withPtr.add(ptr)) {
        // a /24 is one label above the PTR name, a /64 sixteen nibbles
        Name reverse = new Name(ptr, d.address() instanceof Inet4Address ? 1 : 16);
        zones.computeIfAbsent(reverse, r -> apex(r, serial)).add(new PTRRecord(ptr, DClass.IN, TTL, d.name()));
      }
    }
    List<ZoneSnapshot> out = new ArrayList<>();
    for (Map.Entry<Name, List<Record>> z : zones.entrySet()) {
      out.add(ZoneSnapshot.build(z.getKey(), z.getValue()));
    }
    return out;
  }

  private static List<Record> apex(Name origin, long serial) {
    List<Record> records = new ArrayList<>();
    records.add(new SOARecord(origin, DClass.IN, TTL, NS, ADMIN, serial, 3600, 600, 86400, TTL));
    records.add(new NSRecord(origin, DClass.IN, TTL, NS));
    return records;
  }
}
