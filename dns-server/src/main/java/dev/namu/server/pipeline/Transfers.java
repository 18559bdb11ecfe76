package dev.namu.server.pipeline;

import dev.namu.server.intake.Request;
import dev.namu.server.intake.Transport;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Zone transfers (AXFR, IXFR). None are offered yet. AXFR over UDP is not implemented at all (RFC
 * 5936 4.2 defines it over TCP only); IXFR may come over UDP (RFC 1995 2). At a zone's apex the
 * transfer is refused; below it the name is no zone we are authoritative for (NOTAUTH, as NSD and
 * Knot answer).
 */
final class Transfers {
  static boolean isTransfer(int qtype) {
    return qtype == Type.AXFR || qtype == Type.IXFR;
  }

  Outcome answer(Request request) {
    return new Outcome.RcodeOnly(rcode(request));
  }

  private static int rcode(Request request) {
    if (request.question().getType() == Type.AXFR && request.transport() == Transport.UDP) {
      return Rcode.NOTIMP;
    }
    Name name = request.question().getName();
    var zone = request.zones().findZone(name);
    return zone == null || zone.origin().equals(name) ? Rcode.REFUSED : Rcode.NOTAUTH;
  }
}
