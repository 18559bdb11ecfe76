package dev.namu.server.metrics;

import dev.namu.server.pipeline.AnswerTimes;
import dev.namu.server.pipeline.ReplyCounters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The time to answer as a Prometheus histogram, one for the zones' general path and one for the
 * resolver. Fixed buckets from 50 µs (a general-path answer on a quiet machine) to 5 s (the
 * resolver's whole budget for a slow upstream), so recording is a few adds, no allocation.
 */
public final class AnswerTimers implements AnswerTimes {
  private static final Duration[] BUCKETS = {
    Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000),
    Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
    Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
    Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
    Duration.ofSeconds(5)
  };

  private final Timer zone;
  private final Timer resolver;

  public AnswerTimers(MeterRegistry registry) {
    this.zone = timer(registry, "zone");
    this.resolver = timer(registry, "resolver");
  }

  private static Timer timer(MeterRegistry registry, String source) {
    return Timer.builder("namu.answer.duration")
        .description("Time from decoding a query to its reply written: zone (general path, not the"
            + " prepared answers) or resolver")
        .tag("source", source)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  @Override
  public void record(ReplyCounters.Source source, long nanos) {
    (source == ReplyCounters.Source.RESOLVER ? resolver : zone).record(nanos, TimeUnit.NANOSECONDS);
  }
}
