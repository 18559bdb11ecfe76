package dev.namu.server.catalog;

import static dev.namu.server.catalog.CatalogPeers.createZone;
import static dev.namu.server.catalog.CatalogPeers.serves;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamudServer;
import dev.namu.server.peers.DaemonPeer;
import dev.namu.server.peers.KnotServer;
import dev.namu.server.peers.SecondaryServers;
import dev.namu.server.peers.ToolLocator;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * Knot reads namud's catalog zone ({@code catalog-role: interpret}): it transfers the catalog from a
 * namud primary, then each zone the catalog lists, and serves them. Skipped, with the reason, when
 * knotd is not installed.
 */
class CatalogInteropTest {
  @TempDir Path tmp;

  @Test
  void knotServesTheZonesNamudsCatalogLists() throws Exception {
    assumeTrue(KnotServer.binary().isPresent(), ToolLocator.missing("knotd", "knot"));
    Path data = tmp.resolve("primary");
    try (NamudServer primary = NamudServer.start("--listen", "127.0.0.1:0", "--data", data.toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion",
        "--catalog-zone", "catalog.invalid", "--allow-transfer", "catalog.invalid=127.0.0.0/8")) {
      InetSocketAddress pri = primary.boundAddresses().get(0);
      // Knot is told of nothing: it reads the catalog and its members when it starts
      InetSocketAddress nobody = new InetSocketAddress("127.0.61.9", 9);
      createZone(primary, data, "one.test", nobody);
      createZone(primary, data, "two.test", nobody);
      CatalogPeers.await(() -> CatalogPeers.soa(pri, "catalog.invalid") != null
          && CatalogPeers.soa(pri, "catalog.invalid").getSection(org.xbill.DNS.Section.ANSWER).size() == 1
          && primaryLists(primary, 2), "namud's catalog listing both zones");
      // started once it answers both members with authority
      try (DaemonPeer knot = SecondaryServers.knotCatalogConsumer(pri.getPort(), Name.fromConstantString(
          "catalog.invalid."), List.of(Name.fromConstantString("one.test."), Name.fromConstantString("two.test.")))) {
        assertTrue(serves(knot.address(), "one.test"), knot.log());
        assertTrue(serves(knot.address(), "two.test"), knot.log());
      }
    }
  }

  /** True when the catalog namud serves lists {@code n} zones. */
  private static boolean primaryLists(NamudServer primary, int n) {
    var catalog = primary.zones().current().zone(Name.fromConstantString("catalog.invalid."));
    if (catalog == null) {
      return false;
    }
    try {
      return CatalogZone.members(catalog).size() == n;
    } catch (CatalogZone.BrokenCatalog e) {
      return false;
    }
  }
}
