package dev.namu.server.intake;

import java.io.IOException;
import java.util.List;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * An error found before a packet became a {@link Request}: its rcode and what of the query the
 * reply echoes. The reply writer writes it like every other reply.
 *
 * @param rcode the rcode, extended ones (BADVERS) included
 * @param question the question to echo, or null for a reply of the header alone
 * @param edns the query's OPT when the reply carries ours (RFC 6891 6.1.1), else null
 * @param limit the largest reply, in bytes
 */
public record EarlyError(int rcode, Record question, EdnsRequest edns, int limit) {

  /** A reply of the header alone: all we trust of the query is its header. */
  public static EarlyError headerOnly(int rcode) {
    return new EarlyError(rcode, null, null, ReplySize.CLASSIC_UDP);
  }

  /** A reply with the question echoed, without OPT. */
  public static EarlyError of(int rcode, Record question) {
    return new EarlyError(rcode, question, null, ReplySize.CLASSIC_UDP);
  }

  /**
   * FORMERR echoing the question when at least that much of the packet parses (what Knot and BIND
   * do), otherwise the header alone.
   */
  public static EarlyError formErr(byte[] packet) {
    return of(Rcode.FORMERR, questionOf(packet));
  }

  /**
   * RFC 6891 6.1.3: a query with an EDNS version we do not implement gets BADVERS (extended rcode
   * 16, whose upper bits travel in our OPT) and an OPT carrying the highest version we support, 0.
   */
  public static EarlyError badVers(Record question, EdnsRequest edns, int limit) {
    return new EarlyError(Rcode.BADVERS, question, edns, limit);
  }

  /**
   * The error for a query the {@link WireGate} rejected on its header (NOTIMP, FORMERR): when the
   * rest of the message parses, its question (if it has exactly one) and an OPT (if it had one
   * valid OPT), since RFC 6891 6.1.1 has responders include an OPT in the reply to a request with
   * one; otherwise the header alone.
   */
  public static EarlyError afterTriage(byte[] packet, int rcode) {
    Message query;
    try {
      query = new Message(packet);
    } catch (IOException | RuntimeException e) {
      return headerOnly(rcode);
    }
    Record question = WireHeader.qdcount(packet) == 1 ? query.getQuestion() : null;
    List<Record> additional = query.getSection(Section.ADDITIONAL);
    OPTRecord opt = null;
    int opts = 0;
    for (Record r : additional) {
      if (r instanceof OPTRecord o) {
        opt = o;
        opts++;
      }
    }
    EdnsRequest edns = null;
    if (opts == 1 && Name.root.equals(opt.getName())) {
      edns = new EdnsRequest(opt.getPayloadSize(), opt.getVersion(),
          (opt.getFlags() & ExtendedFlags.DO) != 0, opt.getOptions());
    }
    // a question and an OPT always fit in the classic 512 bytes
    return new EarlyError(rcode, question, edns, ReplySize.CLASSIC_UDP);
  }

  /** The first question, parsed on its own, or null when even that is malformed. */
  private static Record questionOf(byte[] packet) {
    if (packet.length < WireHeader.LENGTH || WireHeader.qdcount(packet) != 1) {
      return null;
    }
    try {
      DNSInput in = new DNSInput(packet);
      in.jump(WireHeader.LENGTH);
      Name name = new Name(in);
      int type = in.readU16();
      int dclass = in.readU16();
      return Record.newRecord(name, type, dclass);
    } catch (Exception e) {
      // a malformed question is exactly what we are reporting; the header alone will do
      return null;
    }
  }
}
