package dev.namu.zones.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The rule of a view's records: an RRset of the view replaces the zone's of the same name and type. */
class ZoneOverlayTest {
  private static final Name ORIGIN = Name.fromConstantString("example.com.");

  private static Record r(String owner, String type, String rdata) {
    try {
      return Record.fromString(Name.fromString(owner, ORIGIN), Type.value(type), 1, 300, rdata, ORIGIN);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ZoneSnapshot common(boolean withDelegation) throws ZoneValidationException {
    List<Record> records = new java.util.ArrayList<>(List.of(
        r("@", "SOA", "ns1 hostmaster 1 3600 600 86400 300"), r("@", "NS", "ns1"), r("ns1", "A", "203.0.113.1"),
        r("nas", "A", "203.0.113.12"), r("nas", "TXT", "common"), r("alias", "CNAME", "www"),
        r("www", "A", "203.0.113.80")));
    if (withDelegation) {
      records.addAll(List.of(r("sub", "NS", "ns.sub"), r("ns.sub", "A", "203.0.113.53")));
    }
    return ZoneSnapshot.build(ORIGIN, records);
  }

  private static String at(ZoneSnapshot z, String name) {
    Node node = z.node(Name.fromConstantString(name + ".example.com."));
    return node == null ? null : node.records().stream().map(x -> Type.string(x.getType()) + " " + x.rdataToString())
        .sorted().collect(Collectors.joining(", "));
  }

  @Test
  void anRRsetOfTheViewReplacesTheZonesOfThatNameAndTypeAlone() throws Exception {
    for (boolean full : List.of(false, true)) { // the patched snapshot and the full build agree
      ZoneSnapshot zone = common(full);
      ZoneSnapshot view = ZoneOverlay.apply(zone, List.of(r("nas", "A", "192.168.0.12"), r("printer", "A", "192.168.0.9")));
      assertEquals("A 192.168.0.12, TXT \"common\"", at(view, "nas"));
      assertEquals("A 192.168.0.9", at(view, "printer"));
      assertEquals("A 203.0.113.12, TXT \"common\"", at(zone, "nas"), "the common zone is unchanged");
      assertNull(at(zone, "printer"));
      assertSame(zone.soa(), view.soa());
      // an unchanged name is the very same record
      assertSame(zone.node(Name.fromConstantString("www.example.com.")).records().get(0),
          view.node(Name.fromConstantString("www.example.com.")).records().get(0));
    }
  }

  @Test
  void aCnameIsTheWholeName() throws Exception {
    ZoneSnapshot zone = common(false);
    assertEquals("CNAME www.example.com.", at(ZoneOverlay.apply(zone, List.of(r("nas", "CNAME", "www"))), "nas"));
    assertEquals("A 192.168.0.7", at(ZoneOverlay.apply(zone, List.of(r("alias", "A", "192.168.0.7"))), "alias"));
  }

  @Test
  void noViewRecordsIsTheCommonZoneItself() throws Exception {
    ZoneSnapshot zone = common(false);
    assertSame(zone, ZoneOverlay.apply(zone, List.of()));
  }

  @Test
  void anSoaOrARecordOutsideTheZoneIsRefused() throws Exception {
    ZoneSnapshot zone = common(false);
    ZoneValidationException soa = assertThrows(ZoneValidationException.class,
        () -> ZoneOverlay.apply(zone, List.of(r("@", "SOA", "ns1 hostmaster 2 3600 600 86400 300"))));
    assertTrue(soa.getMessage().contains("cannot replace the SOA"), soa.getMessage());
    ZoneValidationException outside = assertThrows(ZoneValidationException.class,
        () -> ZoneOverlay.apply(zone, List.of(r("www.example.net.", "A", "192.168.0.1"))));
    assertTrue(outside.getMessage().contains("outside the zone"), outside.getMessage());
  }
}
