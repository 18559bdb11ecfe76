package dev.namu.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.replay.ManualTicker;
import dev.namu.resolver.testnet.InMemoryTransport;
import dev.namu.resolver.testnet.MiniAuthority;
import dev.namu.resolver.testnet.TestHierarchy;
import dev.namu.resolver.transport.UpstreamTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Resolution scenarios on the test hierarchy through an in-memory transport and a manual clock. */
class ResolverScenarioTest {
  private final TestHierarchy net = new TestHierarchy();
  private final InMemoryTransport transport = net.inMemory();
  private final ManualTicker clock = new ManualTicker();

  private static ResolverConfig.Builder config() throws Exception {
    return ResolverConfig.builder()
        .rootHints(RootHints.of(List.of(InetAddress.getByName(TestHierarchy.ROOT))))
        .useIpv6(false)
        .doNotQueryLocalhost(false);
  }

  private Resolver resolver(UnaryOperator<ResolverConfig.Builder> tweak) throws Exception {
    return ResolverFactory.create(tweak.apply(config()).build(), transport, clock, new Random(7));
  }

  private Resolver resolver() throws Exception {
    return resolver(b -> b);
  }

  static Answer ask(Resolver r, String name, int type) throws Exception {
    return r.resolve(query(name, type)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Message query(String name, int type) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    return q;
  }

  static List<String> answers(Answer m) {
    List<String> out = new ArrayList<>();
    for (Record r : m.records(Section.ANSWER)) out.add(r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString());
    return out;
  }

  /** SERVFAIL with this extended error (RFC 8914). */
  static void assertServfail(int ede, Answer m) {
    assertEquals(Rcode.SERVFAIL, m.rcode());
    assertEquals(ede, ede(m));
  }

  static int ede(Answer m) {
    return m.extendedError() == null ? -1 : m.extendedError().code();
  }

  @Test
  void followsReferralsWithGlue() throws Exception {
    try (Resolver r = resolver()) {
      Answer m = ask(r, "www.leaf.test.", Type.A);
      assertEquals(Rcode.NOERROR, m.rcode());
      assertTrue(m.recursed());
      assertEquals(List.of("www.leaf.test. A 192.0.2.80"), answers(m));
      assertEquals(300, m.records(Section.ANSWER).get(0).getTTL());
      assertEquals(2, net.root.queries()); // RFC 8109 priming, then the referral to test.
      assertEquals(1, net.tld.queries());
    }
  }

  @Test
  void primesTheRootOnceAndUsesTheCurrentRootNsSet() throws Exception {
    try (Resolver r = resolver()) {
      ask(r, "www.leaf.test.", Type.A);
      ask(r, "www.other.test.", Type.A);
      assertEquals("127.0.0.11 ./NS", transport.log().get(0));
      assertEquals(1, transport.log().stream().filter(l -> l.endsWith(" ./NS")).count());
    }
  }

  @Test
  void loopbackGlueIsNotFollowedByDefault() throws Exception {
    // Every server of the test tree is on 127.0.0.x: by default (do-not-query-localhost) only
    // the configured hint may be asked, so the delegation to test. leads nowhere.
    try (Resolver r = resolver(b -> b.doNotQueryLocalhost(true).serveStale(false))) {
      assertEquals(Rcode.SERVFAIL, ask(r, "www.leaf.test.", Type.A).rcode());
      assertTrue(transport.log().stream().allMatch(l -> l.startsWith(TestHierarchy.ROOT)), transport.log().toString());
    }
  }

  @Test
  void qnameMinimisationShowsEachServerOneMoreLabel() throws Exception {
    try (Resolver r = resolver()) {
      ask(r, "www.leaf.test.", Type.A);
      assertEquals("127.0.0.11 ./NS", transport.log().get(0));
      assertEquals("127.0.0.11 test./A", transport.log().get(1));
      assertEquals("127.0.0.12 leaf.test./A", transport.log().get(2));
      assertEquals("127.0.0.13 www.leaf.test./A", transport.log().get(3));
    }
  }

  @Test
  void withoutMinimisationTheFullNameGoesToTheRoot() throws Exception {
    try (Resolver r = resolver(b -> b.qnameMinimisation(false))) {
      ask(r, "www.leaf.test.", Type.A);
      assertEquals("127.0.0.11 www.leaf.test./A", transport.log().get(1));
    }
  }

  @Test
  void resolvesGluelessNameServers() throws Exception {
    try (Resolver r = resolver()) {
      Answer m = ask(r, "www.glueless.test.", Type.A);
      assertEquals(List.of("www.glueless.test. A 192.0.2.90"), answers(m));
      assertTrue(transport.log().contains("127.0.0.14 ns1.other.test./A"), transport.log().toString());
    }
  }

  @Test
  void chasesCnameAcrossZones() throws Exception {
    try (Resolver r = resolver()) {
      Answer m = ask(r, "alias.leaf.test.", Type.A);
      assertEquals(List.of("alias.leaf.test. CNAME www.glueless.test.", "www.glueless.test. A 192.0.2.90"), answers(m));
      // Both links are cached now: the same question costs no upstream query.
      int before = transport.log().size();
      assertEquals(answers(m), answers(ask(r, "alias.leaf.test.", Type.A)));
      assertEquals(before, transport.log().size());
    }
  }

  @Test
  void nxdomainIsCachedCoversNamesBelowAndExpires() throws Exception {
    try (Resolver r = resolver()) {
      Answer m = ask(r, "nx.leaf.test.", Type.A);
      assertEquals(Rcode.NXDOMAIN, m.rcode());
      Record soa = m.records(Section.AUTHORITY).get(0);
      assertEquals(Type.SOA, soa.getType());
      assertEquals(60, soa.getTTL()); // RFC 2308: min(SOA TTL 3600, MINIMUM 60)
      int leafQueries = net.leaf.queries();
      clock.advanceSeconds(10);
      Answer again = ask(r, "nx.leaf.test.", Type.MX);
      assertEquals(Rcode.NXDOMAIN, again.rcode());
      assertEquals(50, again.records(Section.AUTHORITY).get(0).getTTL());
      // RFC 8020: nothing below an NXDOMAIN name exists either.
      assertEquals(Rcode.NXDOMAIN, ask(r, "deep.below.nx.leaf.test.", Type.AAAA).rcode());
      assertEquals(leafQueries, net.leaf.queries());
      clock.advanceSeconds(51);
      assertEquals(Rcode.NXDOMAIN, ask(r, "nx.leaf.test.", Type.A).rcode());
      assertEquals(leafQueries + 1, net.leaf.queries());
    }
  }

  @Test
  void nodataIsCachedApartFromNxdomainAndExpires() throws Exception {
    try (Resolver r = resolver()) {
      Answer m = ask(r, "www.leaf.test.", Type.TXT);
      assertEquals(Rcode.NOERROR, m.rcode());
      assertTrue(m.records(Section.ANSWER).isEmpty());
      assertEquals(Type.SOA, m.records(Section.AUTHORITY).get(0).getType());
      int leafQueries = net.leaf.queries();
      // NODATA for TXT says nothing about A: that still resolves.
      assertEquals(List.of("www.leaf.test. A 192.0.2.80"), answers(ask(r, "www.leaf.test.", Type.A)));
      assertEquals(leafQueries + 1, net.leaf.queries());
      ask(r, "www.leaf.test.", Type.TXT);
      assertEquals(leafQueries + 1, net.leaf.queries());
      clock.advanceSeconds(61);
      ask(r, "www.leaf.test.", Type.TXT);
      assertEquals(leafQueries + 2, net.leaf.queries());
    }
  }

  @Test
  void ttlsCountDownAndEntriesExpire() throws Exception {
    try (Resolver r = resolver(b -> b.prefetch(false))) {
      ask(r, "www.leaf.test.", Type.A);
      clock.advanceSeconds(100);
      Answer m = ask(r, "www.leaf.test.", Type.A);
      assertEquals(200, m.records(Section.ANSWER).get(0).getTTL());
      int q = net.leaf.queries();
      clock.advanceSeconds(201);
      assertEquals(300, ask(r, "www.leaf.test.", Type.A).records(Section.ANSWER).get(0).getTTL());
      assertEquals(q + 1, net.leaf.queries());
    }
  }

  @Test
  void ttlFloorAndCapApply() throws Exception {
    try (Resolver r = resolver(b -> b.minTtl(400).maxTtl(1000))) {
      assertEquals(400, ask(r, "www.leaf.test.", Type.A).records(Section.ANSWER).get(0).getTTL());
    }
    try (Resolver r = resolver(b -> b.maxTtl(100))) {
      assertEquals(100, ask(r, "www.glueless.test.", Type.A).records(Section.ANSWER).get(0).getTTL());
    }
  }

  /** Resolves {@code name} (type A) {@code times} times, its cache entry flushed first each time. */
  private void resolveFromAnEmptyCache(Resolver r, int times, String name, String answer) throws Exception {
    for (int i = 0; i < times; i++) {
      r.flush(Name.fromString(name));
      assertEquals(List.of(answer), answers(ask(r, name, Type.A)));
    }
  }

  @Test
  void deadServerIsSkipped() throws Exception {
    try (Resolver r = resolver()) {
      resolveFromAnEmptyCache(r, 3, "www.dead.test.", "www.dead.test. A 192.0.2.50");
      long deadTries = transport.log().stream().filter(l -> l.startsWith(TestHierarchy.DEAD)).count();
      assertTrue(deadTries <= 2, "dead server should be ordered last after a timeout: " + transport.log());
    }
  }

  @Test
  void allServersDeadGivesServfailWithExtendedError() throws Exception {
    try (Resolver r = resolver(b -> b.serveStale(false))) {
      Answer m = ask(r, "www.alldead.test.", Type.A);
      assertServfail(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, m);
      assertEquals(1, r.stats().servfails());
    }
  }

  @Test
  void resolutionFailuresAreCachedBriefly() throws Exception {
    try (Resolver r = resolver(b -> b.serveStale(false))) {
      assertEquals(Rcode.SERVFAIL, ask(r, "www.alldead.test.", Type.A).rcode());
      int sent = transport.log().size();
      Answer again = ask(r, "www.alldead.test.", Type.A);
      assertServfail(ExtendedErrorCodeOption.CACHED_ERROR, again);
      assertEquals(sent, transport.log().size()); // RFC 9520: no new upstream queries
      clock.advanceSeconds(6);
      ask(r, "www.alldead.test.", Type.A);
      assertTrue(transport.log().size() > sent);
    }
  }

  @Test
  void aLostReplyIsRetriedOnce() throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    net.leaf.override((q, tcp) -> q.getQuestion().getName().equals(Name.fromConstantString("flaky.leaf.test."))
        && calls.incrementAndGet() == 1 ? MiniAuthority.DROP : null);
    try (Resolver r = resolver()) {
      assertEquals(Rcode.NXDOMAIN, ask(r, "flaky.leaf.test.", Type.A).rcode());
      assertEquals(2, calls.get());
    }
  }

