package dev.namu.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.cache.AnswerCache;
import dev.namu.resolver.cache.AnswerKind;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import dev.namu.resolver.cache.InfraCache;
import dev.namu.resolver.cache.RRsetCache;
import dev.namu.resolver.cache.Trust;
import dev.namu.resolver.replay.ManualTicker;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** The operator's view of the caches on a clock that moves only when told. */
class CacheViewTest {
  private static final long STALE_SECONDS = 30;
  private final ManualTicker clock = new ManualTicker();
  private final RRsetCache rrsets = new RRsetCache(clock, 10_000, 0, STALE_SECONDS * 1_000_000_000L);
  private final RRsetCache parentSide = new RRsetCache(clock, 1000, 0, 0);
  private final AnswerCache answers = new AnswerCache(clock, 10_000, 0, 0);
  private final InfraCache infra = new InfraCache(clock, 1000);
  private final CacheView view = new CacheView(rrsets, parentSide, answers, infra, clock);

  private static Name name(String s) {
    return Name.fromConstantString(s);
  }

  private CachedRRset a(String owner, String address, Trust trust, long ttl) throws Exception {
    return new CachedRRset(new RRset(new ARecord(name(owner), DClass.IN, ttl, InetAddress.getByName(address))), trust,
        clock.read(), ttl);
  }

  private CachedRRset ns(String zone, String target, Trust trust, long ttl) {
    return new CachedRRset(new RRset(new NSRecord(name(zone), DClass.IN, ttl, name(target))), trust, clock.read(), ttl);
  }

  @Test
  void aNameShowsEveryTypeFromEveryCacheWithTheZoneItBelongsTo() throws Exception {
    rrsets.put(ns("example.", "ns.example.", Trust.AUTHORITY_AA, 3600));
    parentSide.put(ns("example.", "ns.example.", Trust.AUTHORITY, 86400));
    rrsets.put(new CachedRRset(new RRset(new DSRecord(name("example."), DClass.IN, 3600, 1, 13, 2, new byte[32])),
        Trust.ANSWER_AA, clock.read(), 3600));
    rrsets.put(a("www.example.", "192.0.2.1", Trust.ANSWER_AA, 300));
    SOARecord soa = new SOARecord(name("example."), DClass.IN, 60, name("ns.example."), name("h.example."), 1, 3600,
        600, 86400, 60);
    CachedRRset soaSet = new CachedRRset(new RRset(soa), Trust.AUTHORITY_AA, clock.read(), 60);
    answers.put(name("www.example."), Type.MX,
        new CachedAnswer(AnswerKind.NODATA, Rcode.NOERROR, List.of(), List.of(soaSet), List.of(),
            soaSet.expiresAtNanos(), 60));
    answers.put(name("nope.example."), AnswerCache.NXDOMAIN_TYPE,
        new CachedAnswer(AnswerKind.NXDOMAIN, Rcode.NXDOMAIN, List.of(), List.of(soaSet), List.of(),
            soaSet.expiresAtNanos(), 60));
    clock.advanceSeconds(10);

    CacheDump www = view.entries(name("www.example."));
    assertEquals(2, www.total());
    CacheEntry address = www.entries().get(0);
    assertEquals(Type.A, address.type());
    assertEquals(CacheEntry.Kind.RRSET, address.kind());
    assertEquals(Trust.ANSWER_AA, address.trust());
    assertEquals(290, address.ttlLeft());
    assertEquals(300, address.ttl());
    assertEquals(name("example."), address.zone());
    CacheEntry nodata = www.entries().get(1);
    assertEquals(Type.MX, nodata.type());
    assertEquals(CacheEntry.Kind.NODATA, nodata.kind());
    assertEquals(50, nodata.ttlLeft());
    assertEquals(Type.SOA, nodata.records().get(0).getType());

    CacheDump apex = view.entries(name("example."));
    assertEquals(List.of(CacheEntry.Kind.RRSET, CacheEntry.Kind.REFERRAL, CacheEntry.Kind.RRSET),
        apex.entries().stream().map(CacheEntry::kind).toList(), "NS twice (the child's and the parent's), then DS");
    assertEquals(Trust.AUTHORITY, apex.entries().get(1).trust());
    CacheEntry ds = apex.entries().get(2);
    assertEquals(Type.DS, ds.type());
    assertNull(ds.zone(), "DS belongs to the parent, whose NS set is not cached");

    CacheEntry nx = view.entries(name("nope.example.")).entries().get(0);
    assertEquals(CacheEntry.ANY_TYPE, nx.type());
    assertEquals(CacheEntry.Kind.NXDOMAIN, nx.kind());
    assertEquals(Rcode.NXDOMAIN, nx.rcode());
    assertEquals(name("example."), nx.zone());
    assertEquals(0, view.entries(name("other.example.")).total());
  }

