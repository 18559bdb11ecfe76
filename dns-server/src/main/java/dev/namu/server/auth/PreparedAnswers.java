package dev.namu.server.auth;

import dev.namu.server.intake.QuestionKey;
import dev.namu.server.intake.QuestionProbe;
import dev.namu.server.intake.ScannedQuery;
import dev.namu.server.intake.WireHeader;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.Supplier;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Finished reply wire bytes for answers that depend only on the zone snapshot, built once by the
 * general path and then served by copying and patching the ID, RD/CD and the question name (to
 * keep the client's case; answer owners are compression pointers into it). They are held in the
 * {@link WireAnswers} store, by zone set and bounded in bytes.
 */
public final class PreparedAnswers {
  /** Default bound on the bytes held by a store of prepared answers alone: 32 MiB is plenty. */
  public static final long DEFAULT_MAX_BYTES = 32L << 20;

  /**
   * A prepared reply as held in the store.
   *
   * @param zone the one zone the reply was read from, or null when it may have read others
   */
  private record Prepared(byte[] wire, ZoneSnapshot zone) implements WireAnswers.Entry {
    @Override
    public int cost() {
      return wire.length;
    }

    /** The reply holds in the next zone set when its one zone is served there unchanged. */
    @Override
    public boolean holdsIn(ZoneSet next) {
      return zone != null && next.zone(zone.origin()) == zone;
    }
  }

  private final WireAnswers store;

  /** Prepared answers in a store of their own. */
  public PreparedAnswers(Supplier<ZoneSet> currentZones, long maxBytes) {
    this(new WireAnswers(currentZones, maxBytes));
  }

  /** Prepared answers in {@code store}, shared with the resolver's kept replies. */
  public PreparedAnswers(WireAnswers store) {
    this.store = store;
  }

  /** The prepared reply for this query from this zone set, or null. */
  public byte[] find(ZoneSet zones, QuestionKey key) {
    return store.find(zones, key) instanceof Prepared p ? p.wire() : null;
  }

  /** As {@link #find(ZoneSet, QuestionKey)}, for a query read in place (no allocation). */
  public byte[] find(ZoneSet zones, QuestionProbe probe) {
    return store.find(zones, probe) instanceof Prepared p ? p.wire() : null;
  }

  /**
   * Keeps a finished, untruncated reply that depends only on {@code zones}.
   *
   * @param answer the reply as built, to tell whether it was read from one zone alone
   */
  public void store(ZoneSet zones, QuestionKey key, byte[] reply, Message answer) {
    store.keep(zones, key, new Prepared(reply, soleZone(zones, answer)), false);
  }

  /**
   * The zone an answer was read from when it read no other, else null. A lookup leaves its zone
   * only to follow a CNAME or DNAME chain into another served zone, and for DS, which the parent
   * side answers (RFC 4035 3.1.4.1); everything else (the SOA of a negative answer, glue, the
   * addresses of NS, MX and SRV targets) comes from the zone that holds the name.
   */
  private static ZoneSnapshot soleZone(ZoneSet zones, Message answer) {
    Record question = answer.getQuestion();
    if (question == null || question.getType() == Type.DS) {
      return null;
    }
    for (Record r : answer.getSection(Section.ANSWER)) {
      if (r.getType() == Type.CNAME || r.getType() == Type.DNAME) {
        return null;
      }
    }
    return zones.findZone(question.getName());
  }

  /** Number of replies held now (approximate), for tests and metrics. */
  public long size() {
    return store.count(e -> e instanceof Prepared);
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
