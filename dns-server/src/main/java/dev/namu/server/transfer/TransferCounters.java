package dev.namu.server.transfer;

import java.util.concurrent.atomic.LongAdder;

/** Counts of zone transfers served and NOTIFYs sent, for the metrics. */
public final class TransferCounters {
  /** How a transfer request was answered. */
  public enum Kind { AXFR, IXFR, REFUSED }

  private final LongAdder[] transfers = {new LongAdder(), new LongAdder(), new LongAdder()};
  private final LongAdder notifiesSent = new LongAdder();
  private final LongAdder notifiesFailed = new LongAdder();

  public void transfer(Kind kind) {
    transfers[kind.ordinal()].increment();
  }

  public long transfers(Kind kind) {
    return transfers[kind.ordinal()].sum();
  }

  /** A NOTIFY went out (each try counts). */
  public void notifySent() {
    notifiesSent.increment();
  }

  /** A secondary was not told: every try went unanswered or was refused. */
  public void notifyFailed() {
    notifiesFailed.increment();
  }

  public long notifiesSent() {
    return notifiesSent.sum();
  }

  public long notifiesFailed() {
    return notifiesFailed.sum();
  }
}
