package dev.namu.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

class RootHintsAndConfigTest {
  @TempDir Path dir;

  @Test
  void parsesNamedRootFormat() throws Exception {
    Path f = dir.resolve("named.root");
    Files.writeString(f, """
        ;       This file holds the information on root name servers needed to
        .                        3600000      NS    A.ROOT-SERVERS.NET.
        A.ROOT-SERVERS.NET.      3600000      A     198.41.0.4
        A.ROOT-SERVERS.NET.      3600000      AAAA  2001:503:ba3e::2:30
        .                        3600000      NS    B.TEST.
        B.TEST.                  3600000      A     127.0.0.11
        ; a name nobody delegates to is ignored
        C.TEST.                  3600000      A     127.0.0.12
        """);
    RootHints h = RootHints.parse(f);
    assertEquals(2, h.servers().size());
    assertEquals(List.of(InetAddress.getByName("198.41.0.4"), InetAddress.getByName("2001:503:ba3e::2:30")),
        h.servers().get(Name.fromString("a.root-servers.net.")));
    assertEquals(3, h.addresses().size());
  }

  @Test
  void hintsWithoutAddressesAreAClearError() throws Exception {
    Path f = dir.resolve("empty.root");
    Files.writeString(f, ". 3600 NS a.root.\n");
    IOException e = assertThrows(IOException.class, () -> RootHints.parse(f));
    assertTrue(e.getMessage().contains("empty.root"), e.getMessage());
    Path bad = dir.resolve("bad.root");
    Files.writeString(bad, ". 3600 NS\n");
    assertThrows(IOException.class, () -> RootHints.parse(bad));
  }

  @Test
  void ianaHintsHaveThirteenServers() {
    assertEquals(13, RootHints.iana().servers().size());
    assertEquals(26, RootHints.iana().addresses().size());
  }

  @Test
  void configDefaultsAndValidation() {
    ResolverConfig d = ResolverConfig.defaults();
    assertEquals(1232, d.ednsBufferSize());
    assertTrue(d.qnameMinimisation());
    assertTrue(d.doNotQueryLocalhost());
    assertEquals(Limits.defaults(), d.limits());
    assertThrows(IllegalArgumentException.class, () -> ResolverConfig.builder().upstreamPort(70000).build());
    assertThrows(IllegalArgumentException.class, () -> ResolverConfig.builder().minTtl(100).maxTtl(10).build());
    assertThrows(IllegalArgumentException.class, () -> ResolverConfig.builder().serverTimeout(Duration.ZERO).build());
    assertThrows(IllegalArgumentException.class, () -> ResolverConfig.builder().privateAddress("10.0.0.0/99").build());
    assertThrows(IllegalArgumentException.class, () -> new Limits(0, 1, 1, 1, 1));
    assertEquals(5300, d.toBuilder().upstreamPort(5300).build().upstreamPort());
  }
}
