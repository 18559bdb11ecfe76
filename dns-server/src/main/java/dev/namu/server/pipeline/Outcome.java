package dev.namu.server.pipeline;

import dev.namu.resolver.Answer;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/** How a request was answered by the dispatcher. */
public sealed interface Outcome permits Outcome.Answered, Outcome.Deferred, Outcome.Resolving {

  /**
   * A reply ready now.
   *
   * @param fromSnapshot true when the reply depends on nothing but the zone snapshot and the
   *     question (so it may be prepared once and reused)
   */
  record Answered(Message reply, boolean fromSnapshot) implements Outcome {}

  /** A reply that arrives later: a zone's CNAME chain continued by recursion. */
  record Deferred(CompletionStage<Message> reply) implements Outcome {}

  /**
   * The resolver's answer, now (from its cache) or later (work done off the event loop).
   *
   * @param mayKeep true when the answer is for a name in no served zone, asked by any client that
   *     may recurse (so a copy of its reply may serve the same question again while its TTLs last)
   */
  record Resolving(CompletionStage<Answer> answer, boolean mayKeep) implements Outcome {}
}
