package dev.namu.resolver.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.namu.resolver.replay.ManualTicker;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

class RRsetCacheTest {
  private final ManualTicker clock = new ManualTicker();
  private final RRsetCache cache = new RRsetCache(clock, 100, 0, 0);
  private static final Name WWW = Name.fromConstantString("www.example.");
  private static final Name ZONE = Name.fromConstantString("example.");

  private CachedRRset a(String addr, Trust trust, long ttl) throws Exception {
    return new CachedRRset(new RRset(new ARecord(WWW, DClass.IN, ttl, InetAddress.getByName(addr))), trust, clock.read(), ttl);
  }

  private CachedRRset ns(String target, long ttl) {
    return new CachedRRset(new RRset(new NSRecord(ZONE, DClass.IN, ttl, Name.fromConstantString(target))),
        Trust.AUTHORITY, clock.read(), ttl);
  }

  @Test
  void glueMayConfirmCachedAddressesButNeverChangeThem() throws Exception {
    CachedRRset first = a("192.0.2.1", Trust.ADDITIONAL, 300);
    assertSame(first, cache.putConfirming(first)); // nothing cached: stored
    assertSame(first, cache.putConfirming(a("192.0.2.1", Trust.ADDITIONAL, 300))); // same: kept
    assertNull(cache.putConfirming(a("6.6.6.6", Trust.ADDITIONAL, 300))); // different: refused
    assertSame(first, cache.get(WWW, Type.A));
    clock.advanceSeconds(300); // once the cached set has expired, new glue is taken
    CachedRRset later = a("6.6.6.6", Trust.ADDITIONAL, 300);
    assertSame(later, cache.putConfirming(later));
  }

  @Test
  void anUnchangedRRsetKeepsTheCachedEntryAndAMoreTrustedOneReplacesIt() throws Exception {
    CachedRRset glue = a("192.0.2.1", Trust.ADDITIONAL, 300);
    cache.put(glue);
    clock.advanceSeconds(10);
    assertSame(glue, cache.put(a("192.0.2.1", Trust.ADDITIONAL, 300)));
    assertEquals(290, cache.get(WWW, Type.A).remainingSeconds(clock.read()));
    CachedRRset answer = a("192.0.2.1", Trust.ANSWER_AA, 300);
    assertSame(answer, cache.put(answer));
    assertEquals(300, cache.get(WWW, Type.A).remainingSeconds(clock.read()));
  }

  @Test
  void lessTrustedDataDoesNotReplaceMoreTrusted() throws Exception {
    CachedRRset answer = a("192.0.2.1", Trust.ANSWER_AA, 300);
    cache.put(answer);
    assertSame(answer, cache.put(a("6.6.6.6", Trust.ADDITIONAL, 86400)));
    CachedRRset better = a("192.0.2.2", Trust.ANSWER_AA, 300);
    cache.put(better);
    assertSame(better, cache.get(WWW, Type.A));
  }

  @Test
  void entriesExpireWithTheClockAndTtlsCountDown() throws Exception {
    cache.put(a("192.0.2.1", Trust.ANSWER, 100));
    clock.advanceSeconds(40);
    assertEquals(60, cache.get(WWW, Type.A).recordsAt(clock.read()).get(0).getTTL());
    clock.advanceSeconds(60);
    assertNull(cache.get(WWW, Type.A));
  }

  @Test
  void sameDataKeepsItsTtlUntilTheLastTenth() throws Exception {
    CachedRRset first = a("192.0.2.1", Trust.ANSWER, 100);
    cache.put(first);
    clock.advanceSeconds(50);
    assertSame(first, cache.put(a("192.0.2.1", Trust.ANSWER, 100)));
    clock.advanceSeconds(45);
    CachedRRset refreshed = a("192.0.2.1", Trust.ANSWER, 100);
    assertSame(refreshed, cache.put(refreshed));
  }

  @Test
  void changedNsSetDoesNotExtendTheTtl() {
    cache.put(ns("old-ns.example.", 1000));
    clock.advanceSeconds(900);
    CachedRRset now = cache.put(ns("new-ns.example.", 86400));
    assertEquals("new-ns.example.", ((NSRecord) now.rrset().first()).getTarget().toString());
    assertEquals(100, now.remainingSeconds(clock.read()));
  }
}
