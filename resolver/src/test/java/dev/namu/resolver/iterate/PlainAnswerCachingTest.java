package dev.namu.resolver.iterate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.RootHints;
import dev.namu.resolver.cache.AnswerCache;
import dev.namu.resolver.cache.AnswerKind;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import dev.namu.resolver.cache.InfraCache;
import dev.namu.resolver.cache.RRsetCache;
import dev.namu.resolver.cache.Trust;
import dev.namu.resolver.replay.ManualTicker;
import dev.namu.resolver.testnet.TestHierarchy;
import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * A plain answer (one answerable RRset of the question's name and type) is kept once, in the RRset
 * cache, and answered from there; whatever the answer cache held for the question before goes.
 */
class PlainAnswerCachingTest {
  private static final Name WWW = Name.fromConstantString("www.leaf.test.");

  private final TestHierarchy net = new TestHierarchy();
  private final ManualTicker clock = new ManualTicker();
  private final RRsetCache rrsets = new RRsetCache(clock, 1000, 0, 0);
  private final AnswerCache answers = new AnswerCache(clock, 1000, 0, 0);

  private IterativeEngine engine() throws Exception {
    ResolverConfig config = ResolverConfig.builder()
        .rootHints(RootHints.of(List.of(InetAddress.getByName(TestHierarchy.ROOT))))
        .useIpv6(false)
        .doNotQueryLocalhost(false)
        .build();
    return new IterativeEngine(config, net.inMemory(), rrsets, answers, new InfraCache(clock, 1000), clock,
        new Random(3));
  }

  private CachedAnswer resolve(IterativeEngine e, boolean bypass) throws Exception {
    Resolution r = new Resolution(ResolverConfig.builder()
        .rootHints(RootHints.of(List.of(InetAddress.getByName(TestHierarchy.ROOT)))).build().limits(),
        clock.read() + TimeUnit.SECONDS.toNanos(10), bypass);
    return e.resolve(WWW, Type.A, r).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aPlainAnswerIsOneRRsetCacheEntryAndAnsweredFromIt() throws Exception {
    IterativeEngine e = engine();
    CachedAnswer a = resolve(e, false);
    assertEquals("192.0.2.80", ((ARecord) a.answer().get(0).rrset().first()).getAddress().getHostAddress());
    assertNull(answers.getAny(WWW, Type.A), "no second copy in the answer cache");
    CachedAnswer hit = e.lookup(WWW, Type.A);
    assertNotNull(hit);
    assertEquals(AnswerKind.POSITIVE, hit.kind());
    assertEquals(a.answer(), hit.answer());
    assertEquals(a.expiresAtNanos(), hit.expiresAtNanos());
  }

  @Test
  void aPlainAnswerReplacesWhatTheAnswerCacheHeldForTheQuestion() throws Exception {
    IterativeEngine e = engine();
    // an earlier answer to the same question, through a CNAME chain, held in the answer cache
    Name target = Name.fromConstantString("old.leaf.test.");
    CachedRRset cname = new CachedRRset(new RRset(new CNAMERecord(WWW, DClass.IN, 300, target)),
        Trust.ANSWER_AA, clock.read(), 300);
    CachedRRset old = new CachedRRset(new RRset(new ARecord(target, DClass.IN, 300,
        InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 99}))), Trust.ANSWER_AA, clock.read(), 300);
    answers.put(WWW, Type.A, CachedAnswer.positive(List.of(cname, old), List.of(), List.of()));
    assertEquals(2, e.lookup(WWW, Type.A).answer().size());

    clock.advanceSeconds(280); // a prefetch: resolved again while the old answer still lives
    resolve(e, true);
    assertNull(answers.getAny(WWW, Type.A), "the old chain must not shadow the new answer");
    CachedAnswer now = e.lookup(WWW, Type.A);
    assertEquals(1, now.answer().size());
    assertEquals(Type.A, now.answer().get(0).type());
    assertEquals(Rcode.NOERROR, now.rcode());
    assertTrue(now.answer().get(0).rrset().first() instanceof ARecord);
  }
}
