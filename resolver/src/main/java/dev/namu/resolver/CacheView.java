package dev.namu.resolver;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.cache.AnswerCache;
import dev.namu.resolver.cache.AnswerKind;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import dev.namu.resolver.cache.InfraCache;
import dev.namu.resolver.cache.RRsetCache;
import dev.namu.resolver.cache.ServerState;
import dev.namu.resolver.cache.Trust;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The resolver's caches as an operator reads them: entries copied out by the maps' weakly
 * consistent iteration, so a dump takes no lock, counts no use (eviction order and hit counts stay
 * as resolution made them) and costs resolution nothing. Only the entries shown are copied: a dump
 * of a big cache keeps at most {@code limit} of them.
 */
final class CacheView {
  private static final Comparator<Held> ORDER = Comparator.comparing(Held::name)
      .thenComparingInt(Held::type).thenComparing(Held::kind);

  private final RRsetCache rrsets;
  private final RRsetCache parentSide;
  private final AnswerCache answers;
  private final InfraCache infra;
  private final Ticker ticker;

  CacheView(RRsetCache rrsets, RRsetCache parentSide, AnswerCache answers, InfraCache infra, Ticker ticker) {
    this.rrsets = rrsets;
    this.parentSide = parentSide;
    this.answers = answers;
    this.infra = infra;
    this.ticker = ticker;
  }

  /** A cache entry found, not yet copied: an RRset or an answer. */
  private record Held(Name name, int type, CacheEntry.Kind kind, Object value) {}

  /** Every entry of {@code name}, all types, all caches. */
  CacheDump entries(Name name) {
    List<Held> found = new ArrayList<>();
    each(h -> {
      if (h.name().equals(name)) found.add(h);
    });
    found.sort(ORDER);
    long now = ticker.read();
    return new CacheDump(found.stream().map(h -> copy(h, now)).toList(), found.size());
  }

  /** The first {@code limit} entries of all caches in name order, and how many there are. */
  CacheDump entries(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    // The smallest entries so far, the largest on top to be dropped: memory stays at limit entries.
    PriorityQueue<Held> kept = new PriorityQueue<>(Math.min(limit, 1024), ORDER.reversed());
    long[] total = {0};
    each(h -> {
      total[0]++;
      if (kept.size() < limit) {
        kept.add(h);
      } else if (ORDER.compare(h, kept.peek()) < 0) {
        kept.poll();
        kept.add(h);
      }
    });
    Held[] shown = kept.toArray(new Held[0]);
    Arrays.sort(shown, ORDER);
    long now = ticker.read();
    return new CacheDump(Arrays.stream(shown).map(h -> copy(h, now)).toList(), total[0]);
  }

  private void each(Consumer<Held> sink) {
    rrsets.forEach((k, v) -> sink.accept(new Held(k.name(), k.type(), CacheEntry.Kind.RRSET, v)));
    parentSide.forEach((k, v) -> sink.accept(new Held(k.name(), k.type(), CacheEntry.Kind.REFERRAL, v)));
    answers.forEach((k, v) -> sink.accept(new Held(k.name(), k.type(), kind(v.kind()), v)));
  }

  private static CacheEntry.Kind kind(AnswerKind k) {
    return switch (k) {
      case POSITIVE -> CacheEntry.Kind.ANSWER;
      case NXDOMAIN -> CacheEntry.Kind.NXDOMAIN;
      case NODATA -> CacheEntry.Kind.NODATA;
      case ERROR -> CacheEntry.Kind.ERROR;
    };
  }

