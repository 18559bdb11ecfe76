package dev.namu.zones.file;

import static dev.namu.zones.TestZones.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.lookup.AuthoritativeAnswer;
import dev.namu.zones.lookup.AuthoritativeAnswerer;
import dev.namu.zones.model.Node;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

/** The example zones namud serves with no configuration load cleanly and agree with each other. */
class DefaultZonesTest {

  /** Maven runs tests in the module directory; the files ship inside the dns-server jar. */
  private static final Path DIR = Path.of("../dns-server/src/main/resources/dev/namu/server/defaults/zones");

  @Test
  void defaultZonesLoadAndEveryHostHasItsPtr() {
    assertTrue(Files.isDirectory(DIR), "missing " + DIR.toAbsolutePath());
    ZoneDirectoryLoad load = ZoneDirectory.loadAll(DIR);
    assertEquals(List.of(), load.problems());
    assertEquals(2, load.zones().size());
    ZoneSet zones = ZoneSet.of(load.zones());
    ZoneSnapshot home = zones.zone(name("home.lan."));
    ZoneSnapshot reverse = zones.zone(name("0.168.192.in-addr.arpa."));
    assertNotNull(home);
    assertNotNull(reverse);
    int hosts = 0;
    for (Record r : home.records()) {
      if (r instanceof ARecord a) {
        hosts++;
        Node ptr = reverse.node(ReverseMap.fromAddress(a.getAddress()));
        assertNotNull(ptr, "no PTR for " + a);
        assertEquals(a.getName(), ((PTRRecord) ptr.first(Type.PTR)).getTarget());
      }
    }
    assertTrue(hosts >= 4);
    AuthoritativeAnswer nas = new AuthoritativeAnswerer()
        .answer(zones, name("nas.home.lan."), Type.A).orElseThrow();
    assertEquals("192.168.0.12", nas.answer().get(0).first().rdataToString());
  }
}
