package dev.namu.resolver.validate;

import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** A cached answer as the message the validator reads: every record with its signatures. */
final class AnswerMessage {
  private AnswerMessage() {}

  static Message of(Record question, CachedAnswer a) {
    Message m = new Message();
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RA);
    m.getHeader().setRcode(a.rcode());
    m.addRecord(question, Section.QUESTION);
    add(m, a.answer(), Section.ANSWER);
    add(m, a.authority(), Section.AUTHORITY);
    return m;
  }

  static Message failure(Record question, int rcode) {
    Message m = new Message();
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setRcode(rcode);
    m.addRecord(question, Section.QUESTION);
    return m;
  }

  private static void add(Message m, List<CachedRRset> sets, int section) {
    for (CachedRRset c : sets) {
      RRset r = c.rrset();
      for (Record rec : r.rrs(false)) m.addRecord(rec, section);
      for (Record sig : r.sigs()) m.addRecord(sig, section);
    }
  }
}
