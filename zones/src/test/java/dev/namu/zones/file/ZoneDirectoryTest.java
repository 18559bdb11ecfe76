package dev.namu.zones.file;

import static dev.namu.zones.TestZones.name;
import static dev.namu.zones.TestZones.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.model.ZoneSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.TextParseException;

class ZoneDirectoryTest {

  @Test
  void loadsEveryGoodTestZone() {
    ZoneDirectoryLoad load = ZoneDirectory.loadAll(resource("good"));
    assertEquals(List.of(), load.problems());
    List<String> origins = load.zones().stream().map(z -> z.origin().toString()).collect(Collectors.toList());
    assertEquals(List.of("2.0.192.in-addr.arpa.", "child.example.com.", "dnameapex.test.", "edge.test.", "example.com.", "example.net."), origins);
  }

  @Test
  void badZonesAreLeftOutAndTheRestLoad(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("good.test.zone"), "$TTL 1\n@ SOA ns h 1 2 3 4 5\n NS ns\nns A 10.0.0.1\n");
    Files.writeString(dir.resolve("bad.test.zone"), "$TTL 1\n@ SOA ns h 1 2 3 4 5\nns A 10.0.0.1\n");
    Files.writeString(dir.resolve("ignored.txt"), "not a zone");
    Files.createDirectory(dir.resolve("dir.zone"));
    ZoneDirectoryLoad load = ZoneDirectory.loadAll(dir);
    assertEquals(List.of(name("good.test.")),
        load.zones().stream().map(ZoneSnapshot::origin).collect(Collectors.toList()));
    assertEquals(1, load.problems().size());
    assertEquals(List.of(name("bad.test.")), load.failed());
    assertTrue(load.problems().get(0).toString().startsWith(dir.resolve("bad.test.zone") + ":"));
  }

  @Test
  void missingDirectoryIsAProblemNotAnException(@TempDir Path dir) {
    ZoneDirectoryLoad load = ZoneDirectory.loadAll(dir.resolve("none"));
    assertTrue(load.zones().isEmpty());
    assertTrue(load.problems().get(0).message().startsWith("cannot read zone directory"));
  }

  @Test
  void originFromFileName() throws TextParseException {
    assertEquals(name("0.168.192.in-addr.arpa."), ZoneDirectory.originOf(Path.of("x/0.168.192.in-addr.arpa.zone")));
    assertThrows(TextParseException.class, () -> ZoneDirectory.originOf(Path.of(".zone")));
  }
}
