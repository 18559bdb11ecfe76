package dev.namu.server.pipeline;

import dev.namu.resolver.Answer;
import dev.namu.resolver.UpstreamTrace;
import java.util.Iterator;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * What a handler gives back for one request, a closed set: the {@link ReplyWriter} writes the
 * messages, and the transport sends what it writes.
 */
public sealed interface Outcome
    permits Outcome.Answered,
        Outcome.RcodeOnly,
        Outcome.RcodeLater,
        Outcome.Resolving,
        Outcome.Stream,
        Outcome.Nothing {

  /**
   * A reply ready now.
   *
   * @param fromSnapshot true when the reply depends on nothing but the zone snapshot and the
   *     question (so it may be prepared once and reused)
   */
  record Answered(Message reply, boolean fromSnapshot) implements Outcome {}

  /**
   * A reply of an rcode alone: the header, the question (an UPDATE's zone, RFC 2136 3.8) and our
   * OPT when the query had one.
   */
  record RcodeOnly(int rcode) implements Outcome {}

  /** As {@link RcodeOnly}, with an rcode known later: an UPDATE's, applied off the event loop. */
  record RcodeLater(CompletionStage<Integer> rcode) implements Outcome {}

  /**
   * The resolver's answer, now (from its cache) or later (work done off the event loop).
   *
   * @param mayKeep true when the answer is for a name in no served zone, asked by any client that
   *     may recurse (so a copy of its reply may serve the same question again while its TTLs last)
   * @param trace what the resolution did (its upstream queries), or null when not traced
   */
  record Resolving(CompletionStage<Answer> answer, boolean mayKeep, UpstreamTrace trace) implements Outcome {
    /** An answer whose resolution is not traced. */
    public Resolving(CompletionStage<Answer> answer, boolean mayKeep) {
      this(answer, mayKeep, null);
    }
  }

  /**
   * Several messages for one request, sent in order over TCP (a zone transfer, RFC 5936 2.2);
   * over UDP only the first, as one request gets one datagram. The sequence may come later (read
   * off the event loop); each message is made when the transport takes it.
   */
  record Stream(CompletionStage<Iterator<Message>> messages) implements Outcome {
    /** A stream whose messages can be made now. */
    public Stream(Iterator<Message> messages) {
      this(java.util.concurrent.CompletableFuture.completedFuture(messages));
    }
  }

  /** Nothing to send. */
  record Nothing() implements Outcome {}
}
