package dev.namu.server.resolved;

import dev.namu.resolver.Answer;
import dev.namu.server.intake.EdnsReply;
import dev.namu.server.intake.ReplyHeader;
import dev.namu.server.intake.Request;
import java.util.List;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Turns the resolver's answer into the client's reply message: the one place a resolved answer
 * becomes a message, which the reply writer then writes like every other (RA is its business).
 */
public final class AnswerReply {
  private static final int[] SECTIONS = {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL};

  /**
   * True when the reply to a query ({@code query}: its wire bytes) carries AD: the answer is secure
   * and the client asked with DO or AD (RFC 6840 5.7; RFC 4035 3.2.3).
   */
  public static boolean authenticated(Answer answer, boolean dnssecOk, byte[] query) {
    return answer.security() == Answer.Security.SECURE
        && (dnssecOk || (query[3] & dev.namu.server.intake.WireHeader.AD) != 0);
  }

  /**
   * The reply to {@code request}: the header from the query's ({@link ReplyHeader}), its question,
   * the answer's rcode and sections, and, when the query had EDNS, our OPT with the DO bit copied
   * (RFC 6891 7, RFC 3225 3) and the answer's extended error (RFC 8914 3).
   */
  public Message reply(Request request, Answer answer) {
    Message m = ReplyHeader.of(request.wire(), answer.rcode());
    if (authenticated(answer, request.dnssecOk(), request.wire())) {
      m.getHeader().setFlag(org.xbill.DNS.Flags.AD);
    }
    m.addRecord(request.question(), Section.QUESTION);
    for (int section : SECTIONS) {
      for (Record r : answer.records(section)) {
        m.addRecord(r, section);
      }
    }
    if (request.hasEdns()) {
      Answer.ExtendedError error = answer.extendedError();
      List<EDNSOption> options =
          error == null ? List.of() : List.of(new ExtendedErrorCodeOption(error.code(), error.text()));
      m.addRecord(EdnsReply.opt(answer.rcode(), request.dnssecOk(), options), Section.ADDITIONAL);
    }
    return m;
  }
}
