package dev.namu.server.pipeline;

import java.util.concurrent.atomic.LongAdder;

/** Counts of what the pipeline did, cheap to bump from every event loop at once. */
public final class ServerCounters {
  private final LongAdder received = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder preparedHits = new LongAdder();
  private final LongAdder resolvedHits = new LongAdder();
  private final LongAdder formErr = new LongAdder();
  private final LongAdder notImp = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder badVers = new LongAdder();
  private final LongAdder internalErrors = new LongAdder();

  void countReceived() {
    received.increment();
  }

  void countDropped() {
    dropped.increment();
  }

  void countPreparedHit() {
    preparedHits.increment();
  }

  void countResolvedHit() {
    resolvedHits.increment();
  }

  void countRcode(int rcode) {
    switch (rcode) {
      case 1 -> formErr.increment();
      case 4 -> notImp.increment();
      case 5 -> refused.increment();
      case 16 -> badVers.increment();
      default -> {}
    }
  }

  void countInternalError() {
    internalErrors.increment();
  }

  public long receivedCount() {
    return received.sum();
  }

  public long droppedCount() {
    return dropped.sum();
  }

  public long preparedHits() {
    return preparedHits.sum();
  }

  /** Queries answered from a kept copy of a resolver's reply. */
  public long resolvedHits() {
    return resolvedHits.sum();
  }

  public long formErrCount() {
    return formErr.sum();
  }

  public long notImpCount() {
    return notImp.sum();
  }

  public long refusedCount() {
    return refused.sum();
  }

  public long badVersCount() {
    return badVers.sum();
  }

  /** Unexpected exceptions turned into SERVFAIL: each one is a bug to fix. */
  public long internalErrorCount() {
    return internalErrors.sum();
  }
}