  @Test
  void serversWithoutEdnsGetPlainQueries() throws Exception {
    try (Resolver r = resolver()) {
      assertEquals(List.of("www.noedns.test. A 192.0.2.70"), answers(ask(r, "www.noedns.test.", Type.A)));
      int before = net.noEdns.queries();
      r.flush(Name.fromString("www.noedns.test."));
      ask(r, "www.noedns.test.", Type.A);
      assertEquals(before + 1, net.noEdns.queries()); // remembered: no EDNS attempt first
    }
  }

  @Test
  void lameServerIsAvoided() throws Exception {
    try (Resolver r = resolver()) {
      resolveFromAnEmptyCache(r, 4, "www.lame.test.", "www.lame.test. A 192.0.2.60");
      assertTrue(net.lame.queries() <= 1, "lame server asked " + net.lame.queries() + " times");
    }
  }

  @Test
  void truncatedReplyIsRetriedOverTcp() throws Exception {
    try (Resolver r = resolver()) {
      Answer m = ask(r, "big.leaf.test.", Type.TXT);
      assertEquals(Rcode.NOERROR, m.rcode());
      assertEquals(1, m.records(Section.ANSWER).size());
      assertEquals(1, net.leaf.tcpQueries());
      assertTrue(transport.log().contains("127.0.0.13 big.leaf.test./TXT tcp"));
    }
  }

