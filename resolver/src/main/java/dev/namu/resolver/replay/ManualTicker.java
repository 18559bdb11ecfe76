package dev.namu.resolver.replay;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told (TIME_PASSES); the replay's only notion of time. */
public final class ManualTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

  @Override
  public long read() {
    return nanos.get();
  }

  public void advanceSeconds(double seconds) {
    nanos.addAndGet((long) (seconds * 1_000_000_000L));
  }
}
