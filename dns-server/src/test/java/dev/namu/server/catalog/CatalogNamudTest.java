package dev.namu.server.catalog;

import static dev.namu.server.catalog.CatalogPeers.api;
import static dev.namu.server.catalog.CatalogPeers.await;
import static dev.namu.server.catalog.CatalogPeers.createZone;
import static dev.namu.server.catalog.CatalogPeers.rcode;
import static dev.namu.server.catalog.CatalogPeers.rcodeOfA;
import static dev.namu.server.catalog.CatalogPeers.serves;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.NamudServer;
import dev.namu.server.peers.LoopbackPort;
import dev.namu.server.secondary.SecondaryStatus;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * A namud primary that publishes a catalog of its stored zones, and a namud secondary of that
 * catalog, both on loopback: a zone created through the primary's API is served by the secondary
 * after the catalog's NOTIFY, a zone deleted there is no longer served by the secondary (REFUSED,
 * as any name it does not serve) and its stored copy is gone, and a zone deleted and created again
 * (a new unique id) is transferred anew.
 */
class CatalogNamudTest {
  private static final Name CATALOG = Name.fromConstantString("catalog.invalid.");

  @TempDir Path tmp;

  @Test
  void theSecondaryServesTheZonesThePrimaryListsAsTheyComeAndGo() throws Exception {
    Path primaryData = tmp.resolve("primary");
    Path secondaryData = tmp.resolve("secondary");
    // NOTIFY leaves the primary from 127.0.0.1: that is the address the secondary knows it by
    int primaryPort = LoopbackPort.pick();
    try (NamudServer secondary = NamudServer.start("--listen", "127.0.61.2:0", "--data", secondaryData.toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion",
        "--secondary-catalog", "catalog.invalid=127.0.0.1:" + primaryPort)) {
      InetSocketAddress sec = secondary.boundAddresses().get(0);
      try (NamudServer primary = NamudServer.start("--listen", "127.0.0.1:" + primaryPort, "--data",
          primaryData.toString(), "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion",
          "--catalog-zone", "catalog.invalid", "--allow-transfer", "catalog.invalid=127.0.0.0/8",
          "--also-notify", "catalog.invalid=127.0.61.2:" + sec.getPort())) {
        InetSocketAddress pri = primary.boundAddresses().get(0);
        assertTrue(serves(pri, "catalog.invalid"), "the primary serves its catalog");
        assertEquals(Rcode.REFUSED, rcode(sec, "one.test"), "no member yet");

        createZone(primary, primaryData, "one.test", sec);
        await(() -> serves(sec, "one.test"), "one.test served by the secondary");
        SecondaryStatus member = secondary.admin().secondaries().status(Name.fromConstantString("one.test."));
        assertEquals(Optional.of(CATALOG), member.catalog(), member.toString());
        String list = api(secondary, secondaryData, "GET", "/api/v1/zones", null).body();
        assertTrue(list.contains("\"catalog\" : \"catalog.invalid.\""), list);
        // a member is the transfers' to write, as any secondary zone
        HttpResponse<String> edit = api(secondary, secondaryData, "DELETE", "/api/v1/zones/one.test", null);
        assertTrue(edit.statusCode() == 404 || edit.statusCode() == 409, edit.statusCode() + " " + edit.body());

        createZone(primary, primaryData, "two.test", sec);
        await(() -> serves(sec, "two.test"), "two.test served by the secondary");
        HttpResponse<String> added = api(primary, primaryData, "POST", "/api/v1/zones/two.test/records",
            "{\"name\": \"old\", \"type\": \"A\", \"data\": \"192.0.2.1\"}");
        assertTrue(added.statusCode() / 100 == 2, added.body());
        await(() -> rcodeOfA(sec, "old.two.test") == Rcode.NOERROR, "the edit of two.test on the secondary");

        HttpResponse<String> deleted = api(primary, primaryData, "DELETE", "/api/v1/zones/one.test", null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        await(() -> rcode(sec, "one.test") == Rcode.REFUSED, "one.test no longer served by the secondary");
        await(() -> secondary.admin().store().load(Name.fromConstantString("one.test.")).isEmpty(),
            "one.test's copy deleted from the secondary's store");
        assertTrue(serves(sec, "two.test"), "two.test is still a member");

        // deleted and created again: its serial is back to the first, older than the secondary's copy;
        // a new unique id, so the secondary resets the member and transfers it anew (RFC 9432 5.4)
        assertEquals(200, api(primary, primaryData, "DELETE", "/api/v1/zones/two.test", null).statusCode());
        createZone(primary, primaryData, "two.test", sec);
        await(() -> rcodeOfA(sec, "old.two.test") == Rcode.NXDOMAIN && serves(sec, "two.test"),
            "the new two.test served by the secondary, without the old one's record");
      }
    }
  }
}
