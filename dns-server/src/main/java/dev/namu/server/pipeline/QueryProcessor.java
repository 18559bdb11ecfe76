package dev.namu.server.pipeline;

import dev.namu.resolver.Answer;
import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.auth.ResponseBuilder;
import dev.namu.server.auth.ResponseEncoder;
import dev.namu.server.intake.ErrorReplies;
import dev.namu.server.intake.QuestionProbe;
import dev.namu.server.intake.Request;
import dev.namu.server.intake.RequestDecoder;
import dev.namu.server.intake.ScannedQuery;
import dev.namu.server.intake.Transport;
import dev.namu.server.intake.WireGate;
import dev.namu.server.intake.WireHeader;
import dev.namu.server.resolved.AnswerReply;
import dev.namu.server.resolved.ResolvedAnswers;
import dev.namu.server.update.RequestSignature;
import dev.namu.zones.registry.ZoneSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;

/**
 * One packet in, at most one reply out: triage, then a prepared answer when there is one, else
 * decoding, dispatch, building and encoding. Runs on an event loop, so it neither blocks nor
 * locks, and it never throws: an unexpected failure after decoding becomes a counted SERVFAIL.
 */
public final class QueryProcessor {
  private static final Logger log = LoggerFactory.getLogger(QueryProcessor.class);
  private static final long ERROR_LOG_INTERVAL_NANOS = 1_000_000_000L;

  private final Supplier<ZoneSet> zones;
  private final WireGate gate;
  private final RequestDecoder decoder;
  private final QueryDispatcher dispatcher;
  private final ResponseBuilder builder;
  private final ResponseEncoder encoder;
  private final PreparedAnswers prepared;
  private final ServerCounters counters;
  private final AtomicLong lastErrorLog = new AtomicLong(System.nanoTime() - ERROR_LOG_INTERVAL_NANOS);
  private final UpdateHandler updates;
  private final Predicate<InetSocketAddress> recursionAvailable;
  private final ResolvedAnswers resolved;
  private final AnswerReply answerReply = new AnswerReply();
  /** One probe per event loop: the fast paths' question, read in place. */
  private final FastThreadLocal<QuestionProbe> probes =
      new FastThreadLocal<>() {
        @Override
        protected QuestionProbe initialValue() {
          return new QuestionProbe();
        }
      };

  /**
   * @param zones the zone set now published, read once per packet
   * @param prepared the prepared-answer store, or null to always take the general path
   * @param updates answers UPDATE (null: UPDATE gets NOTIMP)
   * @param recursionAvailable clients whose replies get RA, the prepared ones too (they are stored
   *     without it, as they are shared by every client)
   * @param resolved the resolver's replies kept as wire copies, answering repeated questions from
   *     clients that may recurse (null: none)
   */
  public QueryProcessor(
      Supplier<ZoneSet> zones,
      QueryDispatcher dispatcher,
      ResponseBuilder builder,
      ResponseEncoder encoder,
      PreparedAnswers prepared,
      ServerCounters counters,
      UpdateHandler updates,
      Predicate<InetSocketAddress> recursionAvailable,
      ResolvedAnswers resolved) {
    this.recursionAvailable = recursionAvailable;
    this.resolved = resolved;
    this.zones = zones;
    this.updates = updates;
    this.gate = new WireGate(op -> dispatcher.supports(op) || (updates != null && op == Opcode.UPDATE));
    this.decoder = new RequestDecoder();
    this.dispatcher = dispatcher;
    this.builder = builder;
    this.encoder = encoder;
    this.prepared = prepared;
    this.counters = counters;
  }

  public ServerCounters counters() {
    return counters;
  }

