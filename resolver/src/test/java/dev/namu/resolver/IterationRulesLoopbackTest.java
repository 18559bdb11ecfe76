package dev.namu.resolver;

import static dev.namu.resolver.ResolverScenarioTest.answers;
import static dev.namu.resolver.ResolverScenarioTest.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.replay.ManualTicker;
import dev.namu.resolver.testnet.LoopbackNetwork;
import dev.namu.resolver.testnet.MiniAuthority;
import dev.namu.resolver.transport.NettyUpstreamTransport;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Rules of iteration that servers behaving badly (or unusually) put to the test, over real
 * UDP sockets: a scripted tree on 127.0.0.41-.51 (one shared ephemeral port) reached through the
 * upstream port override, the resolver's clock a manual ticker.
 */
class IterationRulesLoopbackTest {
  private static final String ROOT = "127.0.0.41";
  private static final Name DNAME_ZONE = Name.fromConstantString("dname.test.");
  private static final Name LAME_ZONE = Name.fromConstantString("lame.test.");
  private static final Name EMPTY_NON_TERMINAL = Name.fromConstantString("b.min.test.");
  private static final Name CNAME_TARGET = Name.fromConstantString("b.chain.test.");
  private static final Name SIGNED = Name.fromConstantString("www.sig.test.");

  private static final Name GHOST_ZONE = Name.fromConstantString("ghost.test.");

  private static final AtomicInteger targetQueries = new AtomicInteger();
  /** Set when the root no longer delegates ghost.test (the zone was removed). */
  private static final AtomicBoolean ghostRemoved = new AtomicBoolean();
  private static MiniAuthority sig;
  private static LoopbackNetwork network;

