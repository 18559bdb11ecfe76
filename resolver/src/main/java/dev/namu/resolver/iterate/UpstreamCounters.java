package dev.namu.resolver.iterate;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the queries sent to upstream servers: how many, how many got no reply in time, and the
 * round-trip times of those that got one. Shared by an engine and the engines reconfigured from it,
 * so the counts run on across a reload; bumped from the transport's threads, read by a scrape.
 */
final class UpstreamCounters {
  final LongAdder queries = new LongAdder();
  final LongAdder timeouts = new LongAdder();
  final LongAdder replies = new LongAdder();
  final LongAdder rttNanos = new LongAdder();
  /** The queries in flight per zone, bounded; shared for the same reason. */
  final ZoneQueries zones = new ZoneQueries();

  void reply(long rttNanos) {
    replies.increment();
    this.rttNanos.add(rttNanos);
  }
}
