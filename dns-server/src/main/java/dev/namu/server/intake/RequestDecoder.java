package dev.namu.server.intake;

import dev.namu.server.update.RequestSignature;
import dev.namu.zones.registry.ZoneSet;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Turns a packet that passed the {@link WireGate} into a {@link Request}, or into the error reply
 * it deserves. Never throws: a packet that does not parse gets FORMERR with its ID.
 */
public final class RequestDecoder {

  /** The result of decoding one packet. */
  public sealed interface Decoding permits Decoded, Rejected {}

  /** A well-formed query, ready to be answered. */
  public record Decoded(Request request) implements Decoding {}

  /** A query answered with an error at intake. */
  public record Rejected(EarlyError error) implements Decoding {}

  public Decoding decode(byte[] packet, Transport transport, InetSocketAddress peer, ZoneSet zones) {
    Message query;
    boolean update = WireHeader.opcode(packet) == Opcode.UPDATE;
    try {
      query = new Message(packet);
    } catch (IOException | RuntimeException e) {
      // dnsjava reports malformed wire data with WireParseException, and a few record parsers
      // with unchecked exceptions; to the client all of them are a format error
      return new Rejected(EarlyError.formErr(packet));
    }
    if (!whole(query)) {
      return new Rejected(EarlyError.formErr(packet));
    }
    if (update) {
      // RFC 2136 3: the UPDATE handler checks the TSIG, then the zone section (3.1.1), in that
      // order; its reply is the header and the zone section, without OPT (the OPT is not read)
      return new Decoded(
          new Request(packet, query, query.getQuestion(), transport, peer, null,
              ReplySize.limit(transport, null), zones, RequestSignature.UNSIGNED));
    }
    Record question = query.getQuestion();
    if (question == null) {
      return new Rejected(EarlyError.formErr(packet));
    }
    OPTRecord opt = null;
    for (int section = Section.ANSWER; section <= Section.ADDITIONAL; section++) {
      for (Record r : query.getSection(section)) {
        if (!(r instanceof OPTRecord o)) {
          continue;
        }
        // RFC 6891 6.1.1: the OPT lives in the additional section, owned by the root, and "if a
        // query message with more than one OPT RR is received, a FORMERR (RCODE=1) MUST be returned"
        if (section != Section.ADDITIONAL || opt != null || !Name.root.equals(o.getName())) {
          return new Rejected(EarlyError.of(Rcode.FORMERR, question));
        }
        opt = o;
      }
    }
    EdnsRequest edns = null;
    if (opt != null) {
      edns =
          new EdnsRequest(
              opt.getPayloadSize(),
              opt.getVersion(),
              (opt.getFlags() & ExtendedFlags.DO) != 0,
              opt.getOptions());
      if (edns.version() > 0) {
        int limit = ReplySize.limit(transport, edns);
        return new Rejected(EarlyError.badVers(question, edns, limit));
      }
    }
    int limit = ReplySize.limit(transport, edns);
    return new Decoded(
        new Request(packet, query, question, transport, peer, edns, limit, zones, RequestSignature.UNSIGNED));
  }

  /**
   * True when every record the header counts was read. dnsjava keeps what it read of a message
   * with TC set and stops quietly where the bytes run out; for a request that is a format error.
   */
  private static boolean whole(Message query) {
    for (int section = Section.QUESTION; section <= Section.ADDITIONAL; section++) {
      if (query.getSection(section).size() != query.getHeader().getCount(section)) {
        return false;
      }
    }
    return true;
  }
}
