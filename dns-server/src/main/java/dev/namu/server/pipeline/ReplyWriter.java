package dev.namu.server.pipeline;

import dev.namu.resolver.UpstreamTrace;
import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.auth.ResponseBuilder;
import dev.namu.server.auth.ResponseEncoder;
import dev.namu.server.cookies.CookieCheck;
import dev.namu.server.cookies.ServerCookies;
import dev.namu.server.intake.EarlyError;
import dev.namu.server.intake.EdnsReply;
import dev.namu.server.intake.ReplyHeader;
import dev.namu.server.intake.Request;
import dev.namu.server.intake.Transport;
import dev.namu.server.intake.WireGate;
import dev.namu.server.intake.WireHeader;
import dev.namu.server.pipeline.ReplyCounters.Source;
import dev.namu.server.querylog.QueryLog;
import dev.namu.server.update.RequestSignature;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.function.Predicate;
import org.xbill.DNS.CookieOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The last step of every reply: the header's RA from the client's recursion policy, the TSIG when
 * the request was signed, rendering within the client's size (truncation), and one count per
 * reply by opcode, rcode, question type, transport and source. Every packet that gets a reply, or none, passes
 * here exactly once.
 *
 * <p>RA is set before a reply is rendered (a TSIG's MAC covers the header, RFC 8945 4.3.3). A
 * prepared answer is kept without it, as it is shared by every client, and gets it when copied.
 */
public final class ReplyWriter {
  /** The sources as the query log writes them, made once. */
  private static final String[] SOURCE_NAMES =
      java.util.Arrays.stream(Source.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

  private final ResponseEncoder encoder;
  private final ResponseBuilder builder = new ResponseBuilder();
  private final ReplyCounters counters;
  private final Predicate<InetSocketAddress> recursionAvailable;
  /** null when the query log is off: then a reply costs this one field's check. */
  private final QueryLog queryLog;
  /** Makes the server cookie of each reply to a request with a cookie; null: cookies not answered. */
  private final ServerCookies cookies;

  /** A writer without the query log. */
  public ReplyWriter(
      ResponseEncoder encoder, ReplyCounters counters, Predicate<InetSocketAddress> recursionAvailable) {
    this(encoder, counters, recursionAvailable, null);
  }

  /**
   * @param recursionAvailable the clients whose replies carry RA: recursion is available to them
   *     (RFC 1035 4.1.1), authoritative replies included, as BIND sets it
   * @param queryLog where every reply is logged, or null for none
   */
  public ReplyWriter(
      ResponseEncoder encoder,
      ReplyCounters counters,
      Predicate<InetSocketAddress> recursionAvailable,
      QueryLog queryLog) {
    this(encoder, counters, recursionAvailable, queryLog, null);
  }

  /** As above, answering DNS cookies with server cookies from {@code cookies} (null: none). */
  public ReplyWriter(
      ResponseEncoder encoder,
      ReplyCounters counters,
      Predicate<InetSocketAddress> recursionAvailable,
      QueryLog queryLog,
      ServerCookies cookies) {
    this.encoder = encoder;
    this.counters = counters;
    this.recursionAvailable = recursionAvailable;
    this.queryLog = queryLog;
    this.cookies = cookies;
  }

  /** The server cookies replies carry, or null when cookies are not answered. */
  ServerCookies cookies() {
    return cookies;
  }

  /** A reply rate limiting dropped, or replaced by a truncated one ({@code slipped}). */
  void limited(boolean slipped) {
    counters.countLimited(slipped);
  }

  /** True when replies are logged, so their packets' arrival is worth timing. */
  boolean logging() {
    return queryLog != null;
  }

  public ReplyCounters counters() {
    return counters;
  }

  /** True when recursion is available to this client. */
  boolean recursionAvailable(InetSocketAddress client) {
    return recursionAvailable.test(client);
  }

  /** A packet that gets no reply at all. */
  void dropped(WireGate.DropReason reason) {
    counters.countDropped(reason);
  }

  /**
   * A prepared answer made ready for one query: a copy with the query's ID, RD, CD and question
   * case patched in, and RA for a client that may recurse.
   */
  ByteBuf prepared(
      byte[] ready,
      byte[] packet,
      int nameLength,
      int qtype,
      Transport transport,
      InetSocketAddress peer,
      ByteBufAllocator alloc,
      long started) {
    ByteBuf wire = PreparedAnswers.serve(ready, packet, nameLength, alloc);
    if (recursionAvailable.test(peer)) {
      wire.setByte(3, wire.getByte(3) | WireHeader.RA);
    }
    // prepared answers carry no extended rcode (NOERROR or NXDOMAIN): the header holds it whole
    counters.countReply(Opcode.QUERY, WireHeader.rcode(ready), qtype, transport, Source.PREPARED);
    if (queryLog != null) {
      queryLog.record(wire, Opcode.QUERY, WireHeader.rcode(ready), transport, peer,
          SOURCE_NAMES[Source.PREPARED.ordinal()], started);
    }
    return wire;
  }

  /** A kept copy of a resolver's reply, already made ready for the query by its store. */
  ByteBuf cached(ByteBuf wire, int qtype, Transport transport, InetSocketAddress peer, long started) {
    counters.countReply(Opcode.QUERY, wire.getByte(3) & 0x0F, qtype, transport, Source.CACHE);
    if (queryLog != null) {
      queryLog.record(wire, Opcode.QUERY, wire.getByte(3) & 0x0F, transport, peer,
          SOURCE_NAMES[Source.CACHE.ordinal()], started);
    }
    return wire;
  }

  /**
   * The reply to a packet that never became a request (rejected by the header triage or the
   * decoder, or a failure of ours before a request existed): the header from the query's, RA by
   * the client's policy, the question and our OPT when the error echoes them.
   */
  ByteBuf early(
      byte[] packet, EarlyError error, Transport transport, InetSocketAddress peer, long started) {
    Message m = ReplyHeader.of(packet, error.rcode());
    if (error.question() != null) {
      m.addRecord(error.question(), Section.QUESTION);
    }
    if (error.edns() != null) {
      m.addRecord(EdnsReply.opt(error.rcode(), error.edns().dnssecOk()), Section.ADDITIONAL);
    }
    if (recursionAvailable.test(peer)) {
      m.getHeader().setFlag(Flags.RA);
    }
    ByteBuf wire = Unpooled.wrappedBuffer(m.toWire(error.limit()));
    counters.countReply(m.getHeader().getOpcode(), error.rcode(),
        error.question() == null ? -1 : error.question().getType(), transport, Source.SERVER);
    if (error.rcode() == Rcode.FORMERR) {
      counters.countMalformed();
    }
    if (queryLog != null) {
      queryLog.record(wire, m.getHeader().getOpcode(), error.rcode(), transport, peer,
          SOURCE_NAMES[Source.SERVER.ordinal()], started);
    }
    return wire;
  }

  /**
   * Renders a reply to a decoded request: RA by the client's policy, signed when the request was,
   * truncated to the client's size.
   *
   * @param shared true when {@code reply} may be handed to others too (the resolver's): it is then
   *     copied before anything is set on it
   */
  byte[] write(
      Message reply,
      Request request,
      RequestSignature signature,
      Source source,
      boolean shared,
      long started) {
    return write(reply, request, signature, source, shared, started, null);
  }

  /** As above, for a reply a resolution made that {@code upstream} traced (null: none). */
  byte[] write(
      Message reply,
      Request request,
      RequestSignature signature,
      Source source,
      boolean shared,
      long started,
      UpstreamTrace upstream) {
    Message m = reply;
    boolean ra = recursionAvailable.test(request.peer()) && !reply.getHeader().getFlag(Flags.RA);
    boolean signed = signature != RequestSignature.UNSIGNED;
    byte[] clientCookie = cookies == null ? null : CookieCheck.clientCookie(request.edns());
    OPTRecord opt = clientCookie == null ? null : reply.getOPT();
    if (shared && (ra || signed || opt != null)) {
      m = reply.clone();
    }
    if (ra) {
      m.getHeader().setFlag(Flags.RA);
    }
    if (opt != null) {
      // RFC 7873 5.2: every reply to a request with a cookie carries its client cookie and a
      // server cookie made for it, whatever became of the one it sent (5.2.3, 5.2.4); before the
      // TSIG, which covers the OPT
      byte[] both = cookies.reply(clientCookie, request.peer().getAddress());
      m.removeRecord(opt, Section.ADDITIONAL);
      m.addRecord(EdnsReply.with(opt, new CookieOption(
          java.util.Arrays.copyOf(both, 8), java.util.Arrays.copyOfRange(both, 8, both.length))),
          Section.ADDITIONAL);
    }
    signature.sign(m);
    byte[] wire = encoder.encode(m, request, signature.signsReply());
    if (source == null) {
      return wire; // a message of a stream: the stream is counted once, by streamed
    }
    Record question = m.getQuestion();
    counters.countReply(m.getHeader().getOpcode(), m.getRcode(), question == null ? -1 : question.getType(),
        request.transport(), source);
    if (queryLog != null) {
      queryLog.record(Unpooled.wrappedBuffer(wire), m.getHeader().getOpcode(), m.getRcode(),
          request.transport(), request.peer(), SOURCE_NAMES[source.ordinal()], started, upstream);
    }
    return wire;
  }

  /**
   * A message of a stream (a zone transfer), rendered as any reply is but not counted nor logged:
   * the stream is, once, by {@link #streamed}.
   */
  byte[] writeStreamed(Message reply, Request request, RequestSignature signature) {
    return write(reply, request, signature, null, false, 0);
  }

  /**
   * A stream fully written, {@code messages} messages and {@code bytes} in all, the first {@code
   * first}: one reply for the counters and one query log line, as Knot and BIND log one line per
   * transfer.
   */
  void streamed(Request request, byte[] first, int messages, long bytes, long started) {
    int opcode = (first[2] >> 3) & 0x0F;
    int rcode = first[3] & 0x0F;
    counters.countReply(opcode, rcode, request.question().getType(), request.transport(), Source.ZONE);
    if (queryLog != null) {
      queryLog.recordTransfer(Unpooled.wrappedBuffer(first), opcode, rcode, request.transport(), request.peer(),
          SOURCE_NAMES[Source.ZONE.ordinal()], started, messages, bytes);
    }
  }

  /**
   * A reply of an rcode alone to a decoded request (REFUSED, an UPDATE's rcode, a TSIG refusal,
   * SERVFAIL for a failure of ours): the question and our OPT, signed when the request was.
   */
  ByteBuf error(
      Request request, int rcode, RequestSignature signature, Source source, long started) {
    Message reply = builder.error(request, rcode);
    return Unpooled.wrappedBuffer(write(reply, request, signature, source, false, started));
  }

  /** A failure of ours, answered SERVFAIL (counted as a reply and as an internal error). */
  void internalError() {
    counters.countInternalError();
  }

  /**
   * The bytes to keep as a prepared answer from a rendered reply: without RA, which each copy gets
   * by its own client's policy.
   */
  static byte[] forKeeping(byte[] wire) {
    if ((wire[3] & WireHeader.RA) == 0) {
      return wire;
    }
    byte[] kept = wire.clone();
    kept[3] &= (byte) ~WireHeader.RA;
    return kept;
  }
}