  @BeforeAll
  static void start() throws Exception {
    Map<String, MiniAuthority> servers = new LinkedHashMap<>();
    MiniAuthority root = new MiniAuthority("root", """
        . 86400 IN SOA ns.root.invalid. admin.root.invalid. 1 3600 600 86400 3600
        . 518400 IN NS ns.root.invalid.
        ns.root.invalid. 518400 IN A 127.0.0.41
        dname.test. IN NS ns.dname.test.
        ns.dname.test. IN A 127.0.0.42
        lame.test. IN NS ns1.lame.test.
        lame.test. IN NS ns2.lame.test.
        ns1.lame.test. IN A 127.0.0.43
        ns2.lame.test. IN A 127.0.0.44
        min.test. IN NS ns.min.test.
        min.test. IN NS ns.good.other.
        ns.min.test. IN A 127.0.0.45
        chain.test. IN NS ns.chain.test.
        ns.chain.test. IN A 127.0.0.47
        sig.test. IN NS ns.sig.test.
        ns.sig.test. IN A 127.0.0.48
        other. IN NS ns.other.
        ns.other. IN A 127.0.0.49
        ghost.test. 5 IN NS ns.ghost.test.
        ns.ghost.test. 5 IN A 127.0.0.50
        """);
    root.override((q, tcp) -> {
      if (!ghostRemoved.get() || !q.getQuestion().getName().subdomain(GHOST_ZONE)) return null;
      Message m = authoritative(q);
      m.getHeader().setRcode(Rcode.NXDOMAIN);
      try {
        m.addRecord(Record.fromString(Name.root, Type.SOA, DClass.IN, 3600,
            "ns.root.invalid. admin.root.invalid. 2 3600 600 86400 3600", Name.root), Section.AUTHORITY);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      return m;
    });
    servers.put(ROOT, root);
    // ghost.test (delegated for 5 s) delegates sub.ghost.test for an hour.
    servers.put("127.0.0.50", new MiniAuthority("ghost", """
        ghost.test. 3600 IN SOA ns.ghost.test. admin.ghost.test. 1 3600 600 86400 60
        ghost.test. IN NS ns.ghost.test.
        ns.ghost.test. IN A 127.0.0.50
        sub.ghost.test. 3600 IN NS ns.sub.ghost.test.
        ns.sub.ghost.test. 3600 IN A 127.0.0.51
        """));
    servers.put("127.0.0.51", new MiniAuthority("sub.ghost", """
        sub.ghost.test. 3600 IN SOA ns.sub.ghost.test. admin.ghost.test. 1 3600 600 86400 60
        sub.ghost.test. 3600 IN NS ns.sub.ghost.test.
        ns.sub.ghost.test. 3600 IN A 127.0.0.51
        www.sub.ghost.test. 1 IN A 192.0.2.50
        other.sub.ghost.test. 1 IN A 192.0.2.51
        """));
    // dname.test DNAME dname.test: every name below maps onto itself.
    servers.put("127.0.0.42", new MiniAuthority("dname", """
        dname.test. 3600 IN SOA ns.dname.test. admin.dname.test. 1 3600 600 86400 60
        dname.test. IN NS ns.dname.test.
        ns.dname.test. IN A 127.0.0.42
        """).override((q, tcp) -> {
          Name qname = q.getQuestion().getName();
          if (!qname.subdomain(DNAME_ZONE) || qname.equals(DNAME_ZONE) || qname.toString().startsWith("ns.")) {
            return null;
          }
          Message m = authoritative(q);
          m.addRecord(new DNAMERecord(DNAME_ZONE, DClass.IN, 300, DNAME_ZONE), Section.ANSWER);
          m.addRecord(new CNAMERecord(qname, DClass.IN, 300, qname), Section.ANSWER);
          return m;
        }));
    // Both servers of lame.test answer everything with a referral to lame.test itself (no AA,
    // no SOA), one as a recursive server would (RA), one without.
    servers.put("127.0.0.43", new MiniAuthority("lame1", "").override((q, tcp) -> selfReferral(q, true)));
    servers.put("127.0.0.44", new MiniAuthority("lame2", "").override((q, tcp) -> selfReferral(q, false)));
    // min.test: ns.min.test (glue) refuses everything; ns.good.other (no glue) has the data but
    // fails the minimised query for the empty non-terminal b.min.test.
    servers.put("127.0.0.45", new MiniAuthority("refuses", "").override((q, tcp) -> MiniAuthority.replyTo(q, Rcode.REFUSED)));
    servers.put("127.0.0.46", new MiniAuthority("good", """
        min.test. 3600 IN SOA ns.good.other. admin.min.test. 1 3600 600 86400 60
        min.test. IN NS ns.min.test.
        min.test. IN NS ns.good.other.
        a.b.min.test. 300 IN A 192.0.2.46
        """).override((q, tcp) -> q.getQuestion().getName().equals(EMPTY_NON_TERMINAL)
            ? MiniAuthority.replyTo(q, Rcode.SERVFAIL) : null));
    // a.chain.test CNAME b.chain.test, answered with the target's address in the same reply.
    MiniAuthority chain = new MiniAuthority("chain", """
        chain.test. 3600 IN SOA ns.chain.test. admin.chain.test. 1 3600 600 86400 60
        chain.test. IN NS ns.chain.test.
        ns.chain.test. IN A 127.0.0.47
        a.chain.test. 300 IN CNAME b.chain.test.
        b.chain.test. 300 IN A 192.0.2.47
        c.chain.test. 300 IN CNAME d.chain.test.
        d.chain.test. 300 IN A 192.0.2.48
        """);
    chain.override((q, tcp) -> {
      Name qname = q.getQuestion().getName();
      if (qname.equals(CNAME_TARGET)) targetQueries.incrementAndGet();
      if (q.getQuestion().getType() != Type.A) return null;
      Message m;
      if (qname.equals(Name.fromConstantString("a.chain.test."))) {
        m = chain.answer(q);
        m.addRecord(address(CNAME_TARGET, "192.0.2.47"), Section.ANSWER);
      } else if (qname.equals(Name.fromConstantString("c.chain.test."))) {
        // the target's address in this reply differs from the one its own query gets
        m = chain.answer(q);
        m.addRecord(address(Name.fromConstantString("d.chain.test."), "192.0.2.99"), Section.ANSWER);
      } else {
        return null;
      }
      return m;
    });
    servers.put("127.0.0.47", chain);
    sig = new MiniAuthority("sig", """
        sig.test. 3600 IN SOA ns.sig.test. admin.sig.test. 1 3600 600 86400 60
        sig.test. IN NS ns.sig.test.
        ns.sig.test. IN A 127.0.0.48
        www.sig.test. 300 IN A 192.0.2.48
        www.sig.test. 300 IN TXT "signed"
        """);
    sig.override((q, tcp) -> {
      if (!q.getQuestion().getName().equals(SIGNED) || q.getQuestion().getType() != Type.RRSIG) return null;
      Message m = authoritative(q);
      m.addRecord(signature(Type.A, 11), Section.ANSWER);
      m.addRecord(signature(Type.TXT, 12), Section.ANSWER);
      return m;
    });
    servers.put("127.0.0.48", sig);
    servers.put("127.0.0.49", new MiniAuthority("other", """
        other. 3600 IN SOA ns.other. admin.other. 1 3600 600 86400 60
        other. IN NS ns.other.
        ns.other. IN A 127.0.0.49
        ns.good.other. IN A 127.0.0.46
        """));
    network = LoopbackNetwork.start(servers);
  }

  @AfterAll
  static void stop() {
    network.close();
  }

  private static Message authoritative(Message q) {
    Message m = MiniAuthority.replyTo(q, Rcode.NOERROR);
    m.getHeader().setFlag(Flags.AA);
    return m;
  }

  private static Message selfReferral(Message q, boolean recursionAvailable) {
    Message m = MiniAuthority.replyTo(q, Rcode.NOERROR);
    if (recursionAvailable) m.getHeader().setFlag(Flags.RA);
    for (String ns : List.of("ns1", "ns2")) {
      Name target = Name.fromConstantString(ns + ".lame.test.");
      m.addRecord(new NSRecord(LAME_ZONE, DClass.IN, 3600, target), Section.AUTHORITY);
      m.addRecord(address(target, ns.equals("ns1") ? "127.0.0.43" : "127.0.0.44"), Section.ADDITIONAL);
    }
    return m;
  }

  private static Record address(Name name, String address) {
    try {
      return new ARecord(name, DClass.IN, 300, InetAddress.getByName(address));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }

  private static RRSIGRecord signature(int covered, int footprint) {
    Instant signed = Instant.parse("2026-01-01T00:00:00Z");
    return new RRSIGRecord(SIGNED, DClass.IN, 300, covered, DNSSEC.Algorithm.ECDSAP256SHA256, 300,
        signed.plus(Duration.ofDays(30)), signed, footprint, Name.fromConstantString("sig.test."), new byte[64]);
  }

  private static Resolver resolver() throws Exception {
    return resolver(new ManualTicker());
  }

  private static Resolver resolver(ManualTicker clock) throws Exception {
    ResolverConfig config = ResolverConfig.builder()
        .serveStale(false)
        .rootHints(RootHints.of(List.of(InetAddress.getByName(ROOT))))
        .upstreamPort(network.port())
        .useIpv6(false)
        .doNotQueryLocalhost(false)
        .serverTimeout(Duration.ofSeconds(2))
        .build();
    return ResolverFactory.create(config, new NettyUpstreamTransport(1), clock, new Random());
  }

  @Test
  void dnameToItsOwnOwnerIsALoopAndServfail() throws Exception {
    try (Resolver r = resolver()) {
      Answer m = ask(r, "www.dname.test.", Type.A);
      assertEquals(Rcode.SERVFAIL, m.rcode(), answers(m).toString());
      assertTrue(m.records(Section.ANSWER).isEmpty(), answers(m).toString());
    }
  }

  @Test
  void nonAuthoritativeReferralsToTheZoneItselfAreLameAndServfail() throws Exception {
    try (Resolver r = resolver()) {
      Answer m = ask(r, "www.lame.test.", Type.A);
      assertEquals(Rcode.SERVFAIL, m.rcode(), answers(m).toString());
    }
  }

  @Test
  void rrsigQuestionWithoutDoGetsTheSignatures() throws Exception {
    try (Resolver r = resolver()) {
      int asked = -1;
      for (int round = 0; round < 2; round++) { // from the server, then from the cache
        Answer m = ask(r, "www.sig.test.", Type.RRSIG);
        if (round == 0) asked = sig.queries();
        assertEquals(Rcode.NOERROR, m.rcode());
        List<Record> rrs = m.records(Section.ANSWER);
        assertEquals(2, rrs.size(), "round " + round + ": " + answers(m));
        assertEquals(List.of(Type.A, Type.TXT), rrs.stream().map(x -> ((RRSIGRecord) x).getTypeCovered()).sorted().toList());
      }
      assertEquals(asked, sig.queries(), "the signatures were not answered from the cache");
      // the signatures did not take the place of the data they cover
      assertEquals(List.of("www.sig.test. A 192.0.2.48"), answers(ask(r, "www.sig.test.", Type.A)));
    }
  }

  @Test
  void minimisedQueryFailingFallsBackToTheFullNameAtEveryServer() throws Exception {
    try (Resolver r = resolver()) {
      Answer m = ask(r, "a.b.min.test.", Type.A);
      assertEquals(Rcode.NOERROR, m.rcode());
      assertEquals(List.of("a.b.min.test. A 192.0.2.46"), answers(m));
    }
  }

  @Test
  void inZoneCnameTargetInTheSameAuthoritativeAnswerIsNotAskedAgain() throws Exception {
    int before = targetQueries.get();
    try (Resolver r = resolver()) {
      Answer m = ask(r, "a.chain.test.", Type.A);
      assertEquals(List.of("a.chain.test. CNAME b.chain.test.", "b.chain.test. A 192.0.2.47"), answers(m));
      assertEquals(before, targetQueries.get(), "the CNAME target was asked for again");
      assertEquals(List.of("b.chain.test. A 192.0.2.47"), answers(ask(r, "b.chain.test.", Type.A)));
      assertEquals(before, targetQueries.get(), "the target was not cached from the chain");
    }
  }

  @Test
  void chainDataFromTheSameReplyNeverReplacesTheTargetsOwnAnswer() throws Exception {
    try (Resolver r = resolver()) {
      assertEquals(List.of("d.chain.test. A 192.0.2.48"), answers(ask(r, "d.chain.test.", Type.A)));
      assertEquals(List.of("c.chain.test. CNAME d.chain.test.", "d.chain.test. A 192.0.2.48"),
          answers(ask(r, "c.chain.test.", Type.A)));
      assertEquals(List.of("d.chain.test. A 192.0.2.48"), answers(ask(r, "d.chain.test.", Type.A)));
    }
  }

  @Test
  void aDelegationFromAZonesServersLivesNoLongerThanTheZonesOwn() throws Exception {
    ManualTicker clock = new ManualTicker();
    try (Resolver r = resolver(clock)) {
      assertEquals(List.of("www.sub.ghost.test. A 192.0.2.50"), answers(ask(r, "www.sub.ghost.test.", Type.A)));
      ghostRemoved.set(true); // the root takes ghost.test away; its 5 s delegation runs out
      clock.advanceSeconds(10);
      Answer m = ask(r, "other.sub.ghost.test.", Type.A);
      assertEquals(Rcode.NXDOMAIN, m.rcode(), "sub.ghost.test outlived ghost.test: " + answers(m));
    } finally {
      ghostRemoved.set(false);
    }
  }
}