  public Reply process(
      byte[] packet, Transport transport, InetSocketAddress peer, ByteBufAllocator alloc) {
    counters.countReceived();
    try {
      WireGate.Verdict verdict = gate.triage(packet);
      if (verdict instanceof WireGate.Drop) {
        counters.countDropped();
        return Reply.NONE;
      }
      if (verdict instanceof WireGate.Reject reject) {
        counters.countRcode(reject.rcode());
        return new Reply.Now(
            Unpooled.wrappedBuffer(
                ErrorReplies.afterTriage(packet, reject.rcode(), reject.reply())));
      }
      if (updates != null && WireHeader.opcode(packet) == Opcode.UPDATE) {
        return new Reply.Later(
            updates.update(packet, peer).thenApply(w -> w == null ? null : Unpooled.wrappedBuffer(w)));
      }
      ZoneSet snapshot = zones.get();
      // read in place: a hit allocates nothing but its reply
      QuestionProbe probe = probes.get();
      boolean plain = (prepared != null || resolved != null) && probe.scan(packet);
      if (plain) {
        int limit = probe.replyLimit(transport);
        byte[] ready = prepared == null ? null : prepared.find(snapshot, probe);
        if (ready != null && ready.length <= limit) {
          counters.countPreparedHit();
          ByteBuf wire = PreparedAnswers.serve(ready, packet, probe.nameLength(), alloc);
          if (recursionAvailable.test(peer)) {
            wire.setByte(3, wire.getByte(3) | WireHeader.RA);
          }
          return new Reply.Now(wire);
        }
        // The recursion ACL is checked before the copies, as the general path checks it before
        // the resolver: a client that may not recurse never gets a resolver's answer.
        if (ready == null && resolved != null && recursionAvailable.test(peer)) {
          ByteBuf wire = resolved.serve(snapshot, probe, packet, limit, alloc);
          if (wire != null) {
            counters.countResolvedHit();
            return new Reply.Now(wire);
          }
        }
      }
      return general(packet, transport, peer, snapshot, plain ? probe.toScanned() : null);
    } catch (RuntimeException | StackOverflowError e) {
      return internalError(packet, null, RequestSignature.UNSIGNED, e);
    }
  }

  private Reply general(
      byte[] packet,
      Transport transport,
      InetSocketAddress peer,
      ZoneSet snapshot,
      ScannedQuery scanned) {
    RequestDecoder.Decoding decoding = decoder.decode(packet, transport, peer, snapshot);
    if (decoding instanceof RequestDecoder.Rejected rejected) {
      counters.countRcode(rejected.rcode());
      return new Reply.Now(Unpooled.wrappedBuffer(rejected.reply()));
    }
    Request request = ((RequestDecoder.Decoded) decoding).request();
    RequestSignature signature = RequestSignature.UNSIGNED;
    try {
      signature = signature(request, packet);
      if (signature.refusal() != Rcode.NOERROR) {
        Message refused = builder.error(request, signature.refusal());
        counters.countRcode(signature.refusal());
        return new Reply.Now(Unpooled.wrappedBuffer(encode(refused, request, signature)));
      }
      RequestSignature sign = signature;
      Outcome outcome = dispatcher.dispatch(request);
      if (outcome instanceof Outcome.Resolving resolving) {
        ScannedQuery keep = resolving.mayKeep() ? scanned : null;
        java.util.concurrent.CompletableFuture<Answer> done = resolving.answer().toCompletableFuture();
        if (done.isDone() && !done.isCompletedExceptionally()) {
          // a cache hit: written now with the rest of the read batch (one flush, not one each)
          return new Reply.Now(Unpooled.wrappedBuffer(encodeAnswer(done.join(), request, sign, snapshot, keep)));
        }
        return new Reply.Later(
            resolving
                .answer()
                .handle(
                    (answer, failure) ->
                        failure == null
                            ? Unpooled.wrappedBuffer(encodeAnswer(answer, request, sign, snapshot, keep))
                            : internalErrorWire(packet, request, sign, failure)));
      }
      if (outcome instanceof Outcome.Deferred deferred) {
        java.util.concurrent.CompletableFuture<Message> done = deferred.reply().toCompletableFuture();
        if (done.isDone() && !done.isCompletedExceptionally()) {
          return new Reply.Now(Unpooled.wrappedBuffer(encodeDeferred(done.join(), request, sign)));
        }
        return new Reply.Later(
            deferred
                .reply()
                .handle(
                    (reply, failure) ->
                        failure == null
                            ? Unpooled.wrappedBuffer(encodeDeferred(reply, request, sign))
                            : internalErrorWire(packet, request, sign, failure)));
      }
      Outcome.Answered answered = (Outcome.Answered) outcome;
      counters.countRcode(answered.reply().getRcode());
      if (signature != RequestSignature.UNSIGNED) {
        // a signed query never takes a fast path (it does not scan), and its reply is never kept
        return new Reply.Now(Unpooled.wrappedBuffer(encode(answered.reply(), request, signature)));
      }
      byte[] wire = encoder.encode(answered.reply(), request);
      if (answered.fromSnapshot() && scanned != null && !ResponseEncoder.truncated(wire)) {
        prepared.store(snapshot, scanned.key(), wire);
      }
      if (recursionAvailable.test(peer) && (wire[3] & WireHeader.RA) == 0) {
        wire = wire.clone(); // the stored copy stays without RA
        wire[3] |= WireHeader.RA;
      }
      return new Reply.Now(Unpooled.wrappedBuffer(wire));
    } catch (RuntimeException | StackOverflowError e) {
      return internalError(packet, request, signature, e);
    }
  }

