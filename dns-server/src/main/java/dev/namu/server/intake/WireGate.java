package dev.namu.server.intake;

import java.util.function.IntPredicate;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Type;
import org.xbill.DNS.Rcode;

/**
 * Header triage, the first step of every request: decides from the 12-byte header alone whether a
 * packet is dropped, refused with a header-only error, or passed on to decoding.
 */
public final class WireGate {

  /** The decision for one packet. */
  public sealed interface Verdict permits Pass, Drop, Reject {}

  /** Decode the packet and answer it. */
  public record Pass() implements Verdict {}

  /** Send nothing back. */
  public record Drop(DropReason reason) implements Verdict {}

  /** Reply with this rcode ({@link EarlyError#afterTriage}) and go no further. */
  public record Reject(int rcode) implements Verdict {}

  /** Why a packet got no reply at all. */
  public enum DropReason {
    /** Shorter than a DNS header: nothing to reply to. */
    RUNT,
    /**
     * QR set: a response, never answered, or two servers could bounce errors at each other forever
     * (RFC 1035 7.3; unbound daemon/worker.c worker_check_request does the same).
     */
    RESPONSE
  }

  private static final Pass PASS = new Pass();
  private static final Drop RUNT = new Drop(DropReason.RUNT);
  private static final Drop RESPONSE = new Drop(DropReason.RESPONSE);
  private static final Reject NOTIMP = new Reject(Rcode.NOTIMP);
  private static final Reject FORMERR = new Reject(Rcode.FORMERR);

  private final IntPredicate supportedOpcode;

  /** @param supportedOpcode the opcodes the dispatcher can serve; the rest get NOTIMP */
  public WireGate(IntPredicate supportedOpcode) {
    this.supportedOpcode = supportedOpcode;
  }

  public Verdict triage(byte[] packet) {
    if (packet.length < WireHeader.LENGTH) {
      return RUNT;
    }
    if (WireHeader.isResponse(packet)) {
      return RESPONSE;
    }
    int opcode = WireHeader.opcode(packet);
    if (!supportedOpcode.test(opcode)) {
      // RFC 1035 4.1.1: RCODE 4, "the name server does not support the requested kind of query".
      return NOTIMP;
    }
    if (opcode == Opcode.QUERY
        && (WireHeader.qdcount(packet) != 1
            || WireHeader.ancount(packet) != 0
            || (WireHeader.nscount(packet) != 0 && !ixfrWithSoa(packet)))) {
      // A query carries exactly one question (RFC 9619) and nothing in the answer or authority
      // sections; NSD (query.c) answers FORMERR to anything else, and so do we. An IXFR is the
      // one query with an authority record: the client's SOA (RFC 1995 3).
      return FORMERR;
    }
    return PASS;
  }

  /** True for a query whose question asks IXFR, with one authority record (its SOA, checked later). */
  private static boolean ixfrWithSoa(byte[] packet) {
    if (WireHeader.nscount(packet) != 1) {
      return false;
    }
    int i = WireHeader.LENGTH;
    while (i < packet.length) {
      int length = packet[i] & 0xFF;
      if (length == 0) {
        i++;
        return i + 2 <= packet.length && (((packet[i] & 0xFF) << 8) | (packet[i + 1] & 0xFF)) == Type.IXFR;
      }
      if ((length & 0xC0) != 0) {
        return false; // a question name is never compressed: it is the first name in the message
      }
      i += length + 1;
    }
    return false;
  }
}
