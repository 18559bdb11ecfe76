package dev.namu.server.intake;

import dev.namu.server.update.RequestSignature;
import dev.namu.zones.registry.ZoneSet;
import java.net.InetSocketAddress;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.TSIGRecord;

/**
 * One decoded request and everything needed to answer it. The zone set is read once when the
 * request is made, so the whole answer (CNAME chase included) comes from one snapshot.
 *
 * @param wire the request as received (a TSIG's MAC covers these bytes, RFC 8945 4.3.3)
 * @param query the decoded message
 * @param question its only question, with the client's case (for UPDATE the zone, or null when
 *     its zone section is not one record: the UPDATE handler answers that, RFC 2136 3.1.1)
 * @param transport how it arrived
 * @param peer who sent it
 * @param edns the OPT's request, or null when the query had no OPT (UPDATE's is not read)
 * @param replyLimit the largest reply this query may get, in bytes
 * @param zones the zones served at the moment the query arrived
 * @param signature the verdict on its TSIG, and so how its reply is signed
 */
public record Request(
    byte[] wire,
    Message query,
    Record question,
    Transport transport,
    InetSocketAddress peer,
    EdnsRequest edns,
    int replyLimit,
    ZoneSet zones,
    RequestSignature signature) {

  public int id() {
    return query.getHeader().getID();
  }

  public int opcode() {
    return query.getHeader().getOpcode();
  }

  public boolean hasEdns() {
    return edns != null;
  }

  public boolean dnssecOk() {
    return edns != null && edns.dnssecOk();
  }

  public boolean recursionDesired() {
    return query.getHeader().getFlag(Flags.RD);
  }

  /** The TSIG record, when the request is signed. */
  public TSIGRecord tsig() {
    return query.getTSIG();
  }

  /** This request answered from {@code served} (a view's zones) instead. */
  public Request withZones(ZoneSet served) {
    return new Request(wire, query, question, transport, peer, edns, replyLimit, served, signature);
  }

  /** This request with the verdict on its TSIG. */
  public Request signed(RequestSignature verdict) {
    return new Request(wire, query, question, transport, peer, edns, replyLimit, zones, verdict);
  }
}
