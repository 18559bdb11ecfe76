package dev.namu.server.pipeline;

import dev.namu.server.intake.Transport;
import dev.namu.server.intake.WireGate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * One count per reply sent, by opcode, rcode, transport and source, and the packets that got no
 * reply. Cheap to bump from every event loop at once: a reply is one {@link LongAdder} increment in
 * a slot found by arithmetic (no map, no boxing), so the prepared fast path pays what it paid
 * before. A slot's adder is made the first time a reply of its kind is counted.
 *
 * <p>Replies to queries are also counted by source and question type, in an array of their own:
 * crossed with transport, opcode and rcode the types would make some 133,000 slots (and as many
 * series for a scrape to walk), where source by type is 5 x {@value #QTYPE_SLOTS}. The type's slot
 * is one read of a small table.
 */
public final class ReplyCounters {

  /** Where a reply came from. */
  public enum Source {
    /** A prepared wire answer, copied and patched. */
    PREPARED,
    /** The zones, through the general path (answers, referrals, and REFUSED for names not ours). */
    ZONE,
    /** A kept copy of a resolver's reply. */
    CACHE,
    /** The resolver, now or later. */
    RESOLVER,
    /** The server's own verdict: header triage, decoding, TSIG, UPDATE, internal failures. */
    SERVER
  }

  private static final int OPCODES = 16;
  /**
   * Header rcodes with OPT's extended bits: 0 to 23 are assigned to messages (RFC 6895 2.3; 16 is
   * BADVERS); the TSIG-only ones above travel in the TSIG record, not the header.
   */
  private static final int RCODES = 32;

  private static final int TRANSPORTS = Transport.values().length;
  private static final Source[] SOURCES = Source.values();
  private static final Transport[] TRANSPORT_VALUES = Transport.values();
  private static final WireGate.DropReason[] DROP_REASONS = WireGate.DropReason.values();

  /**
   * The question types counted by name: what clients, resolvers and secondaries ask most; every
   * other type is "other". Names as dnsjava's {@link Type#string}.
   */
  private static final int[] NAMED_QTYPES = {
    Type.A, Type.AAAA, Type.CNAME, Type.MX, Type.NS, Type.PTR, Type.SOA, Type.SRV, Type.TXT,
    Type.CAA, Type.HTTPS, Type.SVCB, Type.NAPTR, Type.DS, Type.DNSKEY, Type.RRSIG, Type.NSEC,
    Type.NSEC3PARAM, Type.TLSA, Type.SSHFP, Type.CDS, Type.CDNSKEY, Type.ANY, Type.AXFR, Type.IXFR
  };
  private static final int QTYPE_SLOTS = NAMED_QTYPES.length + 1;
  private static final int OTHER_QTYPE = NAMED_QTYPES.length;
  /** Slot of each type below its length (every named type is below 258); "other" for the rest. */
  private static final byte[] QTYPE_SLOT = qtypeSlots();
  private static final List<String> QTYPE_NAMES = Stream.concat(
      Arrays.stream(NAMED_QTYPES).mapToObj(Type::string), Stream.of("other")).toList();

  private static byte[] qtypeSlots() {
    byte[] slots = new byte[Type.CAA + 1];
    Arrays.fill(slots, (byte) OTHER_QTYPE);
    for (int i = 0; i < NAMED_QTYPES.length; i++) {
      slots[NAMED_QTYPES[i]] = (byte) i;
    }
    return slots;
  }

  private final AtomicReferenceArray<LongAdder> replies =
      new AtomicReferenceArray<>(SOURCES.length * TRANSPORTS * OPCODES * RCODES);
  private final AtomicReferenceArray<LongAdder> byQtype =
      new AtomicReferenceArray<>(SOURCES.length * QTYPE_SLOTS);
  private final LongAdder received = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder[] drops = adders(DROP_REASONS.length);
  private final LongAdder internalErrors = new LongAdder();
  /** UDP replies response rate limiting dropped, and sent truncated instead (after their count above). */
  private final LongAdder limitedDropped = new LongAdder();
  private final LongAdder limitedSlipped = new LongAdder();
  /** The query log's lost entries, or null when there is no query log. */
  private final LongSupplier queryLogDropped;

  /** Counters of a server without a query log. */
  public ReplyCounters() {
    this(null);
  }

  /** @param queryLogDropped the query log's count of entries it lost (its queue full), shown with these */
  public ReplyCounters(LongSupplier queryLogDropped) {
    this.queryLogDropped = queryLogDropped;
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  void countReceived() {
    received.increment();
  }

  void countDropped(WireGate.DropReason reason) {
    drops[reason.ordinal()].increment();
  }

  void countInternalError() {
    internalErrors.increment();
  }

  /** One reply rate limiting dropped ({@code slipped} false) or replaced with a truncated one. */
  void countLimited(boolean slipped) {
    (slipped ? limitedSlipped : limitedDropped).increment();
  }

  /** Replies rate limiting dropped (they were written and counted as replies first). */
  public long limitedDroppedCount() {
    return limitedDropped.sum();
  }

  /** Replies rate limiting sent truncated instead (TC set, no records). */
  public long limitedSlippedCount() {
    return limitedSlipped.sum();
  }

  /** A packet the header triage or the decoder found malformed, answered FORMERR. */
  void countMalformed() {
    malformed.increment();
  }

  /**
   * Counts one reply sent (rcode as the client reads it: header bits and OPT's upper bits).
   *
   * @param qtype the question's type, or -1 when the reply has no question; counted by type for
   *     QUERY alone (an UPDATE's first section names a zone, RFC 2136 2.3)
   */
  void countReply(int opcode, int rcode, int qtype, Transport transport, Source source) {
    increment(replies,
        slot(source.ordinal(), transport.ordinal(), opcode & (OPCODES - 1), Math.min(rcode, RCODES - 1)));
    if (opcode == Opcode.QUERY && qtype >= 0) {
      increment(byQtype, source.ordinal() * QTYPE_SLOTS + qtypeSlot(qtype));
    }
  }

  private static int qtypeSlot(int qtype) {
    return qtype < QTYPE_SLOT.length ? QTYPE_SLOT[qtype] : OTHER_QTYPE;
  }

  private static void increment(AtomicReferenceArray<LongAdder> adders, int slot) {
    LongAdder adder = adders.get(slot);
    if (adder == null) {
      adders.compareAndSet(slot, null, new LongAdder());
      adder = adders.get(slot);
    }
    adder.increment();
  }

  private static int slot(int source, int transport, int opcode, int rcode) {
    return ((source * TRANSPORTS + transport) * OPCODES + opcode) * RCODES + rcode;
  }

  /** Packets that reached the pipeline. */
  public long receivedCount() {
    return received.sum();
  }

  /** Packets that got no reply (runts, responses). */
  public long droppedCount() {
    long n = 0;
    for (LongAdder d : drops) {
      n += d.sum();
    }
    return n;
  }

  /** Packets dropped for this reason. */
  public long droppedCount(WireGate.DropReason reason) {
    return drops[reason.ordinal()].sum();
  }

  /** Replies of one kind: from this source, over this transport, with this opcode and rcode. */
  public long replyCount(Source source, Transport transport, int opcode, int rcode) {
    return sum(source.ordinal(), transport.ordinal(), opcode, rcode);
  }

  /** One kind of reply: where it came from, how it went, its opcode and rcode. */
  public interface ReplyKind {
    void visit(Source source, Transport transport, int opcode, int rcode);
  }

  /** Visits each kind of reply counted at least once so far; off the hot path (a scrape). */
  public void forEachKindSeen(ReplyKind visitor) {
    for (int s = 0; s < SOURCES.length; s++) {
      for (int t = 0; t < TRANSPORTS; t++) {
        for (int o = 0; o < OPCODES; o++) {
          for (int r = 0; r < RCODES; r++) {
            if (replies.get(slot(s, t, o, r)) != null) {
              visitor.visit(SOURCES[s], TRANSPORT_VALUES[t], o, r);
            }
          }
        }
      }
    }
  }

  /** Replies to queries of one question type (its name, as dnsjava writes it, or "other") from one source. */
  public long qtypeCount(Source source, String qtype) {
    int q = QTYPE_NAMES.indexOf(qtype);
    LongAdder a = q < 0 ? null : byQtype.get(source.ordinal() * QTYPE_SLOTS + q);
    return a == null ? 0 : a.sum();
  }

  /** Visits each source and question type with a reply counted so far; off the hot path. */
  public void forEachQtypeSeen(BiConsumer<Source, String> visitor) {
    for (int s = 0; s < SOURCES.length; s++) {
      for (int q = 0; q < QTYPE_SLOTS; q++) {
        if (byQtype.get(s * QTYPE_SLOTS + q) != null) {
          visitor.accept(SOURCES[s], QTYPE_NAMES.get(q));
        }
      }
    }
  }

  /** Packets answered FORMERR by the header triage or the decoder. */
  public long malformedCount() {
    return malformed.sum();
  }

  /** Replies sent. */
  public long replyCount() {
    return sum(-1, -1, -1, -1);
  }

  /** Replies with this opcode and rcode. */
  public long replyCount(int opcode, int rcode) {
    return sum(-1, -1, opcode, rcode);
  }

  /** Replies with this rcode. */
  public long rcodeCount(int rcode) {
    return sum(-1, -1, -1, rcode);
  }

  /** Replies with this opcode. */
  public long opcodeCount(int opcode) {
    return sum(-1, -1, opcode, -1);
  }

  /** Replies over this transport. */
  public long transportCount(Transport transport) {
    return sum(-1, transport.ordinal(), -1, -1);
  }

  /** Replies from this source. */
  public long sourceCount(Source source) {
    return sum(source.ordinal(), -1, -1, -1);
  }

  /** Replies copied from prepared answers. */
  public long preparedHits() {
    return sourceCount(Source.PREPARED);
  }

  /** Replies copied from a kept resolver's reply. */
  public long resolvedHits() {
    return sourceCount(Source.CACHE);
  }

  /** Unexpected exceptions turned into SERVFAIL: each one is a bug to fix. */
  public long internalErrorCount() {
    return internalErrors.sum();
  }

  /**
   * The counts as names and numbers, for the admin API's status: replies by rcode, opcode,
   * transport and source (kinds never seen left out), drops by reason, internal errors, and the
   * query log's lost entries when it is on.
   */
  public Map<String, Object> snapshot() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("received", receivedCount());
    out.put("replies", replyCount());
    Map<String, Long> rcodes = new LinkedHashMap<>();
    for (int r = 0; r < RCODES; r++) {
      put(rcodes, Rcode.string(r), rcodeCount(r));
    }
    out.put("rcode", rcodes);
    Map<String, Long> opcodes = new LinkedHashMap<>();
    for (int o = 0; o < OPCODES; o++) {
      put(opcodes, Opcode.string(o), opcodeCount(o));
    }
    out.put("opcode", opcodes);
    Map<String, Long> transports = new LinkedHashMap<>();
    for (Transport t : TRANSPORT_VALUES) {
      put(transports, lower(t.name()), transportCount(t));
    }
    out.put("transport", transports);
    Map<String, Long> sources = new LinkedHashMap<>();
    for (Source s : SOURCES) {
      put(sources, lower(s.name()), sourceCount(s));
    }
    out.put("source", sources);
    Map<String, Long> dropped = new LinkedHashMap<>();
    for (WireGate.DropReason d : DROP_REASONS) {
      put(dropped, lower(d.name()), drops[d.ordinal()].sum());
    }
    out.put("dropped", dropped);
    out.put("malformed", malformedCount());
    out.put("internalErrors", internalErrorCount());
    if (limitedDroppedCount() + limitedSlippedCount() > 0) {
      out.put("rateLimited", Map.of("dropped", limitedDroppedCount(), "slipped", limitedSlippedCount()));
    }
    if (queryLogDropped != null) {
      out.put("queryLogDropped", queryLogDropped.getAsLong());
    }
    return out;
  }

  private static void put(Map<String, Long> m, String name, long n) {
    if (n != 0) {
      m.put(name, n);
    }
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** Sums the slots that match; -1 matches every value of that dimension. */
  private long sum(int source, int transport, int opcode, int rcode) {
    long n = 0;
    for (int s = 0; s < SOURCES.length; s++) {
      if (source >= 0 && s != source) {
        continue;
      }
      for (int t = 0; t < TRANSPORTS; t++) {
        if (transport >= 0 && t != transport) {
          continue;
        }
        for (int o = 0; o < OPCODES; o++) {
          if (opcode >= 0 && o != opcode) {
            continue;
          }
          for (int r = 0; r < RCODES; r++) {
            if (rcode >= 0 && r != rcode) {
              continue;
            }
            LongAdder a = replies.get(slot(s, t, o, r));
            if (a != null) {
              n += a.sum();
            }
          }
        }
      }
    }
    return n;
  }
}
