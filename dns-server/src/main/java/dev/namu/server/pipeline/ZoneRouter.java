package dev.namu.server.pipeline;

import dev.namu.server.auth.ResponseBuilder;
import dev.namu.server.intake.Request;
import dev.namu.zones.lookup.AuthoritativeAnswer;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Sends a question to the zones that serve it, to recursion when no zone does and recursion is
 * allowed, or answers REFUSED. Questions no zone could ever answer are settled here first.
 */
public final class ZoneRouter {
  private final AnswerLookup zones;
  private final RecursionHandler recursion;
  private final ResponseBuilder builder;

  /** @param recursion the resolver's entry, or null while recursion is not offered */
  public ZoneRouter(AnswerLookup zones, RecursionHandler recursion, ResponseBuilder builder) {
    this.zones = zones;
    this.recursion = recursion;
    this.builder = builder;
  }

  public Outcome route(Request request) {
    Record question = request.question();
    int qtype = question.getType();
    Integer early = earlyRcode(qtype, question.getDClass());
    if (early != null) {
      return new Outcome.Answered(builder.error(request, early), false);
    }
    // The lookup finds the closest enclosing zone itself, and for DS the zone above the cut,
    // since DS lives on the parent side (RFC 4035 3.1.4.1).
    // The name is looked up in lower case: names the answer synthesizes from it (DNAME's CNAME
    // target, RFC 6672 2.2) then do not depend on the client's case, so equal questions get equal
    // answers and can be prepared once. Owners equal to the question are written as pointers to
    // it and so still show the client's case.
    Optional<AuthoritativeAnswer> answer =
        zones.answer(request.zones(), question.getName().canonicalize(), qtype);
    if (answer.isPresent()) {
      AuthoritativeAnswer a = answer.get();
      boolean fromSnapshot = a.rcode() == Rcode.NOERROR || a.rcode() == Rcode.NXDOMAIN;
      return new Outcome.Answered(builder.answer(request, a), fromSnapshot);
    }
    if (recursion != null && recursion.accepts(request)) {
      return new Outcome.Deferred(recursion.resolve(request));
    }
    // Not ours and no recursion for this client: REFUSED, as NSD and Knot answer (RFC 1035 4.1.1).
    return new Outcome.Answered(builder.error(request, Rcode.REFUSED), false);
  }

  /** An rcode for questions that are never looked up, or null to look the question up. */
  private static Integer earlyRcode(int qtype, int qclass) {
    switch (qtype) {
      case Type.OPT, Type.TSIG, Type.TKEY:
        // pseudo-types that may only appear as records, never as a question (RFC 6891 6.1.1,
        // RFC 8945 4.2, RFC 2930)
        return Rcode.FORMERR;
      case Type.AXFR, Type.IXFR:
        // zone transfers come with a later issue (TSIG/ACL); until then nobody may transfer
        return Rcode.REFUSED;
      case Type.MAILA, Type.MAILB:
        return Rcode.NOTIMP;
      default:
        break;
    }
    if (qclass != DClass.IN) {
      // we serve class IN only; CH, HS and ANY questions are not ours to answer
      return Rcode.REFUSED;
    }
    return null;
  }
}
