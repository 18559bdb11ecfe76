package dev.namu.resolver.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Decodes an upstream reply. A record whose RDATA does not parse as its type (an A record of
 * three bytes, an SVCB whose parameters overrun it) is dropped and the rest of the reply kept,
 * as Unbound's scrubber does: RDLENGTH says where the next record starts, so one bad record does
 * not make the others unreadable. A reply whose framing is broken (a count beyond the end, a
 * name that does not end, a bad question) still fails as a whole.
 */
public final class ReplyDecoder {
  /** Stands in for a record under test's predecessors: private use (RFC 6895 section 3.1). */
  private static final int OPAQUE_TYPE = 65280;
  private static final int HEADER = 12;

  private ReplyDecoder() {}

  /**
   * The reply, without the records whose RDATA is malformed; fails when its framing is broken.
   * dnsjava refuses some records with a RuntimeException rather than an IOException (a TTL past
   * 2^31-1 on a record of class ANY throws InvalidTTLException): those are malformed records too,
   * and must never escape to the receiver that every upstream query shares.
   */
  public static Message decode(byte[] received) throws IOException {
    byte[] wire = zeroTopBitTtls(received);
    try {
      return new Message(wire);
    } catch (IOException | RuntimeException strict) {
      Message lenient = dropMalformedRecords(wire);
      if (lenient == null) {
        throw strict instanceof IOException io ? io : new IOException("malformed reply: " + strict, strict);
      }
      return lenient;
    }
  }

  /**
   * RFC 2181 8: "Implementations should treat a TTL value received which has the most
   * significant bit set as if the entire value received was zero." Done on the wire, before
   * dnsjava reads it: dnsjava keeps such a TTL but builds no record with it (a CNAME made from a
   * DNAME takes the DNAME's TTL), and refuses it outright on a record of class ANY. OPT is left
   * alone: its TTL field holds the extended RCODE and flags (RFC 6891 6.1.3).
   */
  private static byte[] zeroTopBitTtls(byte[] wire) {
    List<Rr> rrs = frame(wire);
    if (rrs == null) return wire; // broken framing: it fails as a whole below
    byte[] out = wire;
    for (Rr rr : rrs) {
      int ttlAt = rr.typeAt() + 4;
      if ((wire[ttlAt] & 0x80) != 0 && u16(wire, rr.typeAt()) != Type.OPT) {
        if (out == wire) out = wire.clone();
        put16(out, ttlAt, 0);
        put16(out, ttlAt + 2, 0);
      }
    }
    return out;
  }

  /** One resource record's place in the wire. */
  private record Rr(int section, int start, int typeAt, int end) {}

  /**
   * Each record is parsed in the context of the whole message (compression pointers point back
   * into it, RFC 1035 section 4.1.4), without parsing the records before it again: the first
   * record's fixed fields are rewritten into an opaque record whose RDATA spans every record
   * before the one under test. Its owner name stays in place, and no pointer may point into
   * the fixed fields, so every name a later record points at is still there.
   */
  private static Message dropMalformedRecords(byte[] wire) {
    List<Rr> rrs = frame(wire);
    if (rrs == null) return null;
    int questionEnd = rrs.isEmpty() ? wire.length : rrs.get(0).start();
    byte[] work = wire.clone();
    Message result = null;
    for (int i = 0; i < rrs.size() || result == null; i++) {
      Rr rr = i < rrs.size() ? rrs.get(i) : null;
      int[] counts = new int[4];
      counts[Section.QUESTION] = u16(wire, 4);
      int end = questionEnd;
      if (rr != null) {
        Rr first = rrs.get(0);
        if (i > 0) {
          put16(work, first.typeAt(), OPAQUE_TYPE);
          put16(work, first.typeAt() + 8, rr.start() - (first.typeAt() + 10));
          counts[first.section()]++;
        }
        counts[rr.section()]++;
        end = rr.end();
      }
      for (int s = 0; s < 4; s++) put16(work, 4 + 2 * s, counts[s]);
      Message m;
      try {
        m = new Message(ByteBuffer.wrap(work, 0, end));
      } catch (IOException | RuntimeException e) {
        if (rr == null) return null; // the question itself does not parse
        continue; // this record's RDATA is malformed: leave it out
      }
      if (result == null) {
        result = new Message();
        result.setHeader(copyFlags(m.getHeader()));
        for (Record q : m.getSection(Section.QUESTION)) result.addRecord(q, Section.QUESTION);
      }
      if (rr != null) {
        List<Record> section = m.getSection(rr.section());
        result.addRecord(section.get(section.size() - 1), rr.section());
      }
    }
    return result;
  }

  /** The header's ID, flags, opcode and rcode, with no counts (adding records counts them). */
  private static Header copyFlags(Header h) {
    Header out = new Header(h.getID());
    for (int flag : new int[] {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
      if (h.getFlag(flag)) out.setFlag(flag);
    }
    out.setOpcode(h.getOpcode());
    out.setRcode(h.getRcode());
    return out;
  }

  /** Every record's place, or null when the framing is broken. */
  private static List<Rr> frame(byte[] wire) {
    if (wire.length < HEADER) return null;
    int at = HEADER;
    for (int q = u16(wire, 4); q > 0; q--) {
      at = skipName(wire, at);
      if (at < 0 || at + 4 > wire.length) return null;
      at += 4;
    }
    List<Rr> rrs = new ArrayList<>();
    int[] sections = {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL};
    for (int s = 0; s < 3; s++) {
      for (int n = u16(wire, 6 + 2 * s); n > 0; n--) {
        int start = at;
        at = skipName(wire, at);
        if (at < 0 || at + 10 > wire.length) return null;
        int end = at + 10 + u16(wire, at + 8);
        if (end > wire.length) return null;
        rrs.add(new Rr(sections[s], start, at, end));
        at = end;
      }
    }
    return rrs;
  }

  /** The offset after the name at {@code at} (a pointer ends it), or -1 when it runs off. */
  private static int skipName(byte[] wire, int at) {
    while (at < wire.length) {
      int len = wire[at] & 0xff;
      if (len == 0) return at + 1;
      if ((len & 0xc0) == 0xc0) return at + 2 <= wire.length ? at + 2 : -1;
      if ((len & 0xc0) != 0) return -1; // extended label types (RFC 6891 section 5): not in use
      at += 1 + len;
    }
    return -1;
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  private static void put16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }
}
