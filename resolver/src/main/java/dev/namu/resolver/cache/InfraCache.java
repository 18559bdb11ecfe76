package dev.namu.resolver.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.Name;

/**
 * Infrastructure cache: per server address its smoothed RTT, timeouts, EDNS support; per
 * (zone, address) lameness. Entries live 15 minutes (Unbound infra-host-ttl 900), so a server
 * that was down or lame is tried again later.
 */
public final class InfraCache {
  /** After this many consecutive timeouts a server is backed off. */
  public static final int TIMEOUTS_BEFORE_BACKOFF = 3;
  /** Longest back-off of a dead server; it is probed again after that. */
  public static final long MAX_BACKOFF_MILLIS = 120_000;
  /** RTT penalty per timeout, so slow and flaky servers sort last (doubling, capped). */
  public static final long TIMEOUT_PENALTY_MILLIS = 1_000;

  /** equals and hashCode written out, as {@link RRsetKey}'s: they run on every server choice. */
  private record LameKey(Name zone, InetAddress address) {
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof LameKey k && address.equals(k.address) && zone.equals(k.zone);
    }

    @Override
    public int hashCode() {
      return zone.hashCode() * 31 + address.hashCode();
    }
  }

  /**
   * A server's state, its RTT moved in place by replies: a cold resolution brings one reply, and
   * a cache write per reply (a compute and a maintenance pass in Caffeine) was the infrastructure
   * cache's whole cost in a cold run. As Unbound's infra-host-ttl, the entry's lifetime runs from
   * its last write (first reply, timeout, EDNS fallback), not from each reply: a server is
   * measured afresh every {@link #ENTRY_TTL}.
   */
  private static final class Held {
    final AtomicReference<ServerState> state;

    Held(ServerState state) {
      this.state = new AtomicReference<>(state);
    }

    ServerState get() {
      return state.get();
    }
  }

  private final Cache<InetAddress, Held> servers;
  private final Cache<LameKey, Boolean> lame;
  /**
   * Servers that did not repeat a 0x20 question in the case it was sent in: asked without 0x20
   * until the entry expires, then tried with it again (a server upgraded, or a forger's reply
   * mistaken for the server's, costs no more than {@link #ENTRY_TTL} of plain queries).
   */
  private final Cache<InetAddress, Boolean> caseBlind;
  private final UpstreamCookies cookies;
  private final Ticker ticker;

  public InfraCache(Ticker ticker, long maxEntries) {
    this.ticker = ticker;
    Duration ttl = ENTRY_TTL;
    this.servers = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
        .maximumSize(maxEntries).expireAfterWrite(ttl).build();
    this.lame = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
        .maximumSize(maxEntries).expireAfterWrite(ttl).build();
    this.caseBlind = Caffeine.newBuilder().ticker(ticker).executor(Runnable::run)
        .maximumSize(maxEntries).expireAfterWrite(ttl).build();
    this.cookies = new UpstreamCookies(ticker, maxEntries);
  }

  /** The DNS cookies sent to each server and the server cookies they returned (RFC 7873). */
  public UpstreamCookies cookies() {
    return cookies;
  }

  public ServerState state(InetAddress a) {
    Held h = servers.getIfPresent(a);
    return h == null ? ServerState.UNKNOWN : h.get();
  }

  /** RTT used to order servers: measured, or the unknown value, plus a penalty per timeout. */
  public long selectionRtt(InetAddress a) {
    ServerState s = state(a);
    if (s.timeouts() == 0) {
      return s.srttMillis();
    }
    return Math.min(MAX_BACKOFF_MILLIS, s.srttMillis() + (TIMEOUT_PENALTY_MILLIS << Math.min(s.timeouts() - 1, 7)));
  }

  /** True while a server that kept timing out is backed off. */
  public boolean blocked(InetAddress a) {
    Held h = servers.getIfPresent(a);
    ServerState s = h == null ? null : h.get();
    return s != null && s.blockedUntilNanos() != 0 && ticker.read() - s.blockedUntilNanos() < 0;
  }

  public void recordReply(InetAddress a, long rttMillis) {
    // A reply from a server with no timeouts to clear moves its RTT in place (see Held); only a
    // new server or one coming back from timeouts is written.
    Held known = servers.getIfPresent(a);
    if (known != null) {
      ServerState s = known.get();
      while (s.timeouts() == 0 && s.blockedUntilNanos() == 0) {
        ServerState next = afterReply(s, rttMillis);
        if (next.equals(s) || known.state.compareAndSet(s, next)) {
          return;
        }
        s = known.get();
      }
    }
    servers.asMap().compute(a, (k, old) -> new Held(afterReply(old == null ? null : old.get(), rttMillis)));
  }

  private static ServerState afterReply(ServerState old, long rttMillis) {
    long srtt = old == null || old.timeouts() > 0 && old.srttMillis() == ServerState.UNKNOWN_RTT_MILLIS
        ? rttMillis : (old.srttMillis() * 7 + rttMillis) / 8;
    return new ServerState(srtt, 0, old != null && old.noEdns(), 0);
  }

  public void recordTimeout(InetAddress a) {
    long now = ticker.read();
    servers.asMap().compute(a, (k, old) -> {
      ServerState s = old == null ? ServerState.UNKNOWN : old.get();
      int t = s.timeouts() + 1;
      long blocked = 0;
      if (t >= TIMEOUTS_BEFORE_BACKOFF) {
        long backoff = Math.min(MAX_BACKOFF_MILLIS, TIMEOUT_PENALTY_MILLIS << Math.min(t - TIMEOUTS_BEFORE_BACKOFF, 7));
        blocked = now + backoff * 1_000_000L;
        if (blocked == 0) blocked = 1;
      }
      return new Held(new ServerState(s.srttMillis(), t, s.noEdns(), blocked));
    });
  }

  public void recordNoEdns(InetAddress a) {
    servers.asMap().compute(a, (k, old) -> {
      ServerState s = old == null ? ServerState.UNKNOWN : old.get();
      return new Held(new ServerState(s.srttMillis(), s.timeouts(), true, s.blockedUntilNanos()));
    });
  }

  /** The server answered a 0x20 question in another case only: ask it without 0x20 for a while. */
  public void markCaseBlind(InetAddress a) {
    caseBlind.put(a, Boolean.TRUE);
  }

  /** True while the server is asked without 0x20 (see {@link #markCaseBlind}). */
  public boolean isCaseBlind(InetAddress a) {
    return caseBlind.getIfPresent(a) != null;
  }

  public void markLame(Name zone, InetAddress a) {
    lame.put(new LameKey(zone, a), Boolean.TRUE);
  }

  public boolean isLame(Name zone, InetAddress a) {
    return lame.getIfPresent(new LameKey(zone, a)) != null;
  }

  /**
   * A server's entry as an operator sees it.
   *
   * @param leftNanos time until the entry expires and the server counts as never heard from
   */
  public record ServerEntry(InetAddress address, ServerState state, long leftNanos) {}

  /** A server found lame for a zone, until {@code leftNanos} from now. */
  public record LameEntry(Name zone, InetAddress address, long leftNanos) {}

  /** A server asked without 0x20 for {@code leftNanos} more (see {@link #markCaseBlind}). */
  public record CaseBlindEntry(InetAddress address, long leftNanos) {}

  /** How long an entry lives after its last write. */
  public static final Duration ENTRY_TTL = Duration.ofMinutes(15);

  /** Every server entry held, read without counting as a use (weakly consistent, no lock). */
  public List<ServerEntry> servers() {
    List<ServerEntry> out = new ArrayList<>();
    servers.asMap().forEach((a, held) -> left(servers, a).ifPresent(left -> out.add(new ServerEntry(a, held.get(), left))));
    return out;
  }

  /** Every lameness entry held, read as {@link #servers} is. */
  public List<LameEntry> lameServers() {
    List<LameEntry> out = new ArrayList<>();
    lame.asMap().keySet().forEach(k -> left(lame, k).ifPresent(left -> out.add(new LameEntry(k.zone(), k.address(), left))));
    return out;
  }

  /**
   * Nanoseconds left of an entry, from its age: {@code Policy.CacheEntry.expiresAfter} of Caffeine
   * 3.1.8 adds the age to the lifetime instead of subtracting it. Empty when the entry has gone.
   */
  private static <K> java.util.OptionalLong left(Cache<K, ?> cache, K key) {
    java.util.OptionalLong age = cache.policy().expireAfterWrite().orElseThrow().ageOf(key, TimeUnit.NANOSECONDS);
    return age.isEmpty() ? age : java.util.OptionalLong.of(Math.max(0, ENTRY_TTL.toNanos() - age.getAsLong()));
  }

  /** Every server marked case-blind, read as {@link #servers} is. */
  public List<CaseBlindEntry> caseBlindServers() {
    List<CaseBlindEntry> out = new ArrayList<>();
    caseBlind.asMap().keySet().forEach(a -> left(caseBlind, a).ifPresent(left -> out.add(new CaseBlindEntry(a, left))));
    return out;
  }

  public void invalidateAll() {
    servers.invalidateAll();
    lame.invalidateAll();
    caseBlind.invalidateAll();
    cookies.invalidateAll();
  }
}