  @Test
  void outOfBailiwickRecordsAreNotBelieved() throws Exception {
    net.leaf.override((q, tcp) -> {
      if (!q.getQuestion().getName().equals(Name.fromConstantString("poison.leaf.test."))) return null;
      Message m = net.leaf.answer(q);
      Name victim = Name.fromConstantString("www.victim.test.");
      Name nsTest = Name.fromConstantString("ns.test.");
      try {
        m.addRecord(new ARecord(victim, DClass.IN, 86400, InetAddress.getByName("6.6.6.6")), Section.ANSWER);
        m.addRecord(new NSRecord(Name.fromConstantString("test."), DClass.IN, 86400, Name.fromConstantString("ns.evil.invalid.")), Section.AUTHORITY);
        m.addRecord(new ARecord(nsTest, DClass.IN, 86400, InetAddress.getByName("6.6.6.6")), Section.ADDITIONAL);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
      return m;
    });
    try (Resolver r = resolver(b -> b.qnameMinimisation(false))) {
      assertEquals(List.of("poison.leaf.test. A 192.0.2.81"), answers(ask(r, "poison.leaf.test.", Type.A)));
      assertTrue(r.cached(query("www.victim.test.", Type.A)).isEmpty());
      ask(r, "www.other.test.", Type.A); // goes to test. servers: must still be 127.0.0.12
      assertTrue(transport.log().stream().noneMatch(l -> l.startsWith("6.6.6.6")), transport.log().toString());
      assertEquals(2, net.tld.queries());
    }
  }

  @Test
  void answersCannotRepointTheirZonesDelegation() throws Exception {
    // An in-bailiwick but "promiscuous" NS set and glue riding along with an answer.
    net.leaf.override((q, tcp) -> {
      if (!q.getQuestion().getName().equals(Name.fromConstantString("hijack.leaf.test."))) return null;
      Message m = MiniAuthority.replyTo(q, Rcode.NOERROR);
      m.getHeader().setFlag(Flags.AA);
      try {
        m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300, InetAddress.getByName("192.0.2.99")), Section.ANSWER);
        m.addRecord(new NSRecord(Name.fromConstantString("leaf.test."), DClass.IN, 86400, Name.fromConstantString("ns.leaf.test.")), Section.AUTHORITY);
        m.addRecord(new ARecord(Name.fromConstantString("ns.leaf.test."), DClass.IN, 86400, InetAddress.getByName("127.0.0.66")), Section.ADDITIONAL);
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException(e);
      }
      return m;
    });
    try (Resolver r = resolver(b -> b.qnameMinimisation(false))) {
      ask(r, "www.leaf.test.", Type.A);
      assertEquals(List.of("hijack.leaf.test. A 192.0.2.99"), answers(ask(r, "hijack.leaf.test.", Type.A)));
      ask(r, "other.leaf.test.", Type.A);
      assertTrue(transport.log().stream().noneMatch(l -> l.startsWith("127.0.0.66")), transport.log().toString());
    }
  }

  @Test
  void cnameChainLimitGivesServfail() throws Exception {
    try (Resolver r = resolver(b -> b.serveStale(false))) {
      Answer m = ask(r, "c0.leaf.test.", Type.A);
      assertServfail(ExtendedErrorCodeOption.OTHER, m);
      // Within the limit the chain resolves.
      assertEquals(Rcode.NOERROR, ask(r, "c10.leaf.test.", Type.A).rcode());
    }
  }

  @Test
  void referralDepthLimitGivesServfail() throws Exception {
    try (Resolver r = resolver(b -> b.limits(new Limits(1, 11, 16, 100, 10)))) {
      assertEquals(Rcode.SERVFAIL, ask(r, "www.leaf.test.", Type.A).rcode());
    }
  }

  @Test
  void upstreamQueryLimitGivesServfail() throws Exception {
    try (Resolver r = resolver(b -> b.limits(new Limits(30, 11, 16, 2, 10)))) {
      assertEquals(Rcode.SERVFAIL, ask(r, "www.leaf.test.", Type.A).rcode());
      assertEquals(2, transport.log().size());
    }
  }

  @Test
  void nxnsAttackIsBoundedByTheNsNameLimit() throws Exception {
    try (Resolver r = resolver(b -> b.limits(new Limits(30, 11, 8, 128, 10)))) {
      Answer m = ask(r, "www.nxns.test.", Type.A);
      assertEquals(Rcode.SERVFAIL, m.rcode());
      long nsLookups = transport.log().stream().filter(l -> l.contains(".nowhere")).count();
      assertTrue(nsLookups <= 8 * 2, "NS-name lookups not bounded: " + nsLookups);
    }
  }

  @Test
  void identicalQuestionsInFlightShareOneUpstreamQuery() throws Exception {
    DeferredTransport deferred = new DeferredTransport(transport);
    try (Resolver r = ResolverFactory.create(config().build(), deferred, clock, new Random(1))) {
      CompletableFuture<Answer> a = r.resolve(query("www.leaf.test.", Type.A)).toCompletableFuture();
      CompletableFuture<Answer> b = r.resolve(query("www.leaf.test.", Type.A)).toCompletableFuture();
      assertEquals(1, r.stats().inFlight());
      deferred.releaseAll();
      assertEquals(answers(a.get(5, TimeUnit.SECONDS)), answers(b.get(5, TimeUnit.SECONDS)));
      assertEquals(1, net.leaf.queries());
      assertEquals(0, r.stats().inFlight());
    }
  }

  @Test
  void aTraceListsTheUpstreamQueriesAJoinerSharesThemAndAHitListsTheCachedSets() throws Exception {
    DeferredTransport deferred = new DeferredTransport(transport);
    try (Resolver r = ResolverFactory.create(config().build(), deferred, clock, new Random(1))) {
      UpstreamTrace first = new UpstreamTrace();
      UpstreamTrace joiner = new UpstreamTrace();
      CompletableFuture<Answer> a = r.resolve(query("www.leaf.test.", Type.A), first).toCompletableFuture();
      CompletableFuture<Answer> b = r.resolve(query("www.leaf.test.", Type.A), joiner).toCompletableFuture();
      deferred.releaseAll();
      assertEquals(answers(a.get(5, TimeUnit.SECONDS)), answers(b.get(5, TimeUnit.SECONDS)));

      List<UpstreamTrace.Exchange> sent = first.exchanges();
      assertEquals(net.root.queries() + net.tld.queries() + net.leaf.queries(), first.total(), sent.toString());
      assertEquals(sent.size(), first.total(), sent.toString());
      UpstreamTrace.Exchange last = sent.get(sent.size() - 1);
      assertEquals("127.0.0.13", last.server().getAddress().getHostAddress(), sent.toString());
      assertEquals(Name.fromString("leaf.test."), last.zone(), sent.toString());
      assertEquals(Name.fromString("www.leaf.test."), last.qname(), sent.toString());
      assertEquals(Type.A, last.qtype(), sent.toString());
      assertEquals(Rcode.NOERROR, last.rcode(), sent.toString());
      assertEquals(TestHierarchy.ROOT, sent.get(0).server().getAddress().getHostAddress(), sent.toString());
      assertFalse(first.shared());
      assertNull(first.cached(), "resolved, not from the cache");
      // the second question sent nothing of its own: it joined the first's resolution
      assertTrue(joiner.shared());
      assertEquals(sent, joiner.exchanges());

      UpstreamTrace hit = new UpstreamTrace();
      clock.advanceSeconds(100);
      r.resolve(query("www.leaf.test.", Type.A), hit).toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(0, hit.total());
      assertEquals(List.of(new UpstreamTrace.CachedSet(Name.fromString("www.leaf.test."), Type.A, 200, "ANSWER_AA")),
          hit.cached());
    }
  }

  @Test
  void staleAnswerIsServedWhenUpstreamsFail() throws Exception {
    try (Resolver r = resolver(b -> b.prefetch(false))) {
      ask(r, "www.leaf.test.", Type.A);
      net.leaf.override((q, tcp) -> MiniAuthority.replyTo(q, Rcode.SERVFAIL));
      clock.advanceSeconds(400);
      Answer m = ask(r, "www.leaf.test.", Type.A);
      assertEquals(Rcode.NOERROR, m.rcode());
      assertEquals(List.of("www.leaf.test. A 192.0.2.80"), answers(m));
      assertEquals(30, m.records(Section.ANSWER).get(0).getTTL()); // RFC 8767 section 4
      assertEquals(ExtendedErrorCodeOption.STALE_ANSWER, ede(m));
      assertEquals(1, r.stats().staleServed());
    }
  }

  @Test
  void popularEntriesArePrefetchedBeforeExpiry() throws Exception {
    try (Resolver r = resolver()) {
      ask(r, "www.leaf.test.", Type.A);
      int q = net.leaf.queries();
      clock.advanceSeconds(280); // 20 s of 300 left: under 10%
      assertEquals(20, ask(r, "www.leaf.test.", Type.A).records(Section.ANSWER).get(0).getTTL());
      assertEquals(q + 1, net.leaf.queries());
      assertEquals(1, r.stats().prefetches());
      clock.advanceSeconds(30); // the original entry has expired; the prefetched one serves
      assertEquals(270, ask(r, "www.leaf.test.", Type.A).records(Section.ANSWER).get(0).getTTL());
      assertEquals(q + 1, net.leaf.queries());
    }
  }

  @Test
  void forwardsEverythingOrPerDomain() throws Exception {
    InetSocketAddress leafServer = new InetSocketAddress(InetAddress.getByName("127.0.0.13"), 53);
    try (Resolver r = resolver(b -> b.forwarders(List.of(leafServer)))) {
      assertEquals(List.of("www.leaf.test. A 192.0.2.80"), answers(ask(r, "www.leaf.test.", Type.A)));
      assertEquals(List.of("127.0.0.13 www.leaf.test./A"), transport.log());
    }
    transport.log().clear();
    InetSocketAddress otherServer = new InetSocketAddress(InetAddress.getByName("127.0.0.15"), 53);
    try (Resolver r = resolver(b -> b.forwardZone(Name.fromConstantString("glueless.test."), List.of(otherServer)))) {
      assertEquals(List.of("www.glueless.test. A 192.0.2.90"), answers(ask(r, "www.glueless.test.", Type.A)));
      assertEquals(List.of("127.0.0.15 www.glueless.test./A"), transport.log());
      assertEquals(List.of("www.leaf.test. A 192.0.2.80"), answers(ask(r, "www.leaf.test.", Type.A)));
      assertEquals(2, net.root.queries());
    }
  }

  @Test
  void cacheOnlyLookupFlushAndStats() throws Exception {
    try (Resolver r = resolver()) {
      assertTrue(r.cached(query("www.leaf.test.", Type.A)).isEmpty());
      ask(r, "www.leaf.test.", Type.A);
      Answer hit = r.cached(query("www.leaf.test.", Type.A)).orElseThrow();
      assertEquals(List.of("www.leaf.test. A 192.0.2.80"), answers(hit));
      CacheStats s = r.stats();
      assertEquals(1, s.hits());
      assertEquals(1, s.misses());
      assertTrue(s.entries() > 0);
      assertEquals(transport.log().size(), s.upstreamQueries());
      r.flush(Name.fromString("leaf.test."));
      assertTrue(r.cached(query("www.leaf.test.", Type.A)).isEmpty());
      ask(r, "www.leaf.test.", Type.A);
      r.flush();
      assertEquals(0, r.stats().entries());
    }
  }

  @Test
  void badQueriesGetErrorsNotExceptions() throws Exception {
    try (Resolver r = resolver()) {
      Message noQuestion = new Message(99);
      assertEquals(Rcode.FORMERR, r.resolve(noQuestion).toCompletableFuture().get().rcode());
      Message chaos = Message.newQuery(Record.newRecord(Name.fromConstantString("version.bind."), Type.TXT, DClass.CH));
      assertEquals(Rcode.REFUSED, r.resolve(chaos).toCompletableFuture().get().rcode());
      Message axfr = Message.newQuery(Record.newRecord(Name.fromString("leaf.test."), Type.AXFR, DClass.IN));
      assertEquals(Rcode.NOTIMP, r.resolve(axfr).toCompletableFuture().get().rcode());
      assertTrue(transport.log().isEmpty());
    }
  }

  /** Holds every upstream query until released (to observe in-flight sharing). */
  private static final class DeferredTransport implements UpstreamTransport {
    private final UpstreamTransport inner;
    private final List<Runnable> held = new ArrayList<>();

    DeferredTransport(UpstreamTransport inner) {
      this.inner = inner;
    }

    @Override
    public synchronized CompletableFuture<Message> send(InetSocketAddress s, Message q, Protocol p, Duration t) {
      CompletableFuture<Message> f = new CompletableFuture<>();
      held.add(() -> inner.send(s, q, p, t).whenComplete((m, e) -> {
        if (e != null) f.completeExceptionally(e);
        else f.complete(m);
      }));
      return f;
    }

    void releaseAll() {
      while (true) {
        List<Runnable> now;
        synchronized (this) {
          if (held.isEmpty()) return;
          now = new ArrayList<>(held);
          held.clear();
        }
        now.forEach(Runnable::run);
      }
    }
  }
}
