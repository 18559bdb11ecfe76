package dev.namu.resolver;

import static dev.namu.resolver.ResolverScenarioTest.answers;
import static dev.namu.resolver.ResolverScenarioTest.ask;
import static dev.namu.resolver.ResolverScenarioTest.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.testnet.LoopbackNetwork;
import dev.namu.resolver.testnet.MiniAuthority;
import dev.namu.resolver.testnet.TestHierarchy;
import dev.namu.resolver.transport.NettyUpstreamTransport;
import dev.namu.resolver.transport.ReplyCookie;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Cache poisoning over real sockets on loopback. In each scenario the scripted server that gets
 * the resolver's real query sends forged replies to the port it came from before its real reply,
 * so the forgeries always win the race; none may reach the cache. Each scenario asks its question
 * again (answered from the cache, the server not asked) and reads the whole cache as an operator
 * does ({@link Resolver#cacheEntries(int)}).
 */
class CachePoisoningTest {
  /** The forger's address for data: never a server, so never queried. */
  private static final String EVIL = "6.6.6.6";
  /** The forger's name server: on loopback, where nothing listens (a poisoned resolver stays local). */
  private static final String EVIL_NS = "127.0.0.66";
  private static final Name WWW = Name.fromConstantString("www.leaf.test.");
  private static final List<String> WWW_ANSWER = List.of("www.leaf.test. A 192.0.2.80");

  private static final TestHierarchy NET = new TestHierarchy();
  private static LoopbackNetwork network;

  @BeforeAll
  static void start() throws Exception {
    Name bait = Name.fromConstantString("bait.leaf.test.");
    NET.leaf.override((q, tcp) -> q.getQuestion().getName().equals(bait) ? outOfBailiwick(q) : null);
    Name caseBlind = Name.fromConstantString("ns.other.test.");
    NET.other.override((q, tcp) -> {
      // A server that does not keep the question's case (for this one name, so that the other
      // tests, which look up ns1.other.test, pay no timeout for it): every letter flipped.
      if (!q.getQuestion().getName().equals(caseBlind)) return null;
      Message m = NET.other.answer(q);
      m.removeAllRecords(Section.QUESTION);
      m.addRecord(Record.newRecord(flipCase(q.getQuestion().getName()), q.getQuestion().getType(), DClass.IN),
          Section.QUESTION);
      return m;
    });
    NET.leaf.override((q, tcp) -> {
      CookieLeaf c = cookieLeaf;
      return c == null ? null : c.reply(q, tcp);
    });
    network = LoopbackNetwork.start(NET.servers());
  }

  /** While set, the leaf server does DNS cookies (RFC 7873) as this says. */
  private static volatile CookieLeaf cookieLeaf;

  /**
   * The leaf server's cookie behaviour: every query with a COOKIE option gets a reply with the
   * query's client cookie and the server's own cookie; with {@code badCookie}, a query over UDP
   * without the server's cookie gets BADCOOKIE (with {@code badCookieAlways}, every UDP query).
   */
  private static final class CookieLeaf {
    final byte[] serverCookie = new byte[16];
    final boolean badCookie;
    final boolean badCookieAlways;
    /** The COOKIE option of each query the leaf got for www.leaf.test (empty: none). */
    final List<java.util.Optional<CookieOption>> www = new CopyOnWriteArrayList<>();

    CookieLeaf(boolean badCookie, boolean badCookieAlways) {
      new SecureRandom().nextBytes(serverCookie);
      this.badCookie = badCookie;
      this.badCookieAlways = badCookieAlways;
    }

    Message reply(Message q, boolean tcp) {
      CookieOption c = ReplyCookie.of(q);
      if (q.getQuestion().getName().equals(WWW)) www.add(java.util.Optional.ofNullable(c));
      if (c == null) return null; // answered as a server without cookies
      boolean valid = c.getServerCookie().map(sc -> java.util.Arrays.equals(sc, serverCookie)).orElse(false);
      boolean bad = !tcp && (badCookieAlways || badCookie && !valid);
      Message m = bad ? MiniAuthority.replyTo(q, Rcode.BADCOOKIE & 0xf) : NET.leaf.answer(q);
      m.addRecord(new OPTRecord(1232, bad ? Rcode.BADCOOKIE >>> 4 : 0, 0, 0,
          List.of(new CookieOption(c.getClientCookie(), serverCookie))), Section.ADDITIONAL);
      return m;
    }

    /** True when the query carried this server's cookie. */
    boolean returned(java.util.Optional<CookieOption> query) {
      return query.flatMap(CookieOption::getServerCookie).map(sc -> java.util.Arrays.equals(sc, serverCookie)).orElse(false);
    }
  }

  @AfterAll
  static void stop() {
    network.close();
  }

  @AfterEach
  void noMoreForgeries() {
    for (MiniAuthority m : NET.servers().values()) m.spoofer(null);
    cookieLeaf = null;
  }

  private static Resolver resolver(Duration serverTimeout) throws Exception {
    ResolverConfig config = ResolverConfig.builder()
        .serveStale(false)
        .rootHints(RootHints.of(List.of(InetAddress.getByName(TestHierarchy.ROOT))))
        .upstreamPort(network.port())
        .useIpv6(false)
        .doNotQueryLocalhost(false)
        .serverTimeout(serverTimeout)
        .clientTimeout(Duration.ofSeconds(20))
        .build();
    return ResolverFactory.create(config, new NettyUpstreamTransport(1), Ticker.systemTicker(), new Random());
  }

  private static Resolver resolver() throws Exception {
    // Generous: the real reply follows the forgeries at once; a slow machine must not time it out.
    return resolver(Duration.ofSeconds(3));
  }

  @Test
  void forgedRepliesWithAWrongIdAreIgnored() throws Exception {
    NET.leaf.spoofer(forQuestion(WWW, q -> {
      List<MiniAuthority.Spoof> out = new ArrayList<>();
      for (int i = 1; i <= 32; i++) {
        Message m = forgedAnswer(q, q.getQuestion().getName());
        m.getHeader().setID((q.getHeader().getID() + i) & 0xffff);
        out.add(new MiniAuthority.Spoof(m, false));
      }
      return out;
    }));
    try (Resolver r = resolver()) {
      assertResolvesTruly(r, 32);
    }
  }

  @Test
  void forgedRepliesFromAnotherPortOrAddressAreIgnored() throws Exception {
    // The right ID and question, from the server's address on another port, from another
    // loopback address, and from the address of another server of the hierarchy (the TLD's).
    NET.leaf.spoofer(forQuestion(WWW, q -> List.of(
        new MiniAuthority.Spoof(forgedAnswer(q, q.getQuestion().getName()), true),
        new MiniAuthority.Spoof(forgedAnswer(q, q.getQuestion().getName()), false, "127.0.0.99"),
        new MiniAuthority.Spoof(forgedAnswer(q, q.getQuestion().getName()), false, "127.0.0.12"))));
    try (Resolver r = resolver()) {
      assertResolvesTruly(r, 3);
    }
  }

  @Test
  void forgedReplyWithTheQuestionInAnotherCaseIsIgnored() throws Exception {
    // The right ID from the right address and port: only the case of the question's letters,
    // sent at random (0x20), tells the forgery from the real reply.
    NET.leaf.spoofer(forQuestion(WWW, q -> {
      Name flipped = flipCase(q.getQuestion().getName());
      Message m = forgedAnswer(q, flipped);
      m.removeAllRecords(Section.QUESTION);
      m.addRecord(Record.newRecord(flipped, Type.A, DClass.IN), Section.QUESTION);
      return List.of(new MiniAuthority.Spoof(m, false));
    }));
    try (Resolver r = resolver()) {
      assertResolvesTruly(r, 1);
    }
  }

  @Test
  void forgedReplyWithAnotherOpcodeIsIgnored() throws Exception {
    // The right ID, question and port, but the opcode of an UPDATE: it answers no query of ours
    // (RFC 1035 4.1.1: the opcode is copied into the response). dnsjava reads an UPDATE's
    // records sent without RDATA as records of no data; a CNAME so read, at the question name,
    // once threw out of the scrubber.
    NET.leaf.spoofer(forQuestion(WWW, q -> {
      Message empty = MiniAuthority.replyTo(q, Rcode.NOERROR);
      empty.getHeader().setOpcode(Opcode.UPDATE);
      empty.getHeader().setFlag(Flags.AA);
      empty.addRecord(Record.newRecord(q.getQuestion().getName(), Type.CNAME, DClass.IN, 300), Section.ANSWER);
      Message forged = forgedAnswer(q, q.getQuestion().getName());
      forged.getHeader().setOpcode(Opcode.UPDATE);
      return List.of(new MiniAuthority.Spoof(empty, false), new MiniAuthority.Spoof(forged, false));
    }));
    try (Resolver r = resolver()) {
      assertResolvesTruly(r, 2);
    }
  }

  @Test
  void theRandomCaseReachesTheServersButNeitherTheCacheNorTheAnswer() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    for (MiniAuthority m : List.of(NET.root, NET.tld, NET.leaf)) {
      m.spoofer(q -> {
        seen.add(q.getQuestion().getName().toString());
        return List.of();
      });
    }
    try (Resolver r = resolver()) {
      Answer a = ask(r, "www.leaf.test.", Type.A);
      // The letters of test. (root), leaf.test. (TLD) and www.leaf.test. (leaf), 23 in all, each
      // flipped on a coin: all in lower case once in 2^23 runs.
      assertTrue(seen.stream().anyMatch(n -> !n.equals(n.toLowerCase(java.util.Locale.ROOT))), "no upper-case letter sent: " + seen);
      assertEquals(WWW_ANSWER, answers(a), "the answer's owner in the case asked");
      for (CacheEntry e : r.cacheEntries(10_000).entries()) {
        assertLowerCase(e.name().toString(), e);
        for (Record rec : e.records()) {
          assertLowerCase(rec.getName().toString(), e);
          assertLowerCase(rec.rdataToString(), e);
        }
      }
    }
  }

  @Test
  void aServerThatDoesNotKeepCaseIsAskedAgainWithout0x20AndRemembered() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    NET.other.spoofer(q -> {
      seen.add(q.getQuestion().getName().toString());
      return List.of();
    });
    try (Resolver r = resolver(Duration.ofMillis(800))) {
      assertEquals(List.of("ns.other.test. A 127.0.0.14"), answers(ask(r, "ns.other.test.", Type.A)));
      List<String> first = seen.stream().filter(n -> n.equalsIgnoreCase("ns.other.test.")).toList();
      // Asked with 0x20, answered in another case only, asked again as the caller spelt it (and
      // that answer, in another case too, taken: without 0x20 names compare without case).
      assertTrue(first.size() >= 2, "not asked again: " + first);
      assertEquals("ns.other.test.", first.get(first.size() - 1));
      seen.clear();
      assertEquals(List.of("ns1.other.test. A 127.0.0.15"), answers(ask(r, "ns1.other.test.", Type.A)));
      // Remembered for that server: plain queries only (random case would be all lower once in
      // 2^12).
      assertTrue(!seen.isEmpty() && seen.stream().allMatch("ns1.other.test."::equals), "asked " + seen);
    }
  }

  @Test
  void outOfBailiwickRecordsInAGenuineReplyStayOutOfTheCache() throws Exception {
    try (Resolver r = resolver()) {
      List<String> bait = List.of("bait.leaf.test. A 192.0.2.83");
      assertEquals(bait, answers(ask(r, "bait.leaf.test.", Type.A)));
      int asked = NET.leaf.queries();
      assertEquals(bait, answers(ask(r, "bait.leaf.test.", Type.A)));
      assertEquals(asked, NET.leaf.queries(), "the second answer comes from the cache");
      assertNothingForged(r);
      // The parent zone's delegation still leads to its real servers, and the other zone's name
      // is asked of its own server (which has no such name).
      assertEquals(List.of("www.glueless.test. A 192.0.2.90"), answers(ask(r, "www.glueless.test.", Type.A)));
      assertEquals(Rcode.NXDOMAIN, ask(r, "www.other.test.", Type.A).rcode());
      assertNothingForged(r);
    }
  }

  @Test
  void kaminskyFloodOfForgedReferralsLeavesTheZonesNsAlone() throws Exception {
    // Questions for random names under leaf.test; for each, the forger (who knows the port and the
    // question but not the ID) sprays replies claiming a new NS for leaf.test with its own glue,
    // or new glue for the real NS name, before the real NXDOMAIN.
    int perQuestion = 16;
    NET.leaf.spoofer(q -> {
      Name n = q.getQuestion().getName();
      if (!n.toString().toLowerCase(java.util.Locale.ROOT).startsWith("k-") || q.getQuestion().getType() != Type.A) return List.of();
      List<MiniAuthority.Spoof> out = new ArrayList<>();
      for (int i = 1; i <= perQuestion; i++) {
        Message m = i % 2 == 0 ? forgedReferral(q) : forgedAnswerWithGlue(q);
        m.getHeader().setID((q.getHeader().getID() + i) & 0xffff);
        out.add(new MiniAuthority.Spoof(m, false));
      }
      return out;
    });
    int questions = 200;
    int batch = 20;
    SecureRandom random = new SecureRandom();
    try (Resolver r = resolver()) {
      for (int done = 0; done < questions; done += batch) {
        List<CompletableFuture<Answer>> flood = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          byte[] label = new byte[6];
          random.nextBytes(label);
          flood.add(r.resolve(query("k-" + HexFormat.of().formatHex(label) + ".leaf.test.", Type.A)).toCompletableFuture());
        }
        for (CompletableFuture<Answer> f : flood) {
          assertEquals(Rcode.NXDOMAIN, f.get(60, TimeUnit.SECONDS).rcode());
        }
      }
      long rejected = ((DefaultResolver) r).rejectedReplies();
      assertTrue(rejected >= questions, "the forgeries did not reach the resolver: " + rejected + " rejected");
      List<String> ns = new ArrayList<>();
      for (CacheEntry e : r.cacheEntries(Name.fromConstantString("leaf.test.")).entries()) {
        if (e.type() == Type.NS) e.records().forEach(rec -> ns.add(e.kind() + " " + rec.rdataToString()));
      }
      assertTrue(!ns.isEmpty() && ns.stream().allMatch(s -> s.endsWith(" ns.leaf.test.")), "leaf.test NS: " + ns);
      assertNothingForged(r);
      int asked = NET.leaf.queries();
      assertEquals(WWW_ANSWER, answers(ask(r, "www.leaf.test.", Type.A)));
      assertTrue(NET.leaf.queries() > asked, "asked of the real server");
    }
  }

  @Test
  void forgedRepliesWithoutTheServersCookieAreIgnored() throws Exception {
    CookieLeaf leaf = new CookieLeaf(false, false);
    cookieLeaf = leaf;
    try (Resolver r = resolver()) {
      // First contact: the leaf returns its server cookie (the resolver cannot yet tell a reply
      // without one from a server that does not do cookies).
      assertEquals(List.of("ns.leaf.test. A 127.0.0.13"), answers(ask(r, "ns.leaf.test.", Type.A)));
      // The right ID, port, question and case: only the cookie is wrong (another client cookie)
      // or missing, from a server that returned one before (RFC 7873 section 5.3).
      NET.leaf.spoofer(forQuestion(WWW, q -> {
        Message wrongClient = forgedAnswer(q, q.getQuestion().getName());
        byte[] other = new byte[8];
        new SecureRandom().nextBytes(other);
        wrongClient.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new CookieOption(other, leaf.serverCookie))),
            Section.ADDITIONAL);
        return List.of(new MiniAuthority.Spoof(wrongClient, false),
            new MiniAuthority.Spoof(forgedAnswer(q, q.getQuestion().getName()), false));
      }));
      assertResolvesTruly(r, 2);
      assertTrue(!leaf.www.isEmpty() && leaf.www.stream().allMatch(leaf::returned),
          "the query for www did not carry the leaf's server cookie: " + leaf.www);
      java.util.Map<String, Boolean> cookies = new java.util.HashMap<>();
      for (InfraEntry e : r.infra()) cookies.put(e.address().getHostAddress(), e.cookies());
      assertEquals(Boolean.TRUE, cookies.get("127.0.0.13"), "leaf does cookies: " + cookies);
      assertEquals(Boolean.FALSE, cookies.get(TestHierarchy.ROOT), "the root does not: " + cookies);
    }
  }

  @Test
  void badCookieIsAnsweredByAskingAgainWithTheFreshServerCookie() throws Exception {
    CookieLeaf leaf = new CookieLeaf(true, false);
    cookieLeaf = leaf;
    try (Resolver r = resolver()) {
      int tcp = NET.leaf.tcpQueries();
      assertEquals(WWW_ANSWER, answers(ask(r, "www.leaf.test.", Type.A)));
      // Asked with the client cookie alone (BADCOOKIE, with the server's cookie), then with it.
      assertEquals(2, leaf.www.size(), "queries for www: " + leaf.www);
      assertTrue(leaf.www.get(0).isPresent() && !leaf.returned(leaf.www.get(0)), "first: " + leaf.www);
      assertTrue(leaf.returned(leaf.www.get(1)), "second: " + leaf.www);
      assertEquals(tcp, NET.leaf.tcpQueries(), "no TCP needed");
    }
  }

  @Test
  void badCookieTwiceIsAskedAgainOverTcp() throws Exception {
    CookieLeaf leaf = new CookieLeaf(true, true);
    cookieLeaf = leaf;
    try (Resolver r = resolver()) {
      int tcp = NET.leaf.tcpQueries();
      assertEquals(WWW_ANSWER, answers(ask(r, "www.leaf.test.", Type.A)));
      assertEquals(3, leaf.www.size(), "UDP, UDP with the fresh cookie, TCP: " + leaf.www);
      assertTrue(leaf.returned(leaf.www.get(1)), "second: " + leaf.www);
      assertEquals(tcp + 1, NET.leaf.tcpQueries(), "the third over TCP");
    }
  }

  @Test
  void withUpstreamCookiesOffNoCookieIsSent() throws Exception {
    CookieLeaf leaf = new CookieLeaf(true, true);
    cookieLeaf = leaf;
    ResolverConfig config = ResolverConfig.builder()
        .serveStale(false)
        .rootHints(RootHints.of(List.of(InetAddress.getByName(TestHierarchy.ROOT))))
        .upstreamPort(network.port())
        .useIpv6(false)
        .doNotQueryLocalhost(false)
        .serverTimeout(Duration.ofSeconds(3))
        .upstreamCookies(false)
        .build();
    try (Resolver r = ResolverFactory.create(config, new NettyUpstreamTransport(1), Ticker.systemTicker(), new Random())) {
      assertEquals(WWW_ANSWER, answers(ask(r, "www.leaf.test.", Type.A)));
      assertEquals(List.of(java.util.Optional.empty()), leaf.www);
    }
  }

  /**
   * Asks for www.leaf.test twice (the second from the cache), and checks that at least {@code
   * forged} replies were rejected and that nothing forged is cached.
   */
  private static void assertResolvesTruly(Resolver r, int forged) throws Exception {
    assertEquals(WWW_ANSWER, answers(ask(r, "www.leaf.test.", Type.A)));
    int asked = NET.leaf.queries();
    assertEquals(WWW_ANSWER, answers(ask(r, "www.leaf.test.", Type.A)));
    assertEquals(asked, NET.leaf.queries(), "the second answer comes from the cache");
    long rejected = ((DefaultResolver) r).rejectedReplies();
    assertTrue(rejected >= forged, "the forgeries did not all reach the resolver: " + rejected + " rejected");
    assertNothingForged(r);
  }

  /** No entry of any cache holds a forger's address or name. */
  private static void assertNothingForged(Resolver r) {
    CacheDump dump = r.cacheEntries(100_000);
    assertEquals(0, dump.omitted());
    assertTrue(dump.total() > 0, "the cache is empty: nothing was checked");
    for (CacheEntry e : dump.entries()) {
      for (Record rec : e.records()) {
        String text = rec.toString();
        if (text.contains(EVIL) || text.contains(EVIL_NS) || text.contains("evil")) {
          fail("forged data cached: " + e);
        }
      }
    }
  }

  private static void assertLowerCase(String text, CacheEntry e) {
    assertEquals(text.toLowerCase(java.util.Locale.ROOT), text, "random case cached in " + e);
  }

  private static Function<Message, List<MiniAuthority.Spoof>> forQuestion(Name name,
      Function<Message, List<MiniAuthority.Spoof>> forge) {
    return q -> q.getQuestion().getName().equals(name) && q.getQuestion().getType() == Type.A ? forge.apply(q) : List.of();
  }

  /** An authoritative answer with the forger's address, the question as the query had it. */
  private static Message forgedAnswer(Message q, Name owner) {
    Message m = MiniAuthority.replyTo(q, Rcode.NOERROR);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(new ARecord(owner, DClass.IN, 86400, address(EVIL)), Section.ANSWER);
    return m;
  }

  /** Kaminsky's reply: an answer whose authority and glue re-point the zone's real NS name. */
  private static Message forgedAnswerWithGlue(Message q) {
    Name ns = Name.fromConstantString("ns.leaf.test.");
    Message m = forgedAnswer(q, q.getQuestion().getName());
    m.addRecord(new NSRecord(Name.fromConstantString("leaf.test."), DClass.IN, 86400, ns), Section.AUTHORITY);
    m.addRecord(new ARecord(ns, DClass.IN, 86400, address(EVIL_NS)), Section.ADDITIONAL);
    return m;
  }

  /** A referral claiming a new NS for the zone, with the forger's glue. */
  private static Message forgedReferral(Message q) {
    Name ns = Name.fromConstantString("ns.evil.leaf.test.");
    Message m = MiniAuthority.replyTo(q, Rcode.NOERROR);
    m.addRecord(new NSRecord(Name.fromConstantString("leaf.test."), DClass.IN, 86400, ns), Section.AUTHORITY);
    m.addRecord(new ARecord(ns, DClass.IN, 86400, address(EVIL_NS)), Section.ADDITIONAL);
    return m;
  }

  /**
   * The leaf server's genuine answer for bait.leaf.test, with records it has no authority for: an
   * NS for the parent zone (test.) in authority with its glue, an A for a name of another zone
   * (other.test) in additional.
   */
  private static Message outOfBailiwick(Message q) {
    Message m = MiniAuthority.replyTo(q, Rcode.NOERROR);
    m.getHeader().setFlag(Flags.AA);
    Name evilNs = Name.fromConstantString("ns.evil.test.");
    m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300, address("192.0.2.83")), Section.ANSWER);
    m.addRecord(new NSRecord(Name.fromConstantString("test."), DClass.IN, 86400, evilNs), Section.AUTHORITY);
    m.addRecord(new ARecord(evilNs, DClass.IN, 86400, address(EVIL_NS)), Section.ADDITIONAL);
    m.addRecord(new ARecord(Name.fromConstantString("www.other.test."), DClass.IN, 86400, address(EVIL)), Section.ADDITIONAL);
    return m;
  }

  /** The name with the case of every letter flipped: the same name, in another case. */
  private static Name flipCase(Name n) {
    StringBuilder b = new StringBuilder();
    for (char c : n.toString().toCharArray()) {
      b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return Name.fromConstantString(b.toString());
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