  @Test
  void anExpiredRRsetKeptForServeStaleShowsAsStale() throws Exception {
    rrsets.put(a("www.example.", "192.0.2.1", Trust.ANSWER_AA, 300));
    clock.advanceSeconds(310);
    CacheEntry e = view.entries(name("www.example.")).entries().get(0);
    assertTrue(e.stale(), e.toString());
    assertEquals(0, e.ttlLeft());
    clock.advanceSeconds(STALE_SECONDS);
    assertEquals(0, view.entries(name("www.example.")).total(), "gone after the stale window");
  }

  @Test
  void aWholeDumpKeepsTheFirstEntriesInNameOrderAndCountsTheRest() throws Exception {
    for (int i = 0; i < 500; i++) {
      rrsets.put(a("h" + i + ".example.", "192.0.2.1", Trust.ANSWER_AA, 300));
    }
    rrsets.put(ns("example.", "ns.example.", Trust.AUTHORITY_AA, 3600));
    CacheDump first = view.entries(3);
    assertEquals(501, first.total());
    assertEquals(498, first.omitted());
    // canonical order (RFC 4034 6.1): the apex, then its children by label bytes
    assertEquals(List.of("example.", "h0.example.", "h1.example."),
        first.entries().stream().map(e -> e.name().toString()).toList());
    CacheDump all = view.entries(10_000);
    assertEquals(501, all.entries().size());
    assertEquals(0, all.omitted());
    for (int i = 1; i < all.entries().size(); i++) {
      assertTrue(all.entries().get(i - 1).name().compareTo(all.entries().get(i).name()) < 0);
    }
  }

  @Test
  void infraShowsRttTimeoutsBackOffEdnsLamenessAndTimeLeft() throws Exception {
    InetAddress fast = InetAddress.getByName("192.0.2.53");
    InetAddress dead = InetAddress.getByName("192.0.2.54");
    InetAddress lame = InetAddress.getByName("2001:db8::53");
    infra.recordReply(fast, 20);
    infra.recordNoEdns(fast);
    for (int i = 0; i < InfraCache.TIMEOUTS_BEFORE_BACKOFF; i++) {
      infra.recordTimeout(dead);
    }
    infra.markLame(name("example."), lame);
    assertEquals(InfraCache.TIMEOUT_PENALTY_MILLIS, view.infra().get(1).backedOffMillis(),
        "backed off after its third timeout in a row");
    clock.advanceSeconds(100);

    List<InfraEntry> servers = view.infra();
    assertEquals(List.of(fast, dead, lame), servers.stream().map(InfraEntry::address).toList(), "IPv4 first");
    InfraEntry f = servers.get(0);
    assertEquals(20, f.rttMillis());
    assertEquals(0, f.timeouts());
    assertTrue(f.ednsFailed());
    assertEquals(0, f.backedOffMillis());
    assertEquals(800, f.ttlLeftSeconds());
    InfraEntry d = servers.get(1);
    assertEquals(InfraCache.TIMEOUTS_BEFORE_BACKOFF, d.timeouts());
    assertFalse(d.ednsFailed());
    assertEquals(0, d.backedOffMillis(), "the back-off is over");
    assertEquals(800, d.ttlLeftSeconds());
    assertEquals(List.of(name("example.")), servers.get(2).lameZones());
  }
}
