package dev.namu.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.TestZones;
import dev.namu.server.peers.ProjectRoot;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** The Grafana dashboard shipped beside namud asks only for metrics namud exports. */
class GrafanaDashboardTest {
  private static final Pattern METRIC = Pattern.compile("\\bnamu_[a-z0-9_]+");

  @TempDir Path dir;

  @Test
  void everyExpressionNamesAMetricNamudExports() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(
        ProjectRoot.find().resolve("dns-server/src/main/dist/grafana-namud.json").toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.path("expr").asText());
      }
    }
    assertTrue(exprs.size() >= 10, "the dashboard has its panels: " + exprs);

    Path zones = TestZones.copyTo(Files.createDirectories(dir.resolve("zones")));
    // recursion on (forwarding to a loopback port nothing is asked of) for the resolver's metrics
    try (NamudServer server = NamudServer.start("--listen", "127.0.0.1:0", "--zones", zones.toString(),
        "--no-api", "--data", dir.resolve("data").toString(), "--forward", "127.0.0.1:9",
        "--metrics", "127.0.0.1:0")) {
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
      Set<String> missing = new TreeSet<>();
      int named = 0;
      for (String expr : exprs) {
        Matcher m = METRIC.matcher(expr);
        boolean any = false;
        while (m.find()) {
          any = true;
          if (!exported.contains(m.group())) {
            missing.add(m.group());
          }
        }
        assertTrue(any, "an expression without a namu metric: " + expr);
        named++;
      }
      assertEquals(exprs.size(), named);
      assertEquals(Set.of(), missing, "the dashboard asks for metrics namud does not export: " + exported);
    }
  }
}
