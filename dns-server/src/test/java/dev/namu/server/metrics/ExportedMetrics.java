package dev.namu.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.TestZones;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** The names of the samples a namud exports once it has answered a query and an UPDATE. */
final class ExportedMetrics {
  private ExportedMetrics() {}

  /** Starts namud in {@code dir} with recursion on, makes every kind of metric appear, scrapes it. */
  static Set<String> names(Path dir) throws Exception {
    Path zones = TestZones.copyTo(Files.createDirectories(dir.resolve("zones")));
    // recursion on (forwarding to a loopback port nothing is asked of) for the resolver's metrics,
    // and a secondary zone whose primary (the discard port on loopback) never answers, for theirs
    try (NamudServer server = NamudServer.start("--listen", "127.0.0.1:0", "--zones", zones.toString(),
        "--no-api", "--data", dir.resolve("data").toString(), "--forward", "127.0.0.1:9",
        "--secondary", "secondary.test=127.0.0.1:9", "--metrics", "127.0.0.1:0")) {
      InetSocketAddress at = server.boundAddresses().get(0);
      // a reply, so that the reply counters have their first kinds listed
      assertEquals(Rcode.NOERROR, DnsWire.udp(at, DnsWire.query("www.example.test.", Type.A)).getRcode());
      // and an UPDATE (refused: no key), so that the UPDATEs by rcode have theirs
      Update update = new Update(Name.fromString("example.test."));
      update.add(Name.fromString("new.example.test."), Type.A, 60, "192.0.2.9");
      assertEquals(Opcode.UPDATE, DnsWire.udp(at, update).getHeader().getOpcode());
      Set<String> exported = new TreeSet<>();
      for (String sample : new Scrape(server.metricsAddress().orElseThrow()).samples().keySet()) {
        int brace = sample.indexOf('{');
        exported.add(brace < 0 ? sample : sample.substring(0, brace));
      }
      return exported;
    }
  }
}
