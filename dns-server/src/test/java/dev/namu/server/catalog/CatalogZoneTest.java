package dev.namu.server.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.model.ZoneSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** The catalog format both ways: what namud writes reads back, and a member label with two PTRs breaks it. */
class CatalogZoneTest {
  private static final Name CATALOG = Name.fromConstantString("catalog.invalid.");

  @Test
  void theMembersWrittenAreTheMembersRead() throws Exception {
    Name one = Name.fromConstantString("one.test.");
    Map<Name, String> members = Map.of(one, CatalogZone.memberId(one, 1),
        Name.fromConstantString("two.test."), CatalogZone.memberId(Name.fromConstantString("two.test."), 2));
    ZoneSnapshot zone = CatalogZone.build(CATALOG, members, 7);
    assertEquals(7, zone.serial());
    assertEquals(members, CatalogZone.members(zone));
    // another generation of the same name (deleted and created again) is another id, the same one stable
    assertNotEquals(CatalogZone.memberId(one, 1), CatalogZone.memberId(one, 3));
    assertEquals(CatalogZone.memberId(one, 1), CatalogZone.memberId(Name.fromConstantString("ONE.test."), 1));
  }

  @Test
  void twoPtrsAtOneMemberLabelBreakTheCatalog() throws Exception {
    ZoneSnapshot zone = ZoneSnapshot.build(CATALOG, List.of(
        Record.fromString(CATALOG, org.xbill.DNS.Type.SOA, 1, 0, ". . 1 3600 600 2147483646 0", CATALOG),
        Record.fromString(CATALOG, org.xbill.DNS.Type.NS, 1, 0, "invalid.", CATALOG),
        Record.fromString(Name.fromConstantString("version.catalog.invalid."), org.xbill.DNS.Type.TXT, 1, 0, "\"2\"",
            CATALOG),
        Record.fromString(Name.fromConstantString("m.zones.catalog.invalid."), org.xbill.DNS.Type.PTR, 1, 0,
            "a.test.", CATALOG),
        Record.fromString(Name.fromConstantString("m.zones.catalog.invalid."), org.xbill.DNS.Type.PTR, 1, 0,
            "b.test.", CATALOG)));
    CatalogZone.BrokenCatalog broken = assertThrows(CatalogZone.BrokenCatalog.class, () -> CatalogZone.members(zone));
    assertTrue(broken.getMessage().contains("2 PTR records"), broken.getMessage());
  }
}
