package dev.namu.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.NamudStartException;
import dev.namu.server.TestZones;
import dev.namu.server.admin.StoreOpener;
import dev.namu.server.config.NamudCommandLine;
import dev.namu.zones.store.memory.MemoryZoneStore;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** namud's metrics listener over HTTP, after real DNS queries over UDP and TCP. */
class MetricsEndpointTest {
  @TempDir Path dir;

  private String[] flags(String... more) throws Exception {
    Path zones = TestZones.copyTo(Files.createDirectories(dir.resolve("zones")));
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("--listen", "127.0.0.1:0",
        "--zones", zones.toString(), "--no-api", "--no-recursion", "--data", dir.resolve("data").toString()));
    all.addAll(java.util.List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void readyOnceTheStoreIsOpenAndRepliesCountedExactly() throws Exception {
    CountDownLatch opening = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StoreOpener held = config -> {
      opening.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new MemoryZoneStore();
    };
    try (NamudServer server =
        NamudServer.launch(NamudCommandLine.parse(flags("--metrics", "127.0.0.1:0")), held)) {
      assertTrue(opening.await(30, TimeUnit.SECONDS), "the store opener runs");
      Scrape scrape = new Scrape(server.metricsAddress().orElseThrow());
      assertEquals(200, scrape.get("/health").statusCode());
      HttpResponse<String> notReady = scrape.get("/ready");
      assertEquals(503, notReady.statusCode(), notReady.body());

      release.countDown();
      server.awaitStore();
      assertEquals(200, scrape.get("/ready").statusCode());
      assertEquals(200, scrape.get("/health").statusCode());
      assertEquals(404, scrape.get("/nothing").statusCode());

      InetSocketAddress at = server.boundAddresses().get(0);
      Map<String, Double> before = scrape.samples();
      // UDP: 3 answers, 2 NXDOMAIN, 1 REFUSED; TCP: 2, 1, 1
      for (int i = 0; i < 3; i++) {
        expect(Rcode.NOERROR, DnsWire.udp(at, DnsWire.query("www.example.test.", Type.A)));
      }
      for (int i = 0; i < 2; i++) {
        expect(Rcode.NXDOMAIN, DnsWire.udp(at, DnsWire.query("nothere.example.test.", Type.A)));
      }
      expect(Rcode.REFUSED, DnsWire.udp(at, DnsWire.query("www.example.org.", Type.A)));
      for (int i = 0; i < 2; i++) {
        expect(Rcode.NOERROR, DnsWire.tcp(at, DnsWire.query("www.example.test.", Type.AAAA)));
      }
      expect(Rcode.NXDOMAIN, DnsWire.tcp(at, DnsWire.query("nothere.example.test.", Type.A)));
      expect(Rcode.REFUSED, DnsWire.tcp(at, DnsWire.query("www.example.org.", Type.A)));
      Map<String, Double> after = scrape.samples();

      assertEquals(10, delta(before, after, "namu_queries_received_total"));
      assertEquals(10, delta(before, after, "namu_replies_total"));
      assertEquals(3, delta(before, after, "namu_replies_total", "transport", "udp", "rcode", "NOERROR"));
      assertEquals(2, delta(before, after, "namu_replies_total", "transport", "udp", "rcode", "NXDOMAIN"));
      assertEquals(1, delta(before, after, "namu_replies_total", "transport", "udp", "rcode", "REFUSED"));
      assertEquals(2, delta(before, after, "namu_replies_total", "transport", "tcp", "rcode", "NOERROR"));
      assertEquals(1, delta(before, after, "namu_replies_total", "transport", "tcp", "rcode", "NXDOMAIN"));
      assertEquals(1, delta(before, after, "namu_replies_total", "transport", "tcp", "rcode", "REFUSED"));
      assertEquals(10, delta(before, after, "namu_replies_total", "opcode", "QUERY"));
      assertEquals(0, delta(before, after, "namu_dropped_total"));
      // every reply of the general path is timed (the prepared copies are not), none of the resolver
      double general = delta(before, after, "namu_replies_total", "source", "zone");
      assertTrue(general >= 2, "REFUSED over UDP and TCP take the general path: " + after);
      assertEquals(general, delta(before, after, "namu_answer_duration_seconds_count", "source", "zone"));
      assertEquals(general, delta(before, after, "namu_answer_duration_seconds_bucket", "source", "zone",
          "le", "+Inf"));
      assertEquals(0, delta(before, after, "namu_answer_duration_seconds_count", "source", "resolver"));
      // the zone served, as a gauge of the published zone set
      assertEquals(2024010101, after.get("namu_zone_serial{zone=\"example.test.\"}"));
      assertTrue(after.get("namu_zone_records{zone=\"example.test.\"}") > 10, after.toString());
    }
  }

  @Test
  void openMetricsWhenTheScraperAsksForIt() throws Exception {
    try (NamudServer server = NamudServer.start(flags("--metrics", "127.0.0.1:0"))) {
      Scrape scrape = new Scrape(server.metricsAddress().orElseThrow());
      HttpResponse<String> om = scrape.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
      assertEquals(200, om.statusCode());
      assertTrue(om.headers().firstValue("content-type").orElse("").startsWith("application/openmetrics-text"));
      assertTrue(om.body().endsWith("# EOF\n"), om.body());
      HttpResponse<String> text = scrape.get("/metrics");
      assertTrue(text.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
      assertTrue(text.body().contains("# TYPE namu_queries_received_total counter"), text.body());
    }
  }

  @Test
  void anExplicitAddressInUseStopsNamudWithOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      NamudStartException e = assertThrows(NamudStartException.class,
          () -> NamudServer.start(flags("--metrics", address)).close());
      assertTrue(e.getMessage().startsWith("cannot serve metrics on " + address + " ("), e.getMessage());
      assertTrue(e.getMessage().endsWith("choose another with --metrics ADDR:PORT, or --no-metrics"), e.getMessage());
    }
  }

  @Test
  void badFlagsAreOneLineErrors() {
    IllegalArgumentException noPort =
        assertThrows(IllegalArgumentException.class, () -> NamudCommandLine.parse("--metrics", "127.0.0.1"));
    assertEquals("--metrics 127.0.0.1: expected ADDR:PORT, e.g. 127.0.0.1:9153", noPort.getMessage());
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> NamudCommandLine.parse("--metrics", "127.0.0.1:1", "--no-metrics"));
    assertEquals("--metrics and --no-metrics contradict each other", both.getMessage());
    assertTrue(NamudCommandLine.parse("--no-metrics").metrics().listen().isEmpty());
    assertEquals(9153, NamudCommandLine.parse().metrics().listen().orElseThrow().getPort());
  }

  @Test
  void offMeansNoListener() throws Exception {
    try (NamudServer server = NamudServer.start(flags("--no-metrics"))) {
      assertTrue(server.metricsAddress().isEmpty());
    }
  }

  private static void expect(int rcode, Message reply) {
    assertEquals(Rcode.string(rcode), Rcode.string(reply.getRcode()));
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String name, String... labels) {
    return Scrape.sum(after, name, labels) - Scrape.sum(before, name, labels);
  }
}
