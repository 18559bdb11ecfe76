package dev.namu.server.transfer;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The messages of one zone transfer, each made only when the transport asks for it, from a lazy
 * sequence of records: nothing but the current message is held, so a transfer of a big zone costs
 * one message of memory, not a copy of the zone (the records come from the immutable snapshot).
 *
 * <p>RFC 5936 2.2: each message has the query's ID, AA set, the question in the first (2.2.1: it
 * MAY be left out of later ones, as Knot and NSD do); records go in the answer section, as many as
 * fit in {@link #TARGET_BYTES}, a size every secondary reads (Knot and NSD fill about 16 KiB too).
 */
public final class TransferMessages implements Iterator<Message> {
  /** Bytes of records per message, before compression (which only makes it smaller). */
  static final int TARGET_BYTES = 16 * 1024;

  private final Message query;
  private final Iterator<Record> records;
  private Record pending;
  private boolean first = true;

  public TransferMessages(Message query, Iterator<Record> records) {
    this.query = query;
    this.records = records;
  }

  @Override
  public boolean hasNext() {
    return first || pending != null || records.hasNext();
  }

  @Override
  public Message next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    if (first) {
      m.addRecord(query.getQuestion(), Section.QUESTION);
      first = false;
    }
    int bytes = 0;
    while (pending != null || records.hasNext()) {
      Record r = pending != null ? pending : records.next();
      pending = null;
      int size = wireEstimate(r);
      if (bytes > 0 && bytes + size > TARGET_BYTES) {
        pending = r;
        break;
      }
      m.addRecord(r, Section.ANSWER);
      bytes += size;
    }
    return m;
  }

  /** The record's size on the wire without compression: an upper bound of what it takes. */
  static int wireEstimate(Record r) {
    int head = r.getName().length() + 10;
    return head + switch (r.getType()) {
      case Type.A -> 4;
      case Type.AAAA -> 16;
      default -> r.rdataToWireCanonical().length;
    };
  }
}
