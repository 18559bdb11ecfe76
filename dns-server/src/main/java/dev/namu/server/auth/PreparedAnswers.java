package dev.namu.server.auth;

import dev.namu.server.intake.QuestionKey;
import dev.namu.server.intake.QuestionProbe;
import dev.namu.server.intake.ScannedQuery;
import dev.namu.server.intake.WireHeader;
import dev.namu.zones.registry.ZoneSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Finished reply wire bytes for answers that depend only on the zone snapshot, built once by the
 * general path and then served by copying and patching the ID, RD/CD and the question name (to
 * keep the client's case; answer owners are compression pointers into it).
 *
 * <p>One generation of answers belongs to one {@link ZoneSet}: publishing a new zone set retires
 * the whole generation at once, so a prepared answer can never outlive the data it came from.
 *
 * <p>A generation is a plain {@link ConcurrentHashMap} bounded by total bytes: a read is one hash
 * lookup with no bookkeeping (an LRU's access reordering cost more than the lookup itself, measured
 * with JFR under dnsperf). When a store would pass the bound, the generation starts over empty:
 * popular answers come back at once, and a flood of one-off names (random subdomains) can never
 * grow memory past the bound nor pin stale entries forever.
 */
public final class PreparedAnswers {
  /** Default bound on the bytes held by one generation: replies are small, 32 MiB is plenty. */
  public static final long DEFAULT_MAX_BYTES = 32L << 20;

  /** Rough per-entry cost of the key and the map node, so many tiny replies still count. */
  private static final int ENTRY_OVERHEAD = 96;

  private record Generation(ZoneSet zones, ConcurrentHashMap<QuestionKey, byte[]> replies, AtomicLong bytes) {
    Generation(ZoneSet zones) {
      this(zones, new ConcurrentHashMap<>(), new AtomicLong());
    }
  }

  private final Supplier<ZoneSet> currentZones;
  private final long maxBytes;
  private final AtomicReference<Generation> generation;

  /**
   * @param currentZones the zone set now published: only answers from it are stored, so a request
   *     that read an older set never replaces the newer generation
   */
  public PreparedAnswers(Supplier<ZoneSet> currentZones, long maxBytes) {
    this.currentZones = currentZones;
    this.maxBytes = maxBytes;
    this.generation = new AtomicReference<>(new Generation(null));
  }

  /** The prepared reply for this query from this zone set, or null. */
  public byte[] find(ZoneSet zones, QuestionKey key) {
    Generation g = generation.get();
    return g.zones() == zones ? g.replies().get(key) : null;
  }

  /** As {@link #find(ZoneSet, QuestionKey)}, for a query read in place (no allocation). */
  public byte[] find(ZoneSet zones, QuestionProbe probe) {
    Generation g = generation.get();
    return g.zones() == zones ? g.replies().get(probe) : null;
  }

  /** Keeps a finished, untruncated reply that depends only on {@code zones}. */
  public void store(ZoneSet zones, QuestionKey key, byte[] reply) {
    Generation g = generation.get();
    if (g.zones() != zones) {
      if (zones != currentZones.get()) {
        return;
      }
      Generation fresh = new Generation(zones);
      g = generation.compareAndExchange(g, fresh) == g ? fresh : generation.get();
      if (g.zones() != zones) {
        return;
      }
    }
    long cost = reply.length + key.nameLength() + ENTRY_OVERHEAD;
    if (g.bytes().addAndGet(cost) > maxBytes) {
      // full: start this zone set's answers over rather than track recency on every read
      generation.compareAndSet(g, new Generation(zones));
      return;
    }
    if (g.replies().putIfAbsent(key, reply) != null) {
      g.bytes().addAndGet(-cost);
    }
  }

  /** Number of replies held now (approximate), for tests and metrics. */
  public long size() {
    return generation.get().replies().size();
  }

  /**
   * A copy of a prepared reply made ready for one query: its ID, its RD and CD bits and its
   * question name bytes (same length, maybe another case) are written over the stored ones.
   */
  public static ByteBuf serve(byte[] prepared, byte[] query, QuestionKey key, ByteBufAllocator alloc) {
    return serve(prepared, query, key.nameLength(), alloc);
  }

  /** As above, for a question name of {@code nameLength} bytes. */
  public static ByteBuf serve(byte[] prepared, byte[] query, int nameLength, ByteBufAllocator alloc) {
    ByteBuf out = alloc.buffer(prepared.length);
    out.writeBytes(prepared);
    out.setByte(0, query[0]);
    out.setByte(1, query[1]);
    out.setByte(2, (prepared[2] & ~WireHeader.RD) | (query[2] & WireHeader.RD));
    out.setByte(3, (prepared[3] & ~WireHeader.CD) | (query[3] & WireHeader.CD));
    out.setBytes(ScannedQuery.NAME_OFFSET, query, ScannedQuery.NAME_OFFSET, nameLength);
    return out;
  }

}
