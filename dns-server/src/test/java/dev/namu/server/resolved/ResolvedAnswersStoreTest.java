package dev.namu.server.resolved;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.replay.ManualTicker;
import dev.namu.server.intake.QuestionProbe;
import dev.namu.server.intake.ScannedQuery;
import dev.namu.zones.registry.ZoneSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
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
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The store itself: what is kept, how TTLs count down, when a copy stops, the byte bound. */
class ResolvedAnswersStoreTest {
  private final ManualTicker clock = new ManualTicker();
  private final AtomicReference<ZoneSet> zones = new AtomicReference<>(ZoneSet.empty());
  /** What the resolver says is left of its answer: -1 stale or due for prefetch. */
  private final AtomicLong left = new AtomicLong(0);

  private ResolvedAnswers store(long maxBytes) {
    return new ResolvedAnswers(zones::get, maxBytes, clock, (n, t) -> left.get());
  }

  private static Message query(String name) throws Exception {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    return q;
  }

  private static Message reply(Message q, long ttl, int rcode) throws Exception {
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.RD);
    r.getHeader().setFlag(Flags.RA);
    r.getHeader().setRcode(rcode);
    r.addRecord(q.getQuestion(), Section.QUESTION);
    Name n = q.getQuestion().getName();
    r.addRecord(new ARecord(n, DClass.IN, ttl, java.net.InetAddress.getByName("192.0.2.1")), Section.ANSWER);
    r.addRecord(new ARecord(n, DClass.IN, ttl + 50, java.net.InetAddress.getByName("192.0.2.2")), Section.ANSWER);
    r.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    return r;
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

  private boolean offer(ResolvedAnswers s, Message q, byte[] wire) throws Exception {
    byte[] qw = q.toWire();
    return s.offer(zones.get(), ScannedQuery.scan(qw).key(), q.getQuestion().getName(), wire, true);
  }

  @Test
  void ttlsCountDownInWholeSecondsRoundedUpAndTheOptIsLeftAlone() throws Exception {
    ResolvedAnswers s = store(1 << 20);
    Message q = query("www.example.");
    assertTrue(offer(s, q, reply(q, 100, Rcode.NOERROR).toWire()));
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
    assertTrue(offer(s, q, reply(q, 100, Rcode.NOERROR).toWire()));
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
    Name n = q.getQuestion().getName();
    assertFalse(s.offer(zones.get(), key, n, reply(q, 100, Rcode.SERVFAIL).toWire(), true));
    assertFalse(s.offer(zones.get(), key, n, reply(q, 100, Rcode.NOERROR).toWire(), false), "not whole");
    byte[] tc = reply(q, 100, Rcode.NOERROR).toWire();
    tc[2] |= 0x02;
    assertFalse(s.offer(zones.get(), key, n, tc, true), "truncated");
    assertFalse(s.offer(zones.get(), key, n, reply(q, 1, Rcode.NOERROR).toWire(), true), "TTL 1");
    Message ede = reply(q, 100, Rcode.NOERROR);
    ede.removeAllRecords(Section.ADDITIONAL);
    ede.addRecord(
        new OPTRecord(1232, 0, 0, 0, List.of(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.STALE_ANSWER))),
        Section.ADDITIONAL);
    assertFalse(s.offer(zones.get(), key, n, ede.toWire(), true), "an extended error");
    left.set(-1);
    assertFalse(s.offer(zones.get(), key, n, reply(q, 100, Rcode.NOERROR).toWire(), true), "stale or due");
    left.set(250);
    assertFalse(
        s.offer(zones.get(), key, n, reply(q, 100, Rcode.NOERROR).toWire(), true),
        "the cache was refreshed since the reply was made");
    left.set(100);
    byte[] cut = reply(q, 100, Rcode.NOERROR).toWire();
    assertFalse(
        s.offer(zones.get(), key, n, java.util.Arrays.copyOf(cut, cut.length - 3), true), "malformed");
    assertEquals(0, s.size());
    assertTrue(s.offer(zones.get(), key, n, reply(q, 100, Rcode.NXDOMAIN).toWire(), true));
    assertEquals(1, s.size());
  }

  @Test
  void aNewZoneSetOrAClearRetiresEveryCopy() throws Exception {
    ResolvedAnswers s = store(1 << 20);
    Message q = query("www.example.");
    byte[] wire = reply(q, 100, Rcode.NOERROR).toWire();
    assertTrue(offer(s, q, wire));
    ZoneSet old = zones.get();
    zones.set(ZoneSet.of(dev.namu.server.auth.LocalZones.notCoveredBy(ZoneSet.empty())));
    assertNull(serve(s, q.toWire()), "another zone set");
    assertFalse(s.offer(old, ScannedQuery.scan(q.toWire()).key(), q.getQuestion().getName(), wire, true),
        "nothing kept for a zone set no longer published");
    assertTrue(offer(s, q, wire));
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
      offer(s, q, reply(q, 100, Rcode.NOERROR).toWire());
      assertTrue(s.bytes() <= 10_000, "bytes " + s.bytes());
    }
    assertTrue(s.size() > 0 && s.size() < 200, "held " + s.size());
  }

  private static List<Long> ttls(Message m) {
    return m.getSection(Section.ANSWER).stream().map(Record::getTTL).toList();
  }
}
