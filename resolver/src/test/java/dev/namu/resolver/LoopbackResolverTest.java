package dev.namu.resolver;

import static dev.namu.resolver.ResolverScenarioTest.answers;
import static dev.namu.resolver.ResolverScenarioTest.ask;
import static dev.namu.resolver.ResolverScenarioTest.assertServfail;
import static dev.namu.resolver.ResolverScenarioTest.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.replay.ManualTicker;
import dev.namu.resolver.testnet.LoopbackNetwork;
import dev.namu.resolver.testnet.MiniAuthority;
import dev.namu.resolver.testnet.TestHierarchy;
import dev.namu.resolver.transport.NettyUpstreamTransport;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The resolver over real UDP/TCP sockets: the test hierarchy runs on 127.0.0.11-.17 (one
 * shared ephemeral port) and the resolver reaches it through the upstream port override.
 */
class LoopbackResolverTest {
  private static final TestHierarchy NET = new TestHierarchy();
  private static LoopbackNetwork network;

  @BeforeAll
  static void start() throws Exception {
    Name spoof = Name.fromConstantString("spoof.leaf.test.");
    NET.leaf.spoofer(q -> {
      if (!q.getQuestion().getName().equals(spoof)) return List.of();
      try {
        InetAddress evil = InetAddress.getByName("6.6.6.6");
        Message wrongId = MiniAuthority.replyTo(q, Rcode.NOERROR);
        wrongId.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
        wrongId.addRecord(new ARecord(spoof, DClass.IN, 86400, evil), Section.ANSWER);
        Message wrongQuestion = new Message(q.getHeader().getID());
        wrongQuestion.getHeader().setFlag(Flags.QR);
        wrongQuestion.addRecord(Record.newRecord(Name.fromConstantString("other.leaf.test."), Type.A, DClass.IN), Section.QUESTION);
        wrongQuestion.addRecord(new ARecord(spoof, DClass.IN, 86400, evil), Section.ANSWER);
        Message otherPort = MiniAuthority.replyTo(q, Rcode.NOERROR);
        otherPort.addRecord(new ARecord(spoof, DClass.IN, 86400, evil), Section.ANSWER);
        return List.of(new MiniAuthority.Spoof(wrongId, false), new MiniAuthority.Spoof(wrongQuestion, false),
            new MiniAuthority.Spoof(otherPort, true));
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    });
    Name poison = Name.fromConstantString("poison.leaf.test.");
    NET.leaf.override((q, tcp) -> {
      if (!q.getQuestion().getName().equals(poison)) return null;
      Message m = NET.leaf.answer(q);
      try {
        m.addRecord(new ARecord(Name.fromConstantString("www.victim.test."), DClass.IN, 86400,
            InetAddress.getByName("6.6.6.6")), Section.ANSWER);
        m.addRecord(new ARecord(Name.fromConstantString("ns.test."), DClass.IN, 86400,
            InetAddress.getByName("6.6.6.6")), Section.ADDITIONAL);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
      return m;
    });
    network = LoopbackNetwork.start(NET.servers());
  }

  @AfterAll
  static void stop() {
    network.close();
  }

  private static Resolver resolver(Ticker ticker) throws Exception {
    return resolver(ticker, Limits.defaults());
  }

  private static Resolver resolver(Ticker ticker, Limits limits) throws Exception {
    return resolver(ticker, limits, Duration.ofMillis(300));
  }

  private static Resolver resolver(Ticker ticker, Limits limits, Duration serverTimeout) throws Exception {
    ResolverConfig config = ResolverConfig.builder()
        .limits(limits)
        .serveStale(false)
        .rootHints(RootHints.of(List.of(InetAddress.getByName(TestHierarchy.ROOT))))
        .upstreamPort(network.port())
        .useIpv6(false)
        .doNotQueryLocalhost(false)
        .serverTimeout(serverTimeout)
        .clientTimeout(Duration.ofSeconds(5))
        .build();
    return ResolverFactory.create(config, new NettyUpstreamTransport(1), ticker, new Random());
  }

  @Test
  void resolvesThroughReferralsGluelessNsAndCnameOverUdp() throws Exception {
    try (Resolver r = resolver(Ticker.systemTicker())) {
      Answer m = ask(r, "alias.leaf.test.", Type.A);
      assertEquals(Rcode.NOERROR, m.rcode());
      assertTrue(m.recursed());
      assertEquals(List.of("alias.leaf.test. CNAME www.glueless.test.", "www.glueless.test. A 192.0.2.90"), answers(m));
    }
  }

  @Test
  void nat64ReachesIpv4OnlyServersOverTheRealTransport() throws Exception {
    // IPv4 off, NAT64 on with the IPv4-mapped prefix: every server of the hierarchy is known by
    // an IPv4 address only and is reached at ::ffff:127.0.0.x, which the sockets carry to it.
    ResolverConfig config = ResolverConfig.builder()
        .serveStale(false)
        .rootHints(RootHints.of(List.of(InetAddress.getByName(TestHierarchy.ROOT))))
        .upstreamPort(network.port())
        .useIpv4(false)
        .nat64(true)
        .nat64Prefix(Nat64Prefix.parse("::ffff:0:0/96"))
        .doNotQueryLocalhost(false)
        .serverTimeout(Duration.ofSeconds(2))
        .clientTimeout(Duration.ofSeconds(8))
        .build();
    try (Resolver r = ResolverFactory.create(config, new NettyUpstreamTransport(1), Ticker.systemTicker(), new Random())) {
      Answer m = ask(r, "www.leaf.test.", Type.A);
      assertEquals(Rcode.NOERROR, m.rcode());
      assertEquals(List.of("www.leaf.test. A 192.0.2.80"), answers(m));
    }
  }

  @Test
  void truncationForcesTcp() throws Exception {
    int before = NET.leaf.tcpQueries();
    // a TCP exchange (connect, write, read) on a loaded 2-core machine may take longer than 300 ms
    // every time it is tried: this test is about the fallback to TCP, not about timeouts
    try (Resolver r = resolver(Ticker.systemTicker(), Limits.defaults(), Duration.ofSeconds(2))) {
      Answer m = ask(r, "big.leaf.test.", Type.TXT);
      assertEquals(Rcode.NOERROR, m.rcode());
      assertEquals(1, m.records(Section.ANSWER).size());
      // at least one: on a busy machine the TCP exchange may outlast the 300 ms server timeout and
      // be asked again
      assertTrue(NET.leaf.tcpQueries() > before, "the truncated answer was asked again over TCP");
    }
  }

  @Test
  void deadAndLameServersAreWorkedAround() throws Exception {
    try (Resolver r = resolver(Ticker.systemTicker())) {
      assertEquals(List.of("www.dead.test. A 192.0.2.50"), answers(ask(r, "www.dead.test.", Type.A)));
      assertEquals(List.of("www.lame.test. A 192.0.2.60"), answers(ask(r, "www.lame.test.", Type.A)));
      long t0 = System.nanoTime();
      Answer m = ask(r, "www.alldead.test.", Type.A);
      assertServfail(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, m);
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
    }
  }

  @Test
  void silentServerTimesOutWithinTheClientTimeout() throws Exception {
    try (Resolver r = resolver(Ticker.systemTicker())) {
      long t0 = System.nanoTime();
      Answer m = ask(r, "www.silent.test.", Type.A);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(Rcode.SERVFAIL, m.rcode());
      assertTrue(ms >= 300, "gave up before the server timeout: " + ms + " ms");
      assertTrue(ms < 5_000, "took longer than the client timeout: " + ms + " ms");
      assertTrue(NET.silent.queries() >= 1);
    }
  }

  @Test
  void spoofedRepliesAreRejected() throws Exception {
    try (Resolver r = resolver(Ticker.systemTicker())) {
      Answer m = ask(r, "spoof.leaf.test.", Type.A);
      assertEquals(List.of("spoof.leaf.test. A 192.0.2.82"), answers(m));
      // Wrong ID and wrong question reached the socket and were dropped; the one from another
      // port never reached it (connected socket).
      assertTrue(((DefaultResolver) r).rejectedReplies() >= 2, "rejected " + ((DefaultResolver) r).rejectedReplies());
    }
  }

  @Test
  void negativeAnswersAreCachedAndExpireWithTheClock() throws Exception {
    ManualTicker clock = new ManualTicker();
    try (Resolver r = resolver(clock)) {
      assertEquals(Rcode.NXDOMAIN, ask(r, "gone.leaf.test.", Type.A).rcode());
      Answer nodata = ask(r, "www.leaf.test.", Type.MX);
      assertEquals(Rcode.NOERROR, nodata.rcode());
      assertTrue(nodata.records(Section.ANSWER).isEmpty());
      int q = NET.leaf.queries();
      assertEquals(Rcode.NXDOMAIN, ask(r, "gone.leaf.test.", Type.A).rcode());
      assertEquals(Rcode.NXDOMAIN, ask(r, "a.b.gone.leaf.test.", Type.TXT).rcode()); // RFC 8020 cut
      assertTrue(ask(r, "www.leaf.test.", Type.MX).records(Section.ANSWER).isEmpty());
      assertEquals(q, NET.leaf.queries());
      clock.advanceSeconds(61);
      assertEquals(Rcode.NXDOMAIN, ask(r, "gone.leaf.test.", Type.A).rcode());
      assertEquals(q + 1, NET.leaf.queries());
    }
  }

  @Test
  void eachLimitHitGivesServfail() throws Exception {
    try (Resolver r = resolver(Ticker.systemTicker())) {
      Answer m = r.resolve(query("c0.leaf.test.", Type.A)).toCompletableFuture().get();
      assertServfail(ExtendedErrorCodeOption.OTHER, m); // CNAME chain of 15 > 11
    }
    try (Resolver r = resolver(Ticker.systemTicker(), new Limits(1, 11, 16, 128, 10))) {
      assertEquals(Rcode.SERVFAIL, ask(r, "www.leaf.test.", Type.A).rcode()); // referral depth
    }
    try (Resolver r = resolver(Ticker.systemTicker(), new Limits(30, 11, 16, 2, 10))) {
      assertEquals(Rcode.SERVFAIL, ask(r, "www.leaf.test.", Type.A).rcode()); // upstream quota
    }
    try (Resolver r = resolver(Ticker.systemTicker(), new Limits(30, 11, 4, 128, 10))) {
      assertEquals(Rcode.SERVFAIL, ask(r, "www.nxns.test.", Type.A).rcode()); // NXNS: 40 NS names
      assertTrue(r.stats().upstreamQueries() < 40, "NS names not bounded: " + r.stats().upstreamQueries());
    }
  }

  @Test
  void outOfBailiwickRecordsFromARealServerAreDropped() throws Exception {
    try (Resolver r = resolver(Ticker.systemTicker())) {
      // The leaf server answers 'poison' with extra records for names outside leaf.test
      // (set up below); only its own record is believed.
      assertEquals(List.of("poison.leaf.test. A 192.0.2.81"), answers(ask(r, "poison.leaf.test.", Type.A)));
      assertTrue(r.cached(query("www.victim.test.", Type.A)).isEmpty());
    }
  }
}
