package dev.namu.zones.registry;

import static dev.namu.zones.TestZones.name;
import static dev.namu.zones.TestZones.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.namu.zones.model.ZoneSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneSetTest {

  static ZoneSnapshot z(String origin) {
    return zone(origin, "$TTL 1\n@ SOA ns h 1 2 3 4 5\n NS ns\nns A 10.0.0.1\n");
  }

  @Test
  void findsTheClosestEnclosingZone() {
    ZoneSnapshot com = z("example.com.");
    ZoneSnapshot child = z("child.example.com.");
    ZoneSet set = ZoneSet.of(List.of(com, child));
    assertSame(com, set.findZone(name("example.com.")));
    assertSame(com, set.findZone(name("WWW.Example.COM.")));
    assertSame(child, set.findZone(name("a.b.child.example.com.")));
    assertSame(child, set.findZone(name("child.example.com.")));
    assertNull(set.findZone(name("com.")));
    assertNull(set.findZone(name("example.net.")));
    assertNull(set.findZone(name(".")));
    assertNull(ZoneSet.empty().findZone(name("example.com.")));
  }

  @Test
  void rootZoneEnclosesEverything() {
    ZoneSnapshot root = z(".");
    ZoneSet set = ZoneSet.of(List.of(root, z("example.com.")));
    assertSame(root, set.findZone(name("example.net.")));
    assertSame(root, set.findZone(name(".")));
  }

  @Test
  void withAndWithoutMakeNewSets() {
    ZoneSet a = ZoneSet.of(List.of(z("a.")));
    ZoneSet b = a.with(z("b."));
    assertEquals(1, a.zones().size());
    assertEquals(2, b.zones().size());
    ZoneSnapshot a2 = z("a.");
    assertSame(a2, b.with(a2).findZone(name("x.a.")));
    assertEquals(1, b.without(name("a.")).zones().size());
    assertSame(b, b.without(name("nope.")));
    assertThrows(IllegalArgumentException.class, () -> ZoneSet.of(List.of(z("a."), z("A."))));
  }

  @Test
  void registrySwapsAtomically() {
    ZoneRegistry registry = new ZoneRegistry();
    assertEquals(0, registry.current().zones().size());
    registry.publish(ZoneSet.of(List.of(z("a."))));
    ZoneSet seen = registry.update(s -> s.with(z("b.")));
    assertSame(seen, registry.current());
    assertEquals(2, registry.current().zones().size());
  }
}
