package dev.namu.server.resolved;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.Answer;
import dev.namu.server.auth.WireAnswers;
import dev.namu.server.intake.QuestionKey;
import dev.namu.server.intake.QuestionProbe;
import dev.namu.server.intake.WireHeader;
import dev.namu.zones.registry.ZoneSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Supplier;
import org.xbill.DNS.Rcode;

/**
 * The resolver's replies to hot questions, kept as wire bytes so that a repeated question is
 * answered by copying them, patching the ID, flags and question case, and counting the TTLs down,
 * without decoding the query, the pipeline, the resolver cache or encoding (as Unbound answers from
 * its message cache). Anything this store does not hold, or no longer serves, takes the general
 * path, which fills it again.
 *
 * <p>A copy is keyed as prepared answers are ({@link QuestionKey}: lower-cased name, type, class,
 * EDNS, DO). Everything else that could change the bytes is either patched (ID, RD, CD, case) or
 * kept out: only whole replies are kept (not truncated, nothing left out for size), and a copy is
 * served only when it fits the query's size limit, so the client's buffer size cannot matter.
 *
 * <p>Copies live in a {@link WireAnswers} store of their own, apart from the prepared answers:
 * one generation per {@link ZoneSet} (a question routed to recursion under one zone set may be
 * answered by a zone in the next, so publishing a zone set retires every copy at once), bounded
 * by their share of {@code --cache-size} (see {@code RecursionConfig#replyCopyBytes}). Flushing
 * the resolver cache drops the copies too.
 */
public final class ResolvedAnswers {
  /** Bound on the bytes of the copies when the cache is sized in entries: 32 MiB holds some 100k replies. */
  public static final long DEFAULT_MAX_BYTES = 32L << 20;

  /** Replies whose smallest TTL is below this are not worth keeping (they would expire at once). */
  private static final long MIN_TTL = 2;

  private final WireAnswers store;
  private final Ticker clock;

  /** Copies in a store of their own. */
  public ResolvedAnswers(Supplier<ZoneSet> currentZones, long maxBytes, Ticker clock) {
    this(new WireAnswers(currentZones, maxBytes), clock);
  }

  /** Copies in a store of their own, at most {@code maxBytes} and {@code maxCopies} of them. */
  public ResolvedAnswers(Supplier<ZoneSet> currentZones, long maxBytes, long maxCopies, Ticker clock) {
    this(new WireAnswers(currentZones, maxBytes, maxCopies), clock);
  }

  /**
   * @param store the store of wire answers, shared with the prepared answers
   * @param clock the resolver cache's clock, so that TTLs count down as the resolver's do
   */
  public ResolvedAnswers(WireAnswers store, Ticker clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * The reply for this query, ready to send, or null when none is held for this zone set, it is
   * near expiry, or it is longer than {@code sizeLimit}. The caller has already checked that the
   * client may recurse.
   */
  public ByteBuf serve(
      ZoneSet zones, QuestionProbe probe, byte[] query, int sizeLimit, ByteBufAllocator alloc) {
    if (!(store.find(zones, probe) instanceof ResolvedAnswer a) || a.length() > sizeLimit) {
      return null;
    }
    long now = clock.read();
    return a.servableAt(now) ? a.serve(query, probe.nameLength(), now, alloc) : null;
  }

  /**
   * Keeps a copy of the reply {@code wire} the general path wrote from {@code answer} for a
   * question routed to recursion under {@code zones}, when it is one to keep: NOERROR or
   * NXDOMAIN, whole ({@code whole}: nothing left out for size, no TC), settled (not stale, not due
   * for prefetch, see {@link Answer#settledSeconds()}), without an extended error, smallest TTL
   * at least {@link #MIN_TTL}.
   *
   * @return true when the copy was kept
   */
  public boolean offer(ZoneSet zones, QuestionKey key, Answer answer, byte[] wire, boolean whole) {
    int rcode = answer.rcode();
    if (!whole
        || (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN)
        || (wire[2] & WireHeader.TC) != 0
        || answer.extendedError() != null) {
      return false;
    }
    long smallest = answer.smallestTtl();
    // Copies are served until a tenth of the smallest TTL is left; an answer with a record that
    // ends before the cache's entry does is left to the general path.
    if (smallest < MIN_TTL || answer.settledSeconds() < 0 || smallest < answer.settledSeconds()) {
      return false;
    }
    int[] ttls = TtlFields.find(wire);
    if (ttls == null) {
      return false;
    }
    boolean secure = answer.security() == Answer.Security.SECURE;
    return store.keep(zones, key,
        new ResolvedAnswer(wire, ttls, clock.read(), smallest, secure && key.dnssecOk(), secure && !key.dnssecOk()), true);
  }

  /** Drops every copy (the resolver cache was flushed). */
  public void clear() {
    store.drop(e -> e instanceof ResolvedAnswer);
  }

  /** Number of copies held now (approximate), for tests and the status endpoint. */
  public long size() {
    return store.count(e -> e instanceof ResolvedAnswer);
  }

  /** Bytes charged to the copies held now (approximate). */
  public long bytes() {
    return store.bytes(e -> e instanceof ResolvedAnswer);
  }
}
