package dev.namu.resolver;

import dev.namu.resolver.cache.AnswerKind;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import java.util.List;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Builds the client's reply from a cached answer or a failure. */
final class ReplyBuilder {
  /** RFC 8767 section 4: stale answers carry a TTL of 30 seconds. */
  static final long STALE_TTL = 30;
  /** RFC 6891 section 6.1.3: the DO bit of the OPT TTL field. */
  private static final int DO_FLAG = 0x8000;

  private final int ednsSize;
  private final boolean minimal;

  ReplyBuilder(int ednsSize, boolean minimal) {
    this.ednsSize = ednsSize;
    this.minimal = minimal;
  }

  private Message header(Message query, int rcode) {
    Message m = new Message(query.getHeader().getID());
    Header h = m.getHeader();
    h.setFlag(Flags.QR);
    h.setFlag(Flags.RA);
    Header qh = query.getHeader();
    if (qh.getFlag(Flags.RD)) h.setFlag(Flags.RD);
    if (qh.getFlag(Flags.CD)) h.setFlag(Flags.CD);
    h.setOpcode(Opcode.QUERY);
    h.setRcode(rcode);
    Record q = query.getQuestion();
    if (q != null) m.addRecord(q, Section.QUESTION);
    return m;
  }

  /** The reply for {@code query} from {@code a}, with TTLs remaining at {@code nowNanos}. */
  Message answer(Message query, CachedAnswer a, long nowNanos, boolean stale) {
    Message m = header(query, a.rcode());
    add(m, a.answer(), Section.ANSWER, nowNanos, stale);
    if (!minimal || a.kind() != AnswerKind.POSITIVE) {
      add(m, a.authority(), Section.AUTHORITY, nowNanos, stale);
    }
    if (!minimal || !a.additional().isEmpty()) {
      // An RRset already in the answer is not repeated as additional data.
      List<CachedRRset> extra = a.additional();
      if (!extra.isEmpty() && !a.answer().isEmpty()) {
        extra = new java.util.ArrayList<>(extra);
        extra.removeIf(x -> a.answer().stream().anyMatch(y -> y.type() == x.type() && y.name().equals(x.name())));
      }
      add(m, extra, Section.ADDITIONAL, nowNanos, stale);
    }
    addOpt(m, query, stale ? ExtendedErrorCodeOption.STALE_ANSWER : -1,
        stale ? "served stale: upstream unreachable (RFC 8767)" : null);
    return m;
  }

  private static void add(Message m, List<CachedRRset> rrsets, int section, long now, boolean stale) {
    for (int i = 0; i < rrsets.size(); i++) {
      CachedRRset r = rrsets.get(i);
      if (i > 0 && repeated(rrsets, i)) {
        continue; // a DNAME used twice along a chain is listed once
      }
      List<Record> recs = stale ? r.recordsWithTtl(Math.min(STALE_TTL, Math.max(r.ttlSeconds(), 1)))
          : r.recordsAt(now);
      for (Record rec : recs) m.addRecord(rec, section);
    }
  }

  private static boolean repeated(List<CachedRRset> rrsets, int i) {
    CachedRRset r = rrsets.get(i);
    for (int j = 0; j < i; j++) {
      CachedRRset o = rrsets.get(j);
      if (o.type() == r.type() && o.name().equals(r.name())) return true;
    }
    return false;
  }

  Message servfail(Message query, int edeCode, String text) {
    Message m = header(query, Rcode.SERVFAIL);
    addOpt(m, query, edeCode, text);
    return m;
  }

  Message error(Message query, int rcode) {
    Message m = header(query, rcode);
    m.getHeader().unsetFlag(Flags.RA);
    addOpt(m, query, -1, null);
    return m;
  }

  /** Answers EDNS with EDNS (RFC 6891 section 7), echoing DO; RFC 8914 error if any. */
  private void addOpt(Message m, Message query, int edeCode, String text) {
    OPTRecord qopt = query.getOPT();
    if (qopt == null) return;
    int flags = (qopt.getFlags() & DO_FLAG);
    OPTRecord opt = edeCode >= 0
        ? new OPTRecord(ednsSize, 0, 0, flags, List.of(new ExtendedErrorCodeOption(edeCode, text)))
        : new OPTRecord(ednsSize, 0, 0, flags);
    m.addRecord(opt, Section.ADDITIONAL);
  }
}
