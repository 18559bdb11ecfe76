package dev.namu.server.pipeline;

import dev.namu.resolver.Answer;
import dev.namu.resolver.UpstreamTrace;
import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.auth.ResponseEncoder;
import dev.namu.server.cookies.CookieCheck;
import dev.namu.server.ratelimit.ResponseRateLimiter;
import dev.namu.server.ratelimit.Slip;
import dev.namu.server.pipeline.ReplyCounters.Source;
import dev.namu.server.intake.EarlyError;
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
import dev.namu.server.views.ServedViews;
import dev.namu.zones.registry.ZoneSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

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
  private final Dispatcher dispatcher;
  private final PreparedAnswers prepared;
  private final ReplyWriter writer;
  private final AtomicLong lastErrorLog = new AtomicLong(System.nanoTime() - ERROR_LOG_INTERVAL_NANOS);
  private final ResolvedAnswers resolved;
  private final AnswerTimes times;
  private final AnswerReply answerReply = new AnswerReply();
  /** Rate limiting of UDP replies, or null when it is off. */
  private final ResponseRateLimiter limiter;
  /** The views of split horizon, or null when there are none (every client gets the common zones). */
  private final ServedViews views;
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
   * @param writer writes and counts every reply
   * @param resolved the resolver's replies kept as wire copies, answering repeated questions from
   *     clients that may recurse (null: none)
   * @param times learns how long the general path and the resolver took
   * @param limiter rate limits UDP replies (null: none)
   */
  public QueryProcessor(
      Supplier<ZoneSet> zones,
      Dispatcher dispatcher,
      PreparedAnswers prepared,
      ReplyWriter writer,
      ResolvedAnswers resolved,
      AnswerTimes times,
      ResponseRateLimiter limiter) {
    this(zones, dispatcher, prepared, writer, resolved, times, limiter, null);
  }

  /** As above; a client in one of {@code views} (null: none) is answered from its view's zones. */
  public QueryProcessor(
      Supplier<ZoneSet> zones,
      Dispatcher dispatcher,
      PreparedAnswers prepared,
      ReplyWriter writer,
      ResolvedAnswers resolved,
      AnswerTimes times,
      ResponseRateLimiter limiter,
      ServedViews views) {
    this.views = views;
    this.limiter = limiter;
    this.times = java.util.Objects.requireNonNull(times, "times");
    this.gate = new WireGate(dispatcher::supports);
    this.decoder = new RequestDecoder();
    this.zones = zones;
    this.dispatcher = dispatcher;
    this.prepared = prepared;
    this.writer = writer;
    this.resolved = resolved;
  }

  public ReplyCounters counters() {
    return writer.counters();
  }

  public Reply process(
      byte[] packet, Transport transport, InetSocketAddress peer, ByteBufAllocator alloc) {
    writer.counters().countReceived();
    long started = writer.logging() ? System.nanoTime() : 0L;
    try {
      WireGate.Verdict verdict = gate.triage(packet);
      if (verdict instanceof WireGate.Drop drop) {
        writer.dropped(drop.reason());
        return Reply.NONE;
      }
      if (verdict instanceof WireGate.Reject reject) {
        return limited(
            writer.early(packet, EarlyError.afterTriage(packet, reject.rcode()), transport, peer, started),
            null, transport, peer, alloc, null, CookieCheck.NONE, started);
      }
      // a client in a view gets its view's zones and their prepared answers; with no views
      // configured this is one null check
      ZoneSet common = zones.get();
      int view = views == null ? -1 : views.viewOf(peer.getAddress());
      ZoneSet snapshot = view < 0 ? common : views.zones(view, common);
      PreparedAnswers ready = view < 0 ? prepared : views.prepared(view);
      // read in place: a hit allocates nothing but its reply; only a QUERY has prepared answers
      QuestionProbe probe = probes.get();
      boolean plain =
          (prepared != null || resolved != null)
              && WireHeader.opcode(packet) == Opcode.QUERY
              && probe.scan(packet);
      if (plain) {
        int limit = probe.replyLimit(transport);
        byte[] hit = ready == null ? null : ready.find(snapshot, probe);
        if (hit != null && hit.length <= limit) {
          return limited(
              writer.prepared(hit, packet, probe.nameLength(), probe.qtype(), transport, peer, alloc, started),
              hit, transport, peer, alloc, null, CookieCheck.NONE, started);
        }
        // The recursion ACL is checked before the copies, as the general path checks it before
        // the resolver: a client that may not recurse never gets a resolver's answer.
        if (hit == null && resolved != null && writer.recursionAvailable(peer)) {
          // kept under the common set: a view changes records in served zones, never which names
          // are served, so a resolved answer is the same in every view
          ByteBuf wire = resolved.serve(common, probe, packet, limit, alloc);
          if (wire != null) {
            return new Reply.Now(writer.cached(wire, probe.qtype(), transport, peer, started));
          }
        }
      }
      return general(packet, transport, peer, alloc, common, snapshot, ready, view,
          plain ? probe.toScanned() : null, started);
    } catch (RuntimeException | StackOverflowError e) {
      return now(internalErrorWire(packet, transport, peer, null, RequestSignature.UNSIGNED, e, started));
    }
  }

  private Reply general(
      byte[] packet,
      Transport transport,
      InetSocketAddress peer,
      ByteBufAllocator alloc,
      ZoneSet common,
      ZoneSet snapshot,
      PreparedAnswers ready,
      int view,
      ScannedQuery scanned,
      long arrived) {
    // one clock read for the query log (taken on arrival when it is on) and the answer timers
    long started = arrived != 0L ? arrived : System.nanoTime();
    RequestDecoder.Decoding decoding = decoder.decode(packet, transport, peer, snapshot);
    if (decoding instanceof RequestDecoder.Rejected rejected) {
      return limited(writer.early(packet, rejected.error(), transport, peer, started),
          null, transport, peer, alloc, null, CookieCheck.NONE, started);
    }
    Request request = ((RequestDecoder.Decoded) decoding).request();
    CookieCheck cookie = writer.cookies() == null
        ? CookieCheck.NONE
        : CookieCheck.of(request.edns(), peer.getAddress(), writer.cookies());
    RequestSignature signature = RequestSignature.UNSIGNED;
    try {
      // RFC 8945 5.2: a signed request's TSIG is checked before anything else is done with it
      signature = signature(request, packet);
      request = request.signed(signature);
      if (signature.refusal() != Rcode.NOERROR) {
        if (request.opcode() == Opcode.UPDATE && signature instanceof RequestSignature.Failed failed) {
          log.info("UPDATE from {} refused: TSIG {} with key {}", peer.getAddress().getHostAddress(),
              Rcode.TSIGstring(failed.error()), failed.request().getName());
        }
        return limited(writer.error(request, signature.refusal(), signature, Source.SERVER, started),
            null, transport, peer, alloc, request, cookie, started);
      }
      if (views != null && signature instanceof RequestSignature.Verified) {
        // a view may match by TSIG key (BIND's match-clients "key NAME"): the first view that
        // matches the address or the key is the request's
        int keyed = views.viewOf(peer.getAddress(), request.tsig().getName());
        if (keyed != view && keyed >= 0) {
          request = request.withZones(views.zones(keyed, common));
        }
      }
      RequestSignature sign = signature;
      Request decoded = request;
      Outcome outcome = dispatcher.dispatch(request);
      if (outcome instanceof Outcome.Resolving resolving) {
        ScannedQuery keep = resolving.mayKeep() ? scanned : null;
        CompletableFuture<Answer> done = resolving.answer().toCompletableFuture();
        if (done.isDone() && !done.isCompletedExceptionally()) {
          // a cache hit: written now with the rest of the read batch (one flush, not one each)
          return new Reply.Now(Unpooled.wrappedBuffer(
              encodeAnswer(done.join(), decoded, sign, common, keep, started, resolving.trace())));
        }
        return new Reply.Later(
            resolving
                .answer()
                .handle(
                    (answer, failure) ->
                        failure == null
                            ? Unpooled.wrappedBuffer(
                                encodeAnswer(answer, decoded, sign, common, keep, started, resolving.trace()))
                            : internalErrorWire(packet, transport, peer, decoded, sign, failure, started)));
      }
      if (outcome instanceof Outcome.Nothing) {
        return Reply.NONE;
      }
      if (outcome instanceof Outcome.Stream stream) {
        return new Reply.Stream(stream.messages().thenApply(messages -> written(messages, decoded, sign, started)));
      }
      if (outcome instanceof Outcome.RcodeOnly only) {
        ByteBuf wire = writer.error(request, only.rcode(), signature, Source.ZONE, started);
        times.record(Source.ZONE, System.nanoTime() - started);
        return limited(wire, null, transport, peer, alloc, request, cookie, started);
      }
      if (outcome instanceof Outcome.RcodeLater later) {
        CompletableFuture<Integer> done = later.rcode().toCompletableFuture();
        if (done.isDone() && !done.isCompletedExceptionally()) {
          return new Reply.Now(writer.error(decoded, done.join(), sign, Source.SERVER, started));
        }
        return new Reply.Later(
            later
                .rcode()
                .handle(
                    (rcode, failure) ->
                        failure == null
                            ? writer.error(decoded, rcode, sign, Source.SERVER, started)
                            : internalErrorWire(packet, transport, peer, decoded, sign, failure, started)));
      }
      Outcome.Answered answered = (Outcome.Answered) outcome;
      byte[] wire = writer.write(answered.reply(), request, signature, Source.ZONE, false, started);
      // a signed query never takes a fast path (it does not scan), and its reply is never kept
      if (answered.fromSnapshot()
          && ready != null
          && scanned != null
          && signature == RequestSignature.UNSIGNED
          && !ResponseEncoder.truncated(wire)) {
        ready.store(snapshot, scanned.key(), ReplyWriter.forKeeping(wire), answered.reply());
      }
      times.record(Source.ZONE, System.nanoTime() - started);
      return limited(Unpooled.wrappedBuffer(wire), wire, transport, peer, alloc, request, cookie, started);
    } catch (RuntimeException | StackOverflowError e) {
      return now(internalErrorWire(packet, transport, peer, request, signature, e, started));
    }
  }

  /**
   * Response rate limiting, the last step of a UDP reply to a client that may not recurse (RRL
   * protects authoritative answers; recursion is only for trusted clients): the reply as it is,
   * nothing, or a truncated stand-in. TCP replies, clients with a valid server cookie (neither can
   * be spoofed) and the exempt ranges are never limited.
   *
   * @param content the reply's bytes as an array when the caller has them (the prepared answer
   *     it was copied from), else null: they are read from {@code wire}
   * @param request the decoded request, or null for a reply written before one existed
   */
  private Reply limited(
      ByteBuf wire,
      byte[] content,
      Transport transport,
      InetSocketAddress peer,
      ByteBufAllocator alloc,
      Request request,
      CookieCheck cookie,
      long started) {
    if (limiter == null
        || !transport.datagram()
        || cookie.verified()
        || writer.recursionAvailable(peer)
        || limiter.exempt(peer.getAddress())) {
      return new Reply.Now(wire);
    }
    byte[] bytes = content != null ? content
        : ByteBufUtil.getBytes(wire, wire.readerIndex(), wire.readableBytes(), false);
    ResponseRateLimiter.Verdict verdict = limiter.decide(bytes, peer.getAddress());
    if (verdict == ResponseRateLimiter.Verdict.SEND) {
      return new Reply.Now(wire);
    }
    writer.limited(verdict == ResponseRateLimiter.Verdict.SLIP);
    ByteBuf slipped = null;
    if (verdict == ResponseRateLimiter.Verdict.SLIP) {
      // As BIND: a client that sent a cookie is told BADCOOKIE with a server cookie made for it
      // (RFC 7873 5.2.3 allows it), so its next query carries a valid one and is never limited;
      // any other gets the truncated reply and retries over TCP.
      slipped = cookie.present() && request != null
          ? writer.error(request, Rcode.BADCOOKIE, request.signature(), Source.SERVER, started)
          : Slip.of(wire, alloc);
    }
    wire.release();
    return now(slipped);
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
    UpdateHandler keys = dispatcher.keys();
    if (keys == null) {
      return new RequestSignature.Failed(Rcode.BADKEY, tsig, null);
    }
    return keys.signature(request.query(), packet);
  }

  /**
   * Writes the resolver's answer as the client's reply; the reply to a plain query ({@code keep}
   * not null) is offered for keeping.
   */
  private byte[] encodeAnswer(
      Answer answer,
      Request request,
      RequestSignature signature,
      ZoneSet snapshot,
      ScannedQuery keep,
      long started,
      UpstreamTrace upstream) {
    Message reply = answerReply.reply(request, answer);
    byte[] wire = writer.write(reply, request, signature, Source.RESOLVER, false, started, upstream);
    times.record(Source.RESOLVER, System.nanoTime() - started);
    if (signature == RequestSignature.UNSIGNED && keep != null && resolved != null) {
      resolved.offer(snapshot, keep.key(), answer, wire, ResponseEncoder.whole(reply, wire));
    }
    return wire;
  }

  /**
   * The messages of a stream, each written (and signed, RFC 8945 5.3.1: every one, the first over
   * the request's MAC, the rest chained) when the transport takes it.
   */
  private java.util.Iterator<ByteBuf> written(
      java.util.Iterator<Message> messages, Request request, RequestSignature signature, long started) {
    return new java.util.Iterator<>() {
      private RequestSignature next = signature.streamStart();
      private byte[] first;
      private int count;
      private long bytes;

      @Override
      public boolean hasNext() {
        return messages.hasNext();
      }

      @Override
      public ByteBuf next() {
        Message m = messages.next();
        byte[] wire = writer.writeStreamed(m, request, next);
        next = next.following(m);
        if (first == null) {
          first = wire;
        }
        count++;
        bytes += wire.length;
        if (!messages.hasNext()) {
          writer.streamed(request, first, count, bytes, started); // the transfer is one reply
        }
        return Unpooled.wrappedBuffer(wire);
      }
    };
  }

  private static Reply now(ByteBuf wire) {
    return wire == null ? Reply.NONE : new Reply.Now(wire);
  }

  /** SERVFAIL for a failure of ours, counted and logged; null when the packet has no header. */
  private ByteBuf internalErrorWire(
      byte[] packet,
      Transport transport,
      InetSocketAddress peer,
      Request request,
      RequestSignature signature,
      Throwable e,
      long started) {
    writer.internalError();
    String what =
        request == null || request.question() == null
            ? "a message"
            : request.question().getName() + "/" + Type.string(request.question().getType());
    long now = System.nanoTime();
    long last = lastErrorLog.get();
    // clients may trigger a bug at will: at most one warning a second, all of them counted
    if (now - last >= ERROR_LOG_INTERVAL_NANOS && lastErrorLog.compareAndSet(last, now)) {
      log.warn(
          "internal error answering {}: {} (answered SERVFAIL; {} so far)",
          what,
          e.toString(),
          writer.counters().internalErrorCount());
    }
    log.debug("internal error detail", e);
    if (packet.length < WireHeader.LENGTH) {
      return null;
    }
    if (request != null) {
      try {
        return writer.error(request, Rcode.SERVFAIL, signature, Source.SERVER, started);
      } catch (RuntimeException again) {
        log.debug("SERVFAIL with question failed too", again);
      }
    }
    return writer.early(packet, EarlyError.headerOnly(Rcode.SERVFAIL), transport, peer, started);
  }
}
