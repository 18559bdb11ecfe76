package dev.namu.server.pipeline;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/** How a request was answered by the dispatcher. */
public sealed interface Outcome permits Outcome.Answered, Outcome.Deferred {

  /**
   * A reply ready now.
   *
   * @param fromSnapshot true when the reply depends on nothing but the zone snapshot and the
   *     question (so it may be prepared once and reused)
   */
  record Answered(Message reply, boolean fromSnapshot) implements Outcome {}

  /**
   * A reply that arrives later, from work done off the event loop (recursion).
   *
   * @param resolved true when the reply is the resolver's alone, for a name in no served zone (so
   *     a copy of it may serve the same question again while its TTLs last)
   */
  record Deferred(CompletionStage<Message> reply, boolean resolved) implements Outcome {
    /** A reply that is not the resolver's alone (a zone's CNAME chain continued by recursion). */
    public Deferred(CompletionStage<Message> reply) {
      this(reply, false);
    }
  }
}
