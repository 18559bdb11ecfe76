package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.cli.Namuctl;
import dev.namu.resolver.replay.ManualTicker;
import dev.namu.server.pipeline.AnswerTimes;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.config.NamudCommandLine;
import dev.namu.server.intake.Transport;
import dev.namu.server.pipeline.QueryProcessor;
import dev.namu.server.pipeline.Reply;
import dev.namu.server.pipeline.ReplyCounters;
import dev.namu.server.pipeline.UnloadedZones;
import dev.namu.server.resolved.ResolvedAnswers;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.registry.ZoneSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Copies of the resolver's replies (hot cache answers): byte for byte what the general path gives,
 * TTLs counting down on the resolver's clock, gone after a cache flush or a zone publish, and never
 * served to a client that may not recurse. Over a {@link TestHierarchy} on 127.0.0.x.
 */
class ResolvedAnswersTest {
  private static final int SLOW_MS = 15_000;
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);

  @TempDir static Path dir;
  static TestHierarchy hierarchy;

  @BeforeAll
  static void start() throws Exception {
    hierarchy = TestHierarchy.start(dir);
  }

  @AfterAll
  static void stop() {
    if (hierarchy != null) {
      hierarchy.close();
    }
  }

  /** A recursive namud over the hierarchy on a clock that stands still. */
  private static NamudServer recursor(String name, String... extra) throws IOException {
    return recursor(new ManualTicker(), name, extra);
  }

  /** A recursive namud over the hierarchy on a manual clock. */
  private static NamudServer recursor(ManualTicker clock, String name, String... extra) throws IOException {
    Path zones = Files.createDirectories(dir.resolve(name + "-zones"));
    List<String> args =
        new ArrayList<>(
            List.of(
                "--listen", "127.0.0.1:0", "--zones", zones.toString(),
                "--data", dir.resolve(name + "-data").toString(),
                "--root-hints", hierarchy.hints.toString(),
                "--upstream-port", Integer.toString(hierarchy.port), "--no-local-zone", "test"));
    if (List.of(extra).stream().noneMatch(e -> e.startsWith("--log-level"))) {
      args.addAll(List.of("--log-level", "WARN"));
    }
    args.addAll(List.of(extra));
    if (!args.contains("--api")) {
      args.add("--no-api");
      args.add("--no-metrics");
    }
    return NamudServer.start(NamudCommandLine.parse(args.toArray(String[]::new)), clock);
  }

  // ------------------------------------------------------------------ fast path = general path

  @Test
  void copiesGiveTheGeneralPathsBytesAsTtlsCountDown() throws Exception {
    ManualTicker clock = new ManualTicker();
    try (NamudServer server = recursor(clock, "equal")) {
      ResolverRecursion recursion = server.recursion().orElseThrow();
      ZoneRegistry registry = server.zones();
      ResolvedAnswers copies =
          new ResolvedAnswers(registry::current, ResolvedAnswers.DEFAULT_MAX_BYTES, clock);
      ReplyCounters fastCounters = new ReplyCounters();
      QueryProcessor fast =
          NamudServer.processor(
              registry, NamudServer.zoneLookup(), null, fastCounters, null, recursion, copies, UnloadedZones.NONE, AnswerTimes.NONE, null,
        dev.namu.server.config.RateLimitConfig.off());
      QueryProcessor general =
          NamudServer.processor(
              registry, NamudServer.zoneLookup(), null, new ReplyCounters(), null, recursion, null,
              UnloadedZones.NONE, AnswerTimes.NONE, null,
        dev.namu.server.config.RateLimitConfig.off());

      // every question of the hierarchy but the one behind a dead server (its timeouts are real)
      List<String[]> questions =
          TestHierarchy.QUESTIONS.stream()
              .filter(q -> !q.contains("dead."))
              .map(q -> q.split(" "))
              .toList();
      for (String[] q : questions) {
        run(general, DnsWire.query(q[0], Type.value(q[1])).toWire(), Transport.UDP);
      }

      Random random = new Random(11);
      int compared = 0;
      // At the time of the resolution, after 37.5 s (whole and fractional seconds both count
      // down alike), and after 51 s (negative answers, TTL 60, are then close to their prefetch
      // window; nothing is near expiry yet, so no prefetch changes the cache mid-comparison).
      for (double advance : new double[] {0, 37.5, 13.5}) {
        clock.advanceSeconds(advance);
        long hitsBefore = fastCounters.resolvedHits();
        for (String[] q : questions) {
          for (int shape = 0; shape < 5; shape++) {
            Transport transport = random.nextBoolean() ? Transport.UDP : Transport.TCP;
            byte[] warm = query(q[0], Type.value(q[1]), shape, random);
            byte[] asked = query(q[0], Type.value(q[1]), shape, random);
            run(fast, warm, transport);
            byte[] viaFast = run(fast, asked, transport);
            byte[] viaGeneral = run(general, asked, transport);
            assertArrayEquals(
                viaGeneral, viaFast,
                () -> "differs for " + String.join(" ", q) + " at +" + advance + " s:\n"
                    + parse(viaGeneral) + "\nvs\n" + parse(viaFast));
            compared++;
          }
        }
        long hits = fastCounters.resolvedHits() - hitsBefore;
        // NXDOMAIN, NODATA and answers are all copied: only SERVFAIL-free, whole replies are
        assertTrue(hits >= questions.size() * 5L, "copies used " + hits + " times at +" + advance);
      }
      assertTrue(compared >= 3 * 5 * 17, "compared " + compared);
      assertTrue(copies.size() >= questions.size(), "copies held: " + copies.size());
    }
  }

  /** A query in one of five EDNS shapes, with random case, ID, RD and CD. */
  private static byte[] query(String name, int type, int shape, Random random) throws Exception {
    Message q = DnsWire.query(randomCase(name, random), type);
    q.getHeader().setID(random.nextInt(65536));
    if (random.nextInt(4) == 0) {
      q.getHeader().unsetFlag(Flags.RD); // from the cache only
    }
    if (random.nextBoolean()) {
      q.getHeader().setFlag(Flags.CD);
    }
    switch (shape) {
      case 1 -> q.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
      case 2 -> q.addRecord(new OPTRecord(512, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
      // an NSID request: an option the copies serve (a cookie's reply is made for its client)
      case 3 -> q.addRecord(
          new OPTRecord(4096, 0, 0, 0, List.of(new GenericEDNSOption(EDNSOption.Code.NSID, new byte[0]))),
          Section.ADDITIONAL);
      case 4 -> q.addRecord(new OPTRecord(1400, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
      default -> {}
    }
    return q.toWire();
  }

  private static String randomCase(String s, Random random) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
    }
    return sb.toString();
  }

  private static byte[] run(QueryProcessor p, byte[] q, Transport t) throws Exception {
    Reply r = p.process(q, t, PEER, UnpooledByteBufAllocator.DEFAULT);
    ByteBuf b =
        r instanceof Reply.Now now
            ? now.wire()
            : ((Reply.Later) r).wire().toCompletableFuture().get(SLOW_MS, TimeUnit.MILLISECONDS);
    assertNotNull(b, "no reply");
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  private static String parse(byte[] wire) {
    try {
      return new Message(wire).toString();
    } catch (IOException e) {
      return "unparseable: " + e;
    }
  }

  // ------------------------------------------------------------------ over a real socket

  @Test
  void ttlsCountDownAndNearExpiryTheGeneralPathPrefetches() throws Exception {
    ManualTicker clock = new ManualTicker();
    try (NamudServer server = recursor(clock, "ttl")) {
      InetSocketAddress a = server.boundAddresses().get(0);
      ReplyCounters counters = server.counters();

      Message first = ask(a, "www.alpha.test.");
      assertEquals(List.of("www.alpha.test. 300 A 192.0.2.1"), answers(first));
      assertEquals(0, counters.resolvedHits(), "resolved by the general path");

      Message again = ask(a, "WwW.ALPHA.tEsT.");
      assertEquals(1, counters.resolvedHits(), "answered from the copy");
      assertEquals("WwW.ALPHA.tEsT.", again.getQuestion().getName().toString(), "the client's case");
      assertEquals(List.of("WwW.ALPHA.tEsT. 300 A 192.0.2.1"), answers(again));
      assertTrue(again.getHeader().getFlag(Flags.RA));
      assertTrue(again.getHeader().getFlag(Flags.RD));
      assertFalse(again.getHeader().getFlag(Flags.AA));

      clock.advanceSeconds(100.25);
      assertEquals(List.of("www.alpha.test. 199 A 192.0.2.1"), answers(ask(a, "www.alpha.test.")));
      assertEquals(2, counters.resolvedHits(), "still the copy, counted down");

      // 29 s left: under a tenth of 300, so the general path answers and the resolver prefetches
      clock.advanceSeconds(170.75);
      long prefetchesBefore = server.recursion().orElseThrow().resolver().stats().prefetches();
      assertEquals(List.of("www.alpha.test. 29 A 192.0.2.1"), answers(ask(a, "www.alpha.test.")));
      assertEquals(2, counters.resolvedHits(), "near expiry: not from the copy");
      assertEquals(
          prefetchesBefore + 1, server.recursion().orElseThrow().resolver().stats().prefetches(),
          "the general path started a prefetch");
      waitForNothingInFlight(server);

      // the prefetched answer is served in full, then copied again
      assertEquals(List.of("www.alpha.test. 300 A 192.0.2.1"), answers(ask(a, "www.alpha.test.")));
      assertEquals(List.of("www.alpha.test. 300 A 192.0.2.1"), answers(ask(a, "www.alpha.test.")));
      assertEquals(3, counters.resolvedHits(), "copied again after the prefetch");

      // negative answers count down too (RFC 2308: the SOA's TTL, here min(300, MINIMUM 60))
      Message nx = ask(a, "nope.alpha.test.");
      assertEquals(Rcode.NXDOMAIN, nx.getRcode());
      clock.advanceSeconds(10);
      Message nx2 = ask(a, "nope.alpha.test.");
      assertEquals(Rcode.NXDOMAIN, nx2.getRcode());
      assertEquals(4, counters.resolvedHits(), "NXDOMAIN from the copy");
      assertEquals(50, nx2.getSection(Section.AUTHORITY).get(0).getTTL());
    }
  }

  @Test
  void namuctlCacheFlushDropsTheCopies() throws Exception {
    try (NamudServer server = recursor("flush", "--api", "127.0.0.1:0", "--no-metrics")) {
      InetSocketAddress a = server.boundAddresses().get(0);
      ReplyCounters counters = server.counters();
      ask(a, "www.alpha.test.");
      ask(a, "www.beta.example.");
      ask(a, "www.alpha.test.");
      assertEquals(1, counters.resolvedHits());
      assertEquals(2, server.recursion().orElseThrow().copies().size());

      String api = "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int exit =
          Namuctl.execute(
              new PrintWriter(out), new PrintWriter(err), "cache", "flush", "beta.example",
              "--server", api, "--data", dir.resolve("flush-data").toString());
      assertEquals(0, exit, out + "\n" + err);
      assertEquals(0, server.recursion().orElseThrow().copies().size(), "all copies dropped");

      // the flushed name is resolved again (an upstream query), not served from a copy
      long upstream = server.recursion().orElseThrow().resolver().stats().upstreamQueries();
      assertEquals(List.of("www.beta.example. 300 A 192.0.2.2"), answers(ask(a, "www.beta.example.")));
      assertEquals(1, counters.resolvedHits());
      assertTrue(
          server.recursion().orElseThrow().resolver().stats().upstreamQueries() > upstream,
          "asked upstream again");
      // a name not flushed comes from the resolver's cache by the general path, then is copied
      ask(a, "www.alpha.test.");
      assertEquals(1, counters.resolvedHits());
      ask(a, "www.alpha.test.");
      assertEquals(2, counters.resolvedHits());
    }
  }

  @Test
  void aSmallCacheSizeHoldsTheCopiesToTheirQuarterOfIt() throws Exception {
    // --cache-size 64k: the copies get 16 KiB. 400 NXDOMAIN replies, each kept with its key and
    // overhead at some 250 bytes, would take about 100 KiB.
    try (NamudServer server = recursor("share", "--cache-size", "64k", "--api", "127.0.0.1:0", "--no-metrics")) {
      InetSocketAddress a = server.boundAddresses().get(0);
      long most = 0;
      for (int i = 0; i < 400; i++) {
        assertEquals(Rcode.NXDOMAIN, ask(a, "nx-" + i + ".alpha.test.").getRcode());
        if (i % 50 == 49) {
          JsonNode cache = status(server, "share").get("cache");
          assertTrue(cache.get("replyCopies").asLong() > 0, "copies kept: " + cache);
          most = Math.max(most, cache.get("replyCopyBytes").asLong());
        }
      }
      assertTrue(most > 0 && most <= 16 * 1024, "the copies held " + most + " bytes, more than their 16 KiB");
    }
  }

  @Test
  void aSmallCacheSizeInEntriesHoldsAQuarterAsManyCopies() throws Exception {
    try (NamudServer server = recursor("count", "--cache-size", "200", "--api", "127.0.0.1:0", "--no-metrics")) {
      InetSocketAddress a = server.boundAddresses().get(0);
      long most = 0;
      for (int i = 0; i < 150; i++) {
        assertEquals(Rcode.NXDOMAIN, ask(a, "nx-" + i + ".alpha.test.").getRcode());
        most = Math.max(most, status(server, "count").get("cache").get("replyCopies").asLong());
      }
      assertTrue(most > 0 && most <= 50, "the copies held " + most + " replies, more than 50");
    }
  }

  /** {@code GET /api/v1/status} of a recursor started with {@code --api}. */
  private static JsonNode status(NamudServer server, String name) throws Exception {
    String token = Files.readString(dir.resolve(name + "-data").resolve("api-token")).trim();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/status"))
            .header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void clientsThatMayNotRecurseNeverGetACopy() throws Exception {
    try (NamudServer server = recursor("acl", "--allow-recursion", "127.0.0.2/32")) {
      InetSocketAddress a = server.boundAddresses().get(0);
      InetAddress allowed = InetAddress.getByName("127.0.0.2");
      InetAddress denied = InetAddress.getByName("127.0.0.1");
      ReplyCounters counters = server.counters();
      byte[] q = DnsWire.query("www.alpha.test.", Type.A).toWire();
      assertEquals(Rcode.NOERROR, udpFrom(allowed, a, q).getRcode());
      assertEquals(Rcode.NOERROR, udpFrom(allowed, a, q).getRcode());
      assertEquals(1, counters.resolvedHits(), "the allowed client got the copy");

      Message refused = udpFrom(denied, a, q);
      assertEquals(Rcode.REFUSED, refused.getRcode());
      assertFalse(refused.getHeader().getFlag(Flags.RA));
      assertTrue(refused.getSection(Section.ANSWER).isEmpty());
      assertEquals(1, counters.resolvedHits(), "no copy for a client outside --allow-recursion");
    }
  }

  @Test
  void aZoneNowServedWinsOverACopy() throws Exception {
    try (NamudServer server = recursor("publish")) {
      InetSocketAddress a = server.boundAddresses().get(0);
      ReplyCounters counters = server.counters();
      ask(a, "www.alpha.test.");
      ask(a, "www.alpha.test.");
      assertEquals(1, counters.resolvedHits());

      ZoneSet before = server.zones().current();
      Path file = dir.resolve("alpha.test.local");
      Files.writeString(file, """
          alpha.test. 300 IN SOA ns1.alpha.test. hostmaster.alpha.test. 7 3600 600 86400 60
          alpha.test. 300 IN NS ns1.alpha.test.
          ns1.alpha.test. 300 IN A 127.0.0.1
          www.alpha.test. 120 IN A 192.0.2.99
          """);
      var zone =
          new dev.namu.zones.file.ZoneFileLoader().load(file, Name.fromString("alpha.test.")).zone().orElseThrow();
      server.zones().publish(before.with(zone));
      for (int i = 0; i < 3; i++) {
        Message local = ask(a, "www.alpha.test.");
        assertTrue(local.getHeader().getFlag(Flags.AA), "the zone's answer");
        assertEquals(List.of("www.alpha.test. 120 A 192.0.2.99"), answers(local));
      }
      assertEquals(1, counters.resolvedHits(), "no copy served for a name in a zone");

      // the zone withdrawn: the resolver's answer again (the copies made under the zone set now
      // back in place are valid again), and copies of it
      server.zones().publish(before);
      assertEquals(List.of("www.alpha.test. 300 A 192.0.2.1"), answers(ask(a, "www.alpha.test.")));
      assertEquals(List.of("www.alpha.test. 300 A 192.0.2.1"), answers(ask(a, "www.alpha.test.")));
      assertTrue(counters.resolvedHits() >= 2, "copies served again: " + counters.resolvedHits());

      // a new zone set without the zone (as a live edit makes): copies start over
      server.zones().publish(ZoneSet.of(before.zones()));
      long hits = counters.resolvedHits();
      assertEquals(List.of("www.alpha.test. 300 A 192.0.2.1"), answers(ask(a, "www.alpha.test.")));
      assertEquals(hits, counters.resolvedHits(), "the general path under the new zone set");
      assertEquals(List.of("www.alpha.test. 300 A 192.0.2.1"), answers(ask(a, "www.alpha.test.")));
      assertEquals(hits + 1, counters.resolvedHits());
    }
  }

  // ------------------------------------------------------------------ helpers

  private static Message ask(InetSocketAddress server, String name) throws IOException {
    Message q = DnsWire.query(name, Type.A);
    byte[] reply = DnsWire.udp(server, q.toWire(), SLOW_MS);
    assertNotNull(reply, "no reply to " + name);
    Message m = new Message(reply);
    assertEquals(q.getHeader().getID(), m.getHeader().getID());
    return m;
  }

  private static Message udpFrom(InetAddress local, InetSocketAddress server, byte[] query)
      throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, 0))) {
      s.setSoTimeout(SLOW_MS);
      s.send(new DatagramPacket(query, query.length, server));
      byte[] buf = new byte[65535];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      return new Message(Arrays.copyOf(buf, p.getLength()));
    }
  }

  private static List<String> answers(Message m) {
    return m.getSection(Section.ANSWER).stream().map(ResolvedAnswersTest::line).toList();
  }

  private static String line(Record r) {
    return r.getName() + " " + r.getTTL() + " " + Type.string(r.getType()) + " " + r.rdataToString();
  }

  private static void waitForNothingInFlight(NamudServer server) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.recursion().orElseThrow().resolver().stats().inFlight() > 0) {
      assertTrue(System.nanoTime() < deadline, "prefetch did not finish");
      Thread.sleep(10);
    }
  }
}
