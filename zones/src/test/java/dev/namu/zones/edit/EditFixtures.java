package dev.namu.zones.edit;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

final class EditFixtures {
  private EditFixtures() {}

  static Name n(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Record r(String owner, long ttl, String type, String rdata) {
    try {
      return Record.fromString(n(owner), Type.value(type), 1, ttl, rdata, Name.root);
    } catch (Exception e) {
      throw new IllegalArgumentException(owner + " " + type + " " + rdata, e);
    }
  }

  static List<Record> zone(String origin, long serial) {
    return List.of(
        r(origin, 3600, "SOA", "ns1." + origin + " hostmaster." + origin + " " + serial + " 3600 600 86400 300"),
        r(origin, 3600, "NS", "ns1." + origin),
        r("ns1." + origin, 3600, "A", "192.0.2.1"));
  }
}
