package dev.namu.server.resolved;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.Answer;
import dev.namu.resolver.replay.ManualTicker;
import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.auth.WireAnswers;
import dev.namu.server.intake.QuestionProbe;
import dev.namu.server.intake.RequestDecoder;
import dev.namu.server.intake.Transport;
import dev.namu.server.intake.ScannedQuery;
import dev.namu.zones.registry.ZoneSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The store itself: what is kept, how TTLs count down, when a copy stops, the byte bound. */
class ResolvedAnswersStoreTest {
  private final ManualTicker clock = new ManualTicker();
  private final AtomicReference<ZoneSet> zones = new AtomicReference<>(ZoneSet.empty());
  /** What the resolver says its answers have left: -1 stale or due for prefetch. */
  private final AtomicLong left = new AtomicLong(0);

  private ResolvedAnswers store(long maxBytes) {
    return new ResolvedAnswers(zones::get, maxBytes, clock);
  }

  private static Message query(String name) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    return q;
  }

  /** An answer of two A records (TTL {@code ttl} and 50 more), settled for {@link #left} s. */
  private Answer reply(Message q, long ttl, int rcode) throws Exception {
    Name n = q.getQuestion().getName();
    return new Answer(rcode,
        List.of(new RRset(new ARecord(n, DClass.IN, ttl, java.net.InetAddress.getByName("192.0.2.1"))),
            new RRset(new ARecord(n, DClass.IN, ttl + 50, java.net.InetAddress.getByName("192.0.2.2")))),
        List.of(), List.of(), null, Answer.Security.UNCHECKED, true, left.get());
  }

  /** The reply the server writes from {@code a}: RD, RA and an OPT, as the general path's. */
  private byte[] wire(Message q, Answer a) {
    RequestDecoder.Decoded decoded = (RequestDecoder.Decoded) new RequestDecoder().decode(
        q.toWire(), Transport.UDP, new InetSocketAddress("127.0.0.1", 40000), zones.get());
    Message reply = new AnswerReply().reply(decoded.request(), a);
    reply.getHeader().setFlag(Flags.RA); // the reply writer's, for a client that may recurse
    return reply.toWire();
  }

  private byte[] serve(ResolvedAnswers s, byte[] q) {
    QuestionProbe probe = new QuestionProbe();
    assertTrue(probe.scan(q));
    ByteBuf b = s.serve(zones.get(), probe, q, 1232, UnpooledByteBufAllocator.DEFAULT);
    if (b == null) {
      return null;
    }
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  private boolean offer(ResolvedAnswers s, Message q, Answer a) throws Exception {
    byte[] qw = q.toWire();
    return s.offer(zones.get(), ScannedQuery.scan(qw).key(), a, wire(q, a), true);
  }

  @Test
  void ttlsCountDownInWholeSecondsRoundedUpAndTheOptIsLeftAlone() throws Exception {
    ResolvedAnswers s = store(1 << 20);
    Message q = query("www.example.");
    assertTrue(offer(s, q, reply(q, 100, Rcode.NOERROR)));
    Message asked = query("WWW.Example.");
    asked.getHeader().setID(4242);

    Message now = new Message(serve(s, asked.toWire()));
    assertEquals(4242, now.getHeader().getID());
    assertEquals("WWW.Example.", now.getQuestion().getName().toString());
    assertEquals(List.of(100L, 150L), ttls(now));

    clock.advanceSeconds(0.001);
    assertEquals(List.of(99L, 149L), ttls(new Message(serve(s, asked.toWire()))));
    clock.advanceSeconds(40);
    Message later = new Message(serve(s, asked.toWire()));
    assertEquals(List.of(59L, 109L), ttls(later));
    assertEquals(1232, later.getOPT().getPayloadSize(), "the OPT's fields are not TTLs");
    assertEquals(0, later.getOPT().getExtendedRcode());
  }

  @Test
  void aCopyStopsWhenATenthOfItsSmallestTtlIsLeft() throws Exception {
    ResolvedAnswers s = store(1 << 20);
    Message q = query("www.example.");
    assertTrue(offer(s, q, reply(q, 100, Rcode.NOERROR)));
    clock.advanceSeconds(89);
    assertNotNull(serve(s, q.toWire()), "11 s of 100 left");
    clock.advanceSeconds(0.5);
    assertNull(serve(s, q.toWire()), "10 s left: the general path's turn (prefetch)");
  }

  @Test
  void onlyWholeSettledNoerrorOrNxdomainRepliesWithoutOptionsAreKept() throws Exception {
    ResolvedAnswers s = store(1 << 20);
    Message q = query("www.example.");
    byte[] qw = q.toWire();
    var key = ScannedQuery.scan(qw).key();
    Answer servfail = reply(q, 100, Rcode.SERVFAIL);
    assertFalse(s.offer(zones.get(), key, servfail, wire(q, servfail), true));
    Answer ok = reply(q, 100, Rcode.NOERROR);
    assertFalse(s.offer(zones.get(), key, ok, wire(q, ok), false), "not whole");
    byte[] tc = wire(q, ok);
    tc[2] |= 0x02;
    assertFalse(s.offer(zones.get(), key, ok, tc, true), "truncated");
    Answer short1 = reply(q, 1, Rcode.NOERROR);
    assertFalse(s.offer(zones.get(), key, short1, wire(q, short1), true), "TTL 1");
    Answer ede = new Answer(Rcode.NOERROR, ok.answer(), List.of(), List.of(),
        new Answer.ExtendedError(ExtendedErrorCodeOption.STALE_ANSWER, null), Answer.Security.UNCHECKED, true, 0);
    assertFalse(s.offer(zones.get(), key, ede, wire(q, ede), true), "an extended error");
    left.set(-1);
    Answer due = reply(q, 100, Rcode.NOERROR);
    assertFalse(s.offer(zones.get(), key, due, wire(q, due), true), "stale or due");
    left.set(250);
    Answer refreshed = reply(q, 100, Rcode.NOERROR);
    assertFalse(
        s.offer(zones.get(), key, refreshed, wire(q, refreshed), true),
        "the cache holds the answer longer than its records say");
    left.set(100);
    Answer fine = reply(q, 100, Rcode.NOERROR);
    byte[] cut = wire(q, fine);
    assertFalse(
        s.offer(zones.get(), key, fine, java.util.Arrays.copyOf(cut, cut.length - 3), true), "malformed");
    assertEquals(0, s.size());
    Answer nx = reply(q, 100, Rcode.NXDOMAIN);
    assertTrue(s.offer(zones.get(), key, nx, wire(q, nx), true));
    assertEquals(1, s.size());
  }

  @Test
  void aNewZoneSetOrAClearRetiresEveryCopy() throws Exception {
    ResolvedAnswers s = store(1 << 20);
    Message q = query("www.example.");
    Answer a = reply(q, 100, Rcode.NOERROR);
    byte[] wire = wire(q, a);
    assertTrue(offer(s, q, a));
    ZoneSet old = zones.get();
    zones.set(ZoneSet.of(dev.namu.server.auth.LocalZones.notCoveredBy(ZoneSet.empty())));
    assertNull(serve(s, q.toWire()), "another zone set");
    assertFalse(s.offer(old, ScannedQuery.scan(q.toWire()).key(), a, wire, true),
        "nothing kept for a zone set no longer published");
    assertTrue(offer(s, q, a));
    assertArrayEquals(wire, serve(s, q.toWire()));
    s.clear();
    assertNull(serve(s, q.toWire()));
    assertEquals(0, s.size());
  }

  @Test
  void theByteBoundStartsOver() throws Exception {
    ResolvedAnswers s = store(10_000);
    for (int i = 0; i < 200; i++) {
      Message q = query("host" + i + ".example.");
      offer(s, q, reply(q, 100, Rcode.NOERROR));
      assertTrue(s.bytes() <= 10_000, "bytes " + s.bytes());
    }
    assertTrue(s.size() > 0 && s.size() < 200, "held " + s.size());
  }

  @Test
  void copiesAndPreparedAnswersShareOneStoreAndACacheFlushDropsOnlyTheCopies() throws Exception {
    WireAnswers store = new WireAnswers(zones::get, 1 << 20);
    PreparedAnswers prepared = new PreparedAnswers(store);
    ResolvedAnswers s = new ResolvedAnswers(store, clock);
    Message local = query("nas.lan.");
    byte[] localReply = wire(local, reply(local, 300, Rcode.NOERROR));
    prepared.store(zones.get(), ScannedQuery.scan(local.toWire()).key(), localReply, local);
    Message q = query("www.example.");
    assertTrue(offer(s, q, reply(q, 100, Rcode.NOERROR)));
    assertEquals(1, prepared.size());
    assertEquals(1, s.size());
    assertNull(prepared.find(zones.get(), ScannedQuery.scan(q.toWire()).key()), "a copy is no prepared answer");
    assertNull(serve(s, local.toWire()), "a prepared answer is no copy");
    assertNotNull(serve(s, q.toWire()));

    s.clear();
    assertNull(serve(s, q.toWire()), "the cache was flushed: the copy goes");
    assertArrayEquals(localReply, prepared.find(zones.get(), ScannedQuery.scan(local.toWire()).key()),
        "the zones' answer stays");
    assertEquals(0, s.bytes());

    assertTrue(offer(s, q, reply(q, 100, Rcode.NOERROR)));
    zones.set(ZoneSet.of(dev.namu.server.auth.LocalZones.notCoveredBy(ZoneSet.empty())));
    assertNull(serve(s, q.toWire()), "a new zone set retires both");
    assertNull(prepared.find(zones.get(), ScannedQuery.scan(local.toWire()).key()));
  }

  private static List<Long> ttls(Message m) {
    return m.getSection(Section.ANSWER).stream().map(Record::getTTL).toList();
  }
}
