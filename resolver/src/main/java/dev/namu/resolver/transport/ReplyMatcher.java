package dev.namu.resolver.transport;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * RFC 5452 section 3: a reply is accepted only when it answers the query sent, that is the ID
 * and the question (name, type, class) are the same. Address and port are checked by the
 * socket (connected UDP, TCP). Names compare case-insensitively (dnsjava {@code Name}). The
 * opcode must be the query's too (RFC 1035 4.1.1: it "is copied into the response"): a reply
 * with another is no answer to it, and dnsjava reads an UPDATE's records sent without RDATA as
 * records of no data, which no later step expects. When the query carried a DNS cookie, the
 * reply's must match it too ({@link ReplyCookie}).
 */
public final class ReplyMatcher {
  private ReplyMatcher() {}

  public static boolean matches(Message query, Message reply) {
    if (reply.getHeader().getID() != query.getHeader().getID() || !reply.getHeader().getFlag(Flags.QR)
        || reply.getHeader().getOpcode() != query.getHeader().getOpcode()
        || !ReplyCookie.matches(query, reply)) {
      return false;
    }
    Record q = query.getQuestion();
    Record r = reply.getQuestion();
    if (r == null) {
      // Some servers omit the question in FORMERR/NOTIMP replies; accept those only.
      int rc = reply.getRcode();
      return rc == org.xbill.DNS.Rcode.FORMERR || rc == org.xbill.DNS.Rcode.NOTIMP;
    }
    return q.getName().equals(r.getName()) && q.getType() == r.getType() && q.getDClass() == r.getDClass();
  }
}
