package dev.namu.server.pipeline;

import dev.namu.server.intake.Request;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** Answers zone transfer requests (AXFR, IXFR): the dispatcher's handler for them. */
public interface Transfers {
  /**
   * No zone is transferred. AXFR where one request gets one message (UDP, DNS over HTTPS) gets
   * NOTIMP (RFC 5936 4.2 defines it over TCP only); at a zone's apex the transfer is refused; below it the name is no zone we are
   * authoritative for (NOTAUTH, as NSD and Knot answer).
   */
  Transfers NONE = request -> {
    if (request.question().getType() == Type.AXFR && request.transport().oneMessage()) {
      return new Outcome.RcodeOnly(Rcode.NOTIMP);
    }
    Name name = request.question().getName();
    var zone = request.zones().findZone(name);
    return new Outcome.RcodeOnly(zone == null || zone.origin().equals(name) ? Rcode.REFUSED : Rcode.NOTAUTH);
  };

  static boolean isTransfer(int qtype) {
    return qtype == Type.AXFR || qtype == Type.IXFR;
  }

  /** The reply to a transfer request (a QUERY for AXFR or IXFR). */
  Outcome answer(Request request);
}