  /**
   * The verdict on the query's TSIG (RFC 8945 5.2). The keys come with live editing (they are in
   * the zone store); a server without it has none, so every key is unknown (5.2.1).
   */
  private RequestSignature signature(Request request, byte[] packet) {
    TSIGRecord tsig = request.query().getTSIG();
    if (tsig == null) {
      return RequestSignature.UNSIGNED;
    }
    if (updates == null) {
      return new RequestSignature.Failed(Rcode.BADKEY, tsig, null);
    }
    return updates.signature(request.query(), packet);
  }

  /**
   * Encodes a reply to a signed query: RA and the TSIG go into the message before it is written,
   * since the MAC covers the header (RFC 8945 4.3.3), so nothing may patch the bytes after it.
   */
  private byte[] encode(Message reply, Request request, RequestSignature signature) {
    if (recursionAvailable.test(request.peer())) {
      reply.getHeader().setFlag(Flags.RA);
    }
    signature.sign(reply);
    return encoder.encode(reply, request);
  }

  /** Encodes a deferred reply (a zone's chain continued by recursion). */
  private byte[] encodeDeferred(Message reply, Request request, RequestSignature signature) {
    counters.countRcode(reply.getRcode());
    return signature != RequestSignature.UNSIGNED
        ? encode(reply, request, signature)
        : encoder.encode(reply, request);
  }

  /**
   * Writes the resolver's answer as the client's reply; the reply to a plain query ({@code keep}
   * not null) is offered for keeping.
   */
  private byte[] encodeAnswer(
      Answer answer, Request request, RequestSignature signature, ZoneSet snapshot, ScannedQuery keep) {
    Message reply = answerReply.reply(request.query(), answer);
    counters.countRcode(reply.getRcode());
    if (signature != RequestSignature.UNSIGNED) {
      return encode(reply, request, signature);
    }
    byte[] wire = encoder.encode(reply, request);
    if (keep != null && resolved != null) {
      resolved.offer(snapshot, keep.key(), answer, wire, ResponseEncoder.whole(reply, wire));
    }
    return wire;
  }

  private Reply internalError(byte[] packet, Request request, RequestSignature signature, Throwable e) {
    ByteBuf wire = internalErrorWire(packet, request, signature, e);
    return wire == null ? Reply.NONE : new Reply.Now(wire);
  }

  /** SERVFAIL for a failure of ours, counted and logged; null when the packet has no header. */
  private ByteBuf internalErrorWire(
      byte[] packet, Request request, RequestSignature signature, Throwable e) {
    counters.countInternalError();
    String what =
        request == null ? "a query" : request.question().getName() + "/" + request.question().getType();
    long now = System.nanoTime();
    long last = lastErrorLog.get();
    // clients may trigger a bug at will: at most one warning a second, all of them counted
    if (now - last >= ERROR_LOG_INTERVAL_NANOS && lastErrorLog.compareAndSet(last, now)) {
      log.warn(
          "internal error answering {}: {} (answered SERVFAIL; {} so far)",
          what,
          e.toString(),
          counters.internalErrorCount());
    }
    log.debug("internal error detail", e);
    if (packet.length < WireHeader.LENGTH) {
      return null;
    }
    if (request != null) {
      try {
        Message reply = builder.error(request, Rcode.SERVFAIL);
        signature.sign(reply);
        return Unpooled.wrappedBuffer(encoder.encode(reply, request));
      } catch (RuntimeException again) {
        log.debug("SERVFAIL with question failed too", again);
      }
    }
    return Unpooled.wrappedBuffer(WireHeader.headerOnlyReply(packet, Rcode.SERVFAIL));
  }
}
