package dev.namu.server.auth;

import dev.namu.server.intake.EdnsReply;
import dev.namu.server.intake.ReplyHeader;
import dev.namu.server.intake.Request;
import dev.namu.zones.lookup.AuthoritativeAnswer;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Builds reply messages: header flags, the question as the client sent it, the sections of an
 * authoritative answer, and our OPT when the query had one.
 */
public final class ResponseBuilder {

  /** The reply carrying an authoritative answer (or a referral) from the zones. */
  public Message answer(Request request, AuthoritativeAnswer answer) {
    Message reply = reply(request, answer.rcode());
    if (answer.authoritative()) {
      reply.getHeader().setFlag(Flags.AA);
    }
    boolean withSigs = request.dnssecOk();
    add(reply, answer.answer(), Section.ANSWER, withSigs);
    add(reply, answer.authority(), Section.AUTHORITY, withSigs);
    add(reply, answer.additional(), Section.ADDITIONAL, withSigs);
    addOpt(reply, request, answer.rcode());
    return reply;
  }

  /** A reply with no records besides the question (and OPT), for REFUSED, SERVFAIL, NOTIMP... */
  public Message error(Request request, int rcode) {
    Message reply = reply(request, rcode);
    addOpt(reply, request, rcode);
    return reply;
  }

  private static Message reply(Request request, int rcode) {
    Message reply = ReplyHeader.of(request.wire(), rcode);
    // the question record from the query keeps the client's case; answer owners equal to it are
    // compressed to point at it, so they show the client's case too, as with NSD and Knot. An
    // UPDATE's is its zone (RFC 2136 3.8), absent when its zone section is not one record.
    if (request.question() != null) {
      reply.addRecord(request.question(), Section.QUESTION);
    }
    return reply;
  }

  private static void addOpt(Message reply, Request request, int rcode) {
    // RFC 6891 7: a reply to a query with an OPT carries an OPT
    if (request.hasEdns()) {
      reply.addRecord(EdnsReply.opt(rcode, request.dnssecOk()), Section.ADDITIONAL);
    }
  }

  private static void add(Message reply, List<RRset> rrsets, int section, boolean withSigs) {
    for (RRset rrset : rrsets) {
      // rrs(false): the no-argument rrs() rotates the set in place, and these sets are shared
      // by every thread reading the snapshot
      for (Record r : rrset.rrs(false)) {
        reply.addRecord(r, section);
      }
      // a set of signatures alone is the answer to a query for type RRSIG, DO or not
      if (withSigs || rrset.size() == 0) {
        for (Record sig : rrset.sigs()) {
          reply.addRecord(sig, section);
        }
      }
    }
  }
}