  private CacheEntry copy(Held h, long now) {
    if (h.value() instanceof CachedRRset r) {
      return new CacheEntry(h.name(), h.type(), h.kind(), r.trust(), r.remainingSeconds(now), r.ttlSeconds(),
          r.expired(now), 0, records(r), zoneOf(h.name(), h.type()));
    }
    CachedAnswer a = (CachedAnswer) h.value();
    boolean negative = a.kind() == AnswerKind.NXDOMAIN || a.kind() == AnswerKind.NODATA;
    List<CachedRRset> shown = negative ? a.authority() : a.answer();
    List<Record> records = new ArrayList<>();
    Trust trust = null;
    for (CachedRRset r : shown) {
      records.addAll(records(r));
      trust = trust == null || r.trust().compareTo(trust) < 0 ? r.trust() : trust;
    }
    Name zone = negative && !shown.isEmpty() && shown.get(0).type() == Type.SOA
        ? shown.get(0).name() : zoneOf(h.name(), h.type());
    return new CacheEntry(h.name(), h.type(), h.kind(), trust, a.remainingSeconds(now), a.ttlSeconds(),
        a.expired(now), a.rcode(), records, zone);
  }

  private static List<Record> records(CachedRRset r) {
    return r.rrset().size() == 0 ? List.copyOf(r.rrset().sigs()) : r.rrset().rrs(false);
  }

  /** The closest name at or above {@code name} with a cached NS set (above it, for DS). */
  private Name zoneOf(Name name, int type) {
    int labels = name.labels();
    for (int strip = type == Type.DS ? 1 : 0; strip < labels; strip++) {
      Name n = strip == 0 ? name : new Name(name, strip);
      if (rrsets.peek(n, Type.NS) != null) {
        return n;
      }
    }
    return null;
  }

  /** The infrastructure cache by address, lameness and the case-blind mark folded into each address's entry. */
  List<InfraEntry> infra() {
    long now = ticker.read();
    Map<InetAddress, InfraCache.ServerEntry> servers = new TreeMap<>(CacheView::compare);
    for (InfraCache.ServerEntry s : infra.servers()) {
      servers.put(s.address(), s);
    }
    Map<InetAddress, List<InfraCache.LameEntry>> lame = new TreeMap<>(CacheView::compare);
    for (InfraCache.LameEntry l : infra.lameServers()) {
      lame.computeIfAbsent(l.address(), a -> new ArrayList<>()).add(l);
    }
    Map<InetAddress, Long> caseBlind = new TreeMap<>(CacheView::compare);
    for (InfraCache.CaseBlindEntry c : infra.caseBlindServers()) {
      caseBlind.put(c.address(), c.leftNanos());
    }
    java.util.Set<InetAddress> all = new java.util.TreeSet<>(CacheView::compare);
    all.addAll(servers.keySet());
    all.addAll(lame.keySet());
    all.addAll(caseBlind.keySet());
    List<InfraEntry> out = new ArrayList<>(all.size());
    for (InetAddress a : all) {
      InfraCache.ServerEntry s = servers.get(a);
      long rtt = s == null ? ServerState.UNKNOWN_RTT_MILLIS : s.state().srttMillis();
      int timeouts = s == null ? 0 : s.state().timeouts();
      boolean noEdns = s != null && s.state().noEdns();
      long blocked = s == null || s.state().blockedUntilNanos() == 0 ? 0
          : Math.max(0, (s.state().blockedUntilNanos() - now) / 1_000_000L);
      long left = s == null ? 0 : s.leftNanos();
      List<Name> zones = new ArrayList<>();
      for (InfraCache.LameEntry l : lame.getOrDefault(a, List.of())) {
        zones.add(l.zone());
        left = Math.max(left, l.leftNanos());
      }
      zones.sort(Comparator.naturalOrder());
      Long blindLeft = caseBlind.get(a);
      if (blindLeft != null) {
        left = Math.max(left, blindLeft);
      }
      out.add(new InfraEntry(a, rtt, timeouts, noEdns, blocked, zones, blindLeft != null, left / 1_000_000_000L,
          infra.cookies().known(a)));
    }
    return out;
  }

  /** Addresses by family (IPv4 first), then bytes. */
  private static int compare(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    return x.length != y.length ? Integer.compare(x.length, y.length) : Arrays.compareUnsigned(x, y);
  }
}
