package dev.namu.server.auth;

import dev.namu.server.intake.Request;
import dev.namu.server.intake.WireHeader;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Writes a reply to wire format within the request's size limit, with name compression. A reply
 * too big for the limit keeps the question and the whole RRsets that fit and has TC set, so the
 * client retries over TCP (RFC 1035 4.2.1, RFC 2181 9, RFC 7766 5); records that do not fit in the
 * additional section are left out without TC, except glue in a referral (RFC 9471 3).
 */
public final class ResponseEncoder {

  public byte[] encode(Message reply, Request request) {
    return encode(reply, request, false);
  }

  /**
   * @param signed the reply gets a TSIG as it is written: one more record in the additional count
   *     than its additional section holds
   */
  public byte[] encode(Message reply, Request request, boolean signed) {
    byte[] wire = reply.toWire(request.replyLimit());
    if (wire.length < WireHeader.LENGTH) {
      throw new IllegalStateException("reply could not be rendered in " + request.replyLimit());
    }
    int additionalWritten = WireHeader.arcount(wire) - (signed ? 1 : 0);
    if ((wire[2] & WireHeader.TC) == 0
        && isReferral(reply)
        && additionalWritten < reply.getSection(Section.ADDITIONAL).size()) {
      // RFC 9471 3: "If message size constraints prevent the inclusion of all glue records for
      // in-domain name servers, the server MUST set the TC flag". Our referral additional
      // sections hold glue only, so any record left out is glue left out. Written again with the
      // flag rather than patched: a TSIG over the reply covers its header (RFC 8945 4.3.3).
      reply.getHeader().setFlag(Flags.TC);
      wire = reply.toWire(request.replyLimit());
    }
    return wire;
  }

  /** True when the wire reply had to be truncated. */
  public static boolean truncated(byte[] wire) {
    return (wire[2] & WireHeader.TC) != 0;
  }

  /**
   * True when the wire reply holds every record of the message: not truncated, and nothing left
   * out of the additional section for size. Such a reply is the same whatever the size limit it
   * was rendered under, so it may be kept and served to any query it fits.
   */
  public static boolean whole(Message reply, byte[] wire) {
    return !truncated(wire)
        && WireHeader.ancount(wire) == reply.getSection(Section.ANSWER).size()
        && WireHeader.nscount(wire) == reply.getSection(Section.AUTHORITY).size()
        && WireHeader.arcount(wire) == reply.getSection(Section.ADDITIONAL).size();
  }

  private static boolean isReferral(Message reply) {
    if (reply.getHeader().getFlag(Flags.AA) || !reply.getSection(Section.ANSWER).isEmpty()) {
      return false;
    }
    return reply.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == Type.NS);
  }
}
