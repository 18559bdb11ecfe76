package dev.namu.server.catalog;

import static dev.namu.server.catalog.CatalogPeers.await;
import static dev.namu.server.catalog.CatalogPeers.rcode;
import static dev.namu.server.catalog.CatalogPeers.serves;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.NamudServer;
import dev.namu.server.peers.LoopbackPort;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * A namud secondary of a catalog written by hand (a zone file a namud primary serves and notifies):
 * entries a catalog must not hold are skipped and the rest applied (a PTR to the catalog itself, a
 * zone listed under two ids, a record other than a PTR at a member's label, a property namud does
 * not know), and a catalog of another schema version is not applied at all (RFC 9432 4.2.1).
 */
class BadCatalogTest {
  @TempDir Path tmp;

  @Test
  void badEntriesAreSkippedAndAnotherVersionIsNotApplied() throws Exception {
    Path zones = Files.createDirectories(tmp.resolve("zones"));
    for (String member : new String[] {"a", "b", "c"}) {
      Files.writeString(zones.resolve(member + ".test.zone"), "$ORIGIN " + member + ".test.\n$TTL 300\n"
          + "@ IN SOA ns1 hostmaster 1 3600 600 86400 60\n@ IN NS ns1\nns1 IN A 192.0.2.53\n");
    }
    Path catalog = zones.resolve("catalog.test.zone");
    Files.writeString(catalog, catalog(1, "2",
        "m1.zones IN PTR a.test.\n"
            + "group.m1.zones IN TXT \"unknown property\"\n"
            + "m2.zones IN PTR b.test.\n"
            + "self.zones IN PTR catalog.test.\n"
            + "inside.zones IN PTR below.catalog.test.\n"
            + "twice1.zones IN PTR c.test.\n"
            + "twice2.zones IN PTR c.test.\n"
            + "text.zones IN TXT \"not a member\"\n"));
    int primaryPort = LoopbackPort.pick();
    try (NamudServer secondary = NamudServer.start("--listen", "127.0.61.3:0", "--data", tmp.resolve("s").toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion",
        "--secondary-catalog", "catalog.test=127.0.0.1:" + primaryPort)) {
      InetSocketAddress sec = secondary.boundAddresses().get(0);
      try (NamudServer primary = NamudServer.start("--listen", "127.0.0.1:" + primaryPort, "--zones",
          zones.toString(), "--data", tmp.resolve("p").toString(), "--no-api", "--no-metrics", "--no-recursion",
          "--allow-transfer", "catalog.test=127.0.0.0/8", "--allow-transfer", "a.test=127.0.0.0/8",
          "--allow-transfer", "b.test=127.0.0.0/8", "--allow-transfer", "c.test=127.0.0.0/8",
          "--also-notify", "catalog.test=127.0.61.3:" + sec.getPort())) {
        await(() -> serves(sec, "a.test") && serves(sec, "b.test"), "the catalog's good members served");
        assertEquals(1, serial(sec));
        // listed twice: which id is its own is unknown, so it is no member
        assertEquals(Rcode.REFUSED, rcode(sec, "c.test"));
        // the catalog itself and a name in it are no members either: a.test and b.test alone
        assertEquals(java.util.List.of("a.test.", "b.test.", "catalog.test."),
            secondary.admin().secondaries().statuses().stream().map(s -> s.origin().toString()).toList());

        // version 1: the whole catalog is left as it was, b.test stays a member
        Files.writeString(catalog, catalog(2, "1", "m1.zones IN PTR a.test.\n"));
        primary.admin().reload();
        await(() -> serial(sec) == 2, "the secondary holding the catalog's serial 2");
        // the members follow a catalog right after its copy is served; give it the time of an AXFR more
        Thread.sleep(500);
        assertTrue(serves(sec, "b.test"), "a catalog of version 1 was applied: b.test dropped");
        assertTrue(serves(sec, "a.test"));

        // version 2 again, without b.test: applied
        Files.writeString(catalog, catalog(3, "2", "m1.zones IN PTR a.test.\n"));
        primary.admin().reload();
        await(() -> rcode(sec, "b.test") == Rcode.REFUSED, "b.test dropped by the catalog of version 2");
        assertTrue(serves(sec, "a.test"));
      }
    }
  }

  private static String catalog(long serial, String version, String members) {
    return "$ORIGIN catalog.test.\n$TTL 0\n"
        + "@ IN SOA invalid. invalid. " + serial + " 3600 600 2147483646 0\n"
        + "@ IN NS invalid.\n"
        + "version IN TXT \"" + version + "\"\n" + members;
  }

  private static long serial(InetSocketAddress server) {
    Message reply = CatalogPeers.soa(server, "catalog.test");
    if (reply != null) {
      for (var r : reply.getSection(Section.ANSWER)) {
        if (r instanceof SOARecord soa) {
          return soa.getSerial();
        }
      }
    }
    return -1;
  }
}
