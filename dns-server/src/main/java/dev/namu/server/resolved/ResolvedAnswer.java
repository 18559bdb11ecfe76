package dev.namu.server.resolved;

import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.auth.WireAnswers;
import dev.namu.server.intake.WireHeader;
import dev.namu.zones.registry.ZoneSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One recursive reply as it left the general path: its wire bytes, where its TTL fields are, when
 * it was kept, and until when it may be served.
 *
 * <p>TTLs count down (RFC 1035 4.1.3 and 3.2.1: the time the record may be cached; RFC 2181 8), so
 * each copy served has every TTL reduced by the whole seconds since the reply was kept, rounded up:
 * a copy never claims more time than the resolver's cache has left, and on whole-second steps it
 * says exactly what the resolver would (which rounds the time left down).
 */
final class ResolvedAnswer implements WireAnswers.Entry {
  private static final long SECOND = 1_000_000_000L;

  private final byte[] wire;
  private final int[] ttlOffsets;
  private final long keptAtNanos;
  private final long lastServedAtNanos;
  /** AD on every copy: a secure answer for queries with DO. */
  private final boolean alwaysAuthenticated;
  /** AD on the copies to queries with AD: a secure answer for queries without DO (RFC 6840 5.7). */
  private final boolean authenticatedOnAsking;

  /**
   * @param smallestTtl the smallest TTL in the reply, at least 2: the copy is served while that
   *     TTL, counted down, stays above a tenth of itself. Then the query takes the general path,
   *     where the resolver prefetches entries with less than a tenth of their TTL left (as Unbound
   *     does) and serves stale ones when upstreams fail; its fresh reply then replaces this one.
   */
  ResolvedAnswer(byte[] wire, int[] ttlOffsets, long keptAtNanos, long smallestTtl,
      boolean alwaysAuthenticated, boolean authenticatedOnAsking) {
    this.alwaysAuthenticated = alwaysAuthenticated;
    this.authenticatedOnAsking = authenticatedOnAsking;
    this.wire = wire;
    this.ttlOffsets = ttlOffsets;
    this.keptAtNanos = keptAtNanos;
    long servedSeconds = smallestTtl - smallestTtl / 10 - 1;
    this.lastServedAtNanos = keptAtNanos + servedSeconds * SECOND;
  }

  int length() {
    return wire.length;
  }

  /** Bytes held, roughly: the reply, the offsets and the object headers. */
  @Override
  public int cost() {
    return wire.length + 4 * ttlOffsets.length + 64;
  }

  /** A resolver's reply reads no zone: it holds while the zones served stay the same ones. */
  @Override
  public boolean holdsIn(ZoneSet next) {
    return true;
  }

  /** True while the copy may be served at {@code nowNanos}. */
  boolean servableAt(long nowNanos) {
    return nowNanos - lastServedAtNanos <= 0;
  }

  /**
   * The copy for one query: ID, RD, CD and the question's case from the query (as prepared
   * answers are patched), AD as the query asks for it (RFC 6840 5.7), then every TTL counted down
   * to {@code nowNanos}.
   */
  ByteBuf serve(byte[] query, int nameLength, long nowNanos, ByteBufAllocator alloc) {
    ByteBuf out = PreparedAnswers.serve(wire, query, nameLength, alloc);
    boolean ad = alwaysAuthenticated || (authenticatedOnAsking && (query[3] & WireHeader.AD) != 0);
    int flags = out.writerIndex() - wire.length + 3;
    out.setByte(flags, ad ? (out.getByte(flags) | WireHeader.AD) : (out.getByte(flags) & ~WireHeader.AD));
    long elapsed = nowNanos - keptAtNanos;
    if (elapsed > 0) {
      long seconds = (elapsed + SECOND - 1) / SECOND;
      int start = out.writerIndex() - wire.length;
      for (int off : ttlOffsets) {
        out.setInt(start + off, (int) (TtlFields.u32(wire, off) - seconds));
      }
    }
    return out;
  }
}
