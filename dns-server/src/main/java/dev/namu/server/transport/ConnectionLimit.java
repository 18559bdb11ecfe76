package dev.namu.server.transport;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts open TCP connections against a limit, without locks. */
final class ConnectionLimit {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionLimit(int max) {
    this.max = max;
  }

  boolean tryAcquire() {
    while (true) {
      int now = open.get();
      if (now >= max) {
        return false;
      }
      if (open.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  void release() {
    open.decrementAndGet();
  }

  int open() {
    return open.get();
  }
}
