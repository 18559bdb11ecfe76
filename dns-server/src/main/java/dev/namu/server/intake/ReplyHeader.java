package dev.namu.server.intake;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;

/**
 * The one rule for a reply's header, made from the query's header bytes: the query's ID and
 * opcode, QR set, the rcode's low four bits (the upper ones travel in the OPT, RFC 6891 6.1.3),
 * and RD and CD copied for a QUERY only. Every reply message starts here; RA, AA and TC are set
 * later by the steps that know them (the reply writer, the answer, the encoder).
 */
public final class ReplyHeader {
  private ReplyHeader() {}

  /** A reply message with this header and no records. {@code query} has at least 12 bytes. */
  public static Message of(byte[] query, int rcode) {
    Message reply = new Message(WireHeader.id(query));
    Header h = reply.getHeader();
    h.setFlag(Flags.QR);
    h.setOpcode(WireHeader.opcode(query));
    // RFC 1035 4.1.1 copies RD; RFC 4035 3.1.6 copies CD. Both are QUERY flags: RFC 2136 2.2 has
    // them zero in UPDATE, so a reply to another opcode leaves them clear.
    if (WireHeader.echoesRdAndCd(query)) {
      if ((query[2] & WireHeader.RD) != 0) {
        h.setFlag(Flags.RD);
      }
      if ((query[3] & WireHeader.CD) != 0) {
        h.setFlag(Flags.CD);
      }
    }
    h.setRcode(rcode & 0x0F);
    return reply;
  }
}
