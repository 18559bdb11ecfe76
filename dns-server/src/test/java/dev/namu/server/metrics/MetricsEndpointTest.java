package dev.namu.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.NamudStartException;
import dev.namu.server.TestZones;
import dev.namu.server.admin.StoreOpener;
import dev.namu.server.config.NamudCommandLine;
import dev.namu.zones.store.memory.MemoryZoneStore;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

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

  /**
   * Queries of several types over UDP and TCP, a malformed packet and a runt, admin API edits that
   * succeed, are refused and conflict, a signed UPDATE and an unsigned one, a name forwarded to a
   * loopback server that never answers and one forwarded to a server that does: each counter
   * moves by exactly what was sent, also after a garbage collection. UDP queries are sent once
   * each (a retry would be a second query), with a timeout far longer than the silent upstream's.
   */
  @Test
  void everyOutcomeMovesItsCounterByExactlyWhatWasSent() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        DatagramSocket answering = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      AtomicInteger answered = new AtomicInteger();
      Thread upstream = new Thread(() -> answerEverything(answering, answered), "answering-upstream");
      upstream.setDaemon(true);
      upstream.start();
      Path zones = TestZones.copyTo(Files.createDirectories(dir.resolve("zones")));
      try (NamudServer server = NamudServer.start("--listen", "127.0.0.1:0", "--zones", zones.toString(),
          "--data", dir.resolve("data").toString(), "--api", "127.0.0.1:0", "--metrics", "127.0.0.1:0",
          "--forward", "127.0.0.1:" + silent.getLocalPort(),
          "--forward-zone", "answers.test=127.0.0.1:" + answering.getLocalPort())) {
        InetSocketAddress at = server.boundAddresses().get(0);
        Scrape scrape = new Scrape(server.metricsAddress().orElseThrow());
        Api api = new Api(server, dir.resolve("data"));
        String key = api.send("POST", "keys", "{\"name\":\"acme\"}").body();
        byte[] secret = Base64.getDecoder().decode(new ObjectMapper().readTree(key).get("secret").asText());
        Map<String, Double> before = scrape.samples();

        // zone edits: two applied, one refused for its data, one at odds with the zone as it is
        assertEquals(201, api.send("POST", "zones", "{\"name\":\"metrics.test\"}").statusCode());
        assertEquals(200, api.send("POST", "zones/metrics.test/records",
            "{\"name\":\"www\",\"type\":\"A\",\"data\":\"192.0.2.80\"}").statusCode());
        int bad = api.send("POST", "zones/metrics.test/records",
            "{\"name\":\"www\",\"type\":\"A\",\"data\":\"not-an-address\"}").statusCode();
        assertTrue(bad / 100 == 4 && bad != 409 && bad != 412, "refused: " + bad);
        assertEquals(409, api.send("POST", "zones", "{\"name\":\"metrics.test\"}").statusCode());
        assertEquals(200, api.send("GET", "zones/metrics.test", "").statusCode(), "a read is no edit");

        // queries by type: UDP A x3, AAAA, MX, SPF (not named: "other"); TCP A, TXT, SOA, CAA
        int[] udpTypes = {Type.A, Type.A, Type.A, Type.AAAA, Type.MX, Type.SPF};
        String[] udpNames = {"www", "www", "nothere", "www", "@", "www"};
        for (int i = 0; i < udpTypes.length; i++) {
          udpOnce(at, name(udpNames[i]), udpTypes[i]);
        }
        int[] tcpTypes = {Type.A, Type.TXT, Type.SOA, Type.CAA};
        for (int t : tcpTypes) {
          DnsWire.tcp(at, DnsWire.query("www.example.test.", t));
        }
        // a question cut short (FORMERR from the decoder) and a runt (dropped)
        byte[] cut = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w'};
        Message formerr = new Message(DnsWire.udp(at, cut, LONG_MS));
        assertEquals(Rcode.FORMERR, formerr.getRcode());
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
          s.send(new DatagramPacket(new byte[] {1, 2, 3, 4, 5}, 5, at));
        }

        // UPDATE: signed (applied), unsigned (REFUSED)
        TSIG acme = new TSIG(TSIG.HMAC_SHA256, Name.fromString("acme."), new SecretKeySpec(secret, "HmacSHA256"));
        Update signed = new Update(Name.fromString("metrics.test."));
        signed.add(Name.fromString("acme.metrics.test."), Type.TXT, 60, "\"token\"");
        signed.setTSIG(acme);
        expect(Rcode.NOERROR, tcp(at, signed.toWire(Message.MAXLENGTH)));
        Update unsigned = new Update(Name.fromString("metrics.test."));
        unsigned.add(Name.fromString("other.metrics.test."), Type.TXT, 60, "\"token\"");
        expect(Rcode.REFUSED, DnsWire.tcp(at, unsigned));

        // recursion: the silent forwarder times out (SERVFAIL), the other one answers
        expect(Rcode.SERVFAIL, udpOnce(at, "www.example.org.", Type.A));
        expect(Rcode.NOERROR, udpOnce(at, "host.answers.test.", Type.A));
        int timedOut = drain(silent);
        assertTrue(timedOut >= 1, "the silent upstream was asked");

        // a connection held open; and a collection, which must not take what the meters read
        Map<String, Double> after;
        try (Socket open = new Socket(at.getAddress(), at.getPort())) {
          open.setSoTimeout(LONG_MS);
          DnsWire.writeFrame(open, DnsWire.query("www.example.test.", Type.NS).toWire());
          DnsWire.readFrame(open);
          System.gc();
          after = scrape.samples();
        }
        assertTrue(after.get("namu_tcp_connections") >= 1, after.toString());
        int dns = 1 + udpTypes.length + tcpTypes.length + 1 + 2 + 2;
        assertEquals(dns + 1, delta(before, after, "namu_queries_received_total"), "and the runt");
        assertEquals(dns, delta(before, after, "namu_replies_total"));
        assertEquals(1, delta(before, after, "namu_malformed_total"));
        assertEquals(1, delta(before, after, "namu_dropped_total", "reason", "runt"));
        assertEquals(6, delta(before, after, "namu_replies_by_qtype_total", "qtype", "A"));
        assertEquals(2, delta(before, after, "namu_replies_by_qtype_total", "qtype", "A", "source", "resolver"));
        assertEquals(1, delta(before, after, "namu_replies_by_qtype_total", "qtype", "AAAA"));
        assertEquals(1, delta(before, after, "namu_replies_by_qtype_total", "qtype", "MX"));
        assertEquals(1, delta(before, after, "namu_replies_by_qtype_total", "qtype", "TXT"));
        assertEquals(1, delta(before, after, "namu_replies_by_qtype_total", "qtype", "SOA"));
        assertEquals(1, delta(before, after, "namu_replies_by_qtype_total", "qtype", "CAA"));
        assertEquals(1, delta(before, after, "namu_replies_by_qtype_total", "qtype", "other"));
        assertEquals(1, delta(before, after, "namu_replies_by_qtype_total", "qtype", "NS"));
        // every reply to a QUERY with a question, and nothing else (UPDATEs, the question-less FORMERR)
        assertEquals(dns - 3, delta(before, after, "namu_replies_by_qtype_total"));
        assertEquals(1, delta(before, after, "namu_updates_total", "rcode", "NOERROR"));
        assertEquals(1, delta(before, after, "namu_updates_total", "rcode", "REFUSED"));
        assertEquals(2, delta(before, after, "namu_updates_total"));
        assertEquals(2, delta(before, after, "namu_api_edits_total", "result", "ok"));
        assertEquals(1, delta(before, after, "namu_api_edits_total", "result", "rejected"));
        assertEquals(1, delta(before, after, "namu_api_edits_total", "result", "conflict"));
        assertEquals(0, delta(before, after, "namu_api_edits_total", "result", "error"));
        assertEquals(timedOut, delta(before, after, "namu_resolver_upstream_timeouts_total"));
        assertEquals(timedOut + answered.get(), delta(before, after, "namu_resolver_upstream_queries_total"));
        assertEquals(answered.get(), delta(before, after, "namu_resolver_upstream_rtt_seconds_count"));
        assertTrue(delta(before, after, "namu_resolver_upstream_rtt_seconds_sum") > 0, after.toString());
      }
    }
  }

  /** Generous for a loaded machine: the silent upstream's SERVFAIL comes after two server timeouts. */
  private static final int LONG_MS = 20_000;

  private static String name(String label) {
    return label.equals("@") ? "example.test." : label + ".example.test.";
  }

  private static Message udpOnce(InetSocketAddress at, String name, int type) throws Exception {
    byte[] reply = DnsWire.udp(at, DnsWire.query(name, type).toWire(), LONG_MS);
    assertNotNull(reply, "no reply to " + name + " " + Type.string(type));
    return new Message(reply);
  }

  /** One message over TCP as it is (the toWire of a message with a TSIG signs it). */
  private static Message tcp(InetSocketAddress at, byte[] wire) throws Exception {
    try (Socket s = new Socket(at.getAddress(), at.getPort())) {
      s.setSoTimeout(LONG_MS);
      DnsWire.writeFrame(s, wire);
      return new Message(DnsWire.readFrame(s));
    }
  }

  /** The queries waiting at the silent upstream: all there, as loopback delivers on send. */
  private static int drain(DatagramSocket silent) throws Exception {
    silent.setSoTimeout(500);
    int n = 0;
    byte[] buf = new byte[65535];
    while (true) {
      try {
        silent.receive(new DatagramPacket(buf, buf.length));
        n++;
      } catch (SocketTimeoutException e) {
        return n;
      }
    }
  }

  /** An upstream that answers every query with an address, counting them. */
  private static void answerEverything(DatagramSocket socket, AtomicInteger answered) {
    byte[] buf = new byte[65535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        Message query = new Message(Arrays.copyOf(buf, p.getLength()));
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RD);
        reply.getHeader().setFlag(Flags.RA);
        reply.addRecord(query.getQuestion(), Section.QUESTION);
        reply.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60,
            InetAddress.getByName("192.0.2.7")), Section.ANSWER);
        byte[] wire = reply.toWire();
        answered.incrementAndGet();
        socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
      } catch (IOException e) {
        // closed at the end of the test, or a datagram that is no query
      }
    }
  }

  /** The admin API over HTTP, with namud's token. */
  private record Api(NamudServer server, Path data) {
    HttpResponse<String> send(String method, String path, String body) throws Exception {
      String token = Files.readString(data.resolve("api-token")).trim();
      return HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                  + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/" + path))
              .header("Authorization", "Bearer " + token)
              .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                  : HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
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
