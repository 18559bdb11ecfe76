package dev.namu.server.resolved;

import dev.namu.resolver.Answer;
import dev.namu.server.intake.ReplySize;
import java.util.List;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Turns the resolver's answer into the client's reply: the one place a resolved answer becomes a
 * message, handed to the response encoding path like every other reply.
 */
public final class AnswerReply {
  private static final int[] SECTIONS = {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL};

  /**
   * The reply to {@code query}: its ID, RD and CD bits and question; RA, since the client was
   * offered recursion (RFC 1035 4.1.1), except for a question the resolver does not resolve; the
   * answer's rcode and sections; and, when the query had EDNS, our OPT with the DO bit copied
   * (RFC 6891 7, RFC 3225 3) and the answer's extended error (RFC 8914 3).
   */
  public Message reply(Message query, Answer answer) {
    Message m = new Message(query.getHeader().getID());
    Header h = m.getHeader();
    Header qh = query.getHeader();
    h.setFlag(Flags.QR);
    if (answer.recursed()) h.setFlag(Flags.RA);
    if (qh.getFlag(Flags.RD)) h.setFlag(Flags.RD);
    if (qh.getFlag(Flags.CD)) h.setFlag(Flags.CD);
    h.setOpcode(Opcode.QUERY);
    h.setRcode(answer.rcode());
    Record question = query.getQuestion();
    if (question != null) m.addRecord(question, Section.QUESTION);
    for (int section : SECTIONS) {
      for (Record r : answer.records(section)) m.addRecord(r, section);
    }
    OPTRecord qopt = query.getOPT();
    if (qopt != null) {
      m.addRecord(opt(qopt.getFlags() & ExtendedFlags.DO, answer.extendedError()), Section.ADDITIONAL);
    }
    return m;
  }

  private static OPTRecord opt(int flags, Answer.ExtendedError error) {
    return error == null
        ? new OPTRecord(ReplySize.OUR_UDP_PAYLOAD, 0, 0, flags)
        : new OPTRecord(ReplySize.OUR_UDP_PAYLOAD, 0, 0, flags,
            List.of(new ExtendedErrorCodeOption(error.code(), error.text())));
  }
}
