package dev.namu.resolver.validate;

import dev.namu.resolver.iterate.ResolutionFailure;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * One answer being judged, handed through dnsjava's validator as the executor of its lookups
 * (the one thing it passes from a question to the lookups it makes for it): the answer itself,
 * given to the validator's first question instead of a lookup, and the first chain lookup that
 * failed, which makes a verdict that is no proof of anything (RFC 4035 4.3: data that could not
 * be checked is not bogus). Its own per judgment, so concurrent judgments of one question never
 * see each other's state.
 */
final class Judgment implements Executor {
  private final Record question;
  private final Message answer;
  private final Executor executor;
  private final AtomicBoolean answered = new AtomicBoolean();
  private final AtomicReference<ChainFailure> failure = new AtomicReference<>();

  /** A DS or DNSKEY lookup of the chain that did not resolve. */
  record ChainFailure(Record question, ResolutionFailure cause) {}

  Judgment(Record question, Message answer, Executor executor) {
    this.question = question;
    this.answer = answer;
    this.executor = executor;
  }

  /** The answer judged, the first time {@code q} is its question; null otherwise. */
  Message answerFor(Record q) {
    return q.equals(question) && answered.compareAndSet(false, true) ? answer : null;
  }

  void failed(Record q, ResolutionFailure cause) {
    failure.compareAndSet(null, new ChainFailure(q, cause));
  }

  /** The first chain lookup that failed, or null. */
  ChainFailure failure() {
    return failure.get();
  }

  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }
}
