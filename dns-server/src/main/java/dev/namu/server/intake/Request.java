package dev.namu.server.intake;

import dev.namu.zones.registry.ZoneSet;
import java.net.InetSocketAddress;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * One decoded query and everything needed to answer it. The zone set is read once when the request
 * is made, so the whole answer (CNAME chase included) comes from one snapshot.
 *
 * @param query the decoded message
 * @param question its only question, with the client's case
 * @param transport how it arrived
 * @param peer who sent it
 * @param edns the OPT's request, or null when the query had no OPT
 * @param replyLimit the largest reply this query may get, in bytes
 * @param zones the zones served at the moment the query arrived
 */
public record Request(
    Message query,
    Record question,
    Transport transport,
    InetSocketAddress peer,
    EdnsRequest edns,
    int replyLimit,
    ZoneSet zones) {

  public int id() {
    return query.getHeader().getID();
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
}
