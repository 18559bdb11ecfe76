package dev.namu.server.intake;

import java.io.IOException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/** Error replies for queries that never became a {@link Request}. */
public final class ErrorReplies {
  private ErrorReplies() {}

  /**
   * FORMERR with the query's ID, echoing the question when at least that much of the packet
   * parses (what Knot and BIND do), otherwise a header alone.
   */
  public static byte[] formErr(byte[] packet) {
    return reply(packet, questionOf(packet), Rcode.FORMERR);
  }

  /**
   * The reply to a query the {@link WireGate} rejected on its header (NOTIMP, FORMERR): when the
   * rest of the message parses, its question (if it has exactly one) and an OPT (if it had one
   * valid OPT) are added, since RFC 6891 6.1.1 has responders include an OPT in the reply to a
   * request with one; otherwise the gate's header-only reply is sent as it is.
   */
  public static byte[] afterTriage(byte[] packet, int rcode, byte[] headerOnly) {
    Message query;
    try {
      query = new Message(packet);
    } catch (IOException | RuntimeException e) {
      return headerOnly;
    }
    Message reply = replyHeader(packet, rcode);
    if (WireHeader.qdcount(packet) == 1 && query.getQuestion() != null) {
      reply.addRecord(query.getQuestion(), Section.QUESTION);
    }
    OPTRecord opt = null;
    int opts = 0;
    for (Record r : query.getSection(Section.ADDITIONAL)) {
      if (r instanceof OPTRecord o) {
        opt = o;
        opts++;
      }
    }
    if (opts == 1 && Name.root.equals(opt.getName())) {
      reply.addRecord(EdnsReply.opt(rcode, (opt.getFlags() & ExtendedFlags.DO) != 0), Section.ADDITIONAL);
    }
    // a question and an OPT always fit in the classic 512 bytes
    return reply.toWire(ReplySize.CLASSIC_UDP);
  }

  /**
   * A reply with the given rcode, the query's ID and opcode, RD and CD for a QUERY, and the question
   * if known.
   */
  public static byte[] reply(byte[] packet, Record question, int rcode) {
    Message reply = replyHeader(packet, rcode);
    if (question != null) {
      reply.addRecord(question, Section.QUESTION);
    }
    return reply.toWire(ReplySize.CLASSIC_UDP);
  }

  /**
   * RFC 6891 6.1.3: a query with an EDNS version we do not implement gets BADVERS (extended rcode
   * 16, whose upper bits travel in our OPT) and an OPT carrying the highest version we support, 0.
   */
  public static byte[] badVers(byte[] packet, Record question, EdnsRequest edns, int limit) {
    Message reply = replyHeader(packet, Rcode.NOERROR);
    reply.addRecord(question, Section.QUESTION);
    reply.addRecord(EdnsReply.opt(Rcode.BADVERS, edns.dnssecOk()), Section.ADDITIONAL);
    return reply.toWire(limit);
  }

  private static Message replyHeader(byte[] packet, int rcode) {
    Message reply = new Message(WireHeader.id(packet));
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setOpcode(WireHeader.opcode(packet));
    boolean echoed = WireHeader.echoesRdAndCd(packet);
    if (echoed && (packet[2] & WireHeader.RD) != 0) {
      reply.getHeader().setFlag(Flags.RD);
    }
    if (echoed && (packet[3] & WireHeader.CD) != 0) {
      reply.getHeader().setFlag(Flags.CD);
    }
    reply.getHeader().setRcode(rcode & 0x0F);
    return reply;
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
