package dev.namu.server.metrics;

import dev.namu.resolver.CacheStats;
import dev.namu.server.api.ApiEdits;
import dev.namu.server.intake.Transport;
import dev.namu.server.intake.WireGate;
import dev.namu.server.pipeline.ReplyCounters;
import dev.namu.server.secondary.RefreshState;
import dev.namu.server.secondary.SecondaryStatus;
import dev.namu.server.secondary.Secondaries;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneSet;
import dev.namu.server.transfer.TransferCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;

/**
 * namud's counts as Micrometer meters. Every meter reads a count the server keeps anyway (the
 * {@link ReplyCounters} adders, the resolver's cache stats, the published zone set, the TCP
 * connection table) when it is scraped, so the request path does no work for metrics.
 *
 * <p>Reply kinds (source, transport, opcode, rcode; source and question type) are many and most
 * are never seen: a kind's counter is registered at the first scrape after its first reply, so the
 * output lists only kinds that happened, and a counter once listed stays (Prometheus counters must
 * not vanish). UPDATEs by rcode are the replies of opcode UPDATE, read from the same counts: one
 * count per reply, made where every reply is written.
 */
public final class NamudMeters {
  private final MeterRegistry registry;
  private final ReplyCounters counters;
  private final Supplier<ZoneSet> zones;
  private final MultiGauge zoneSerials;
  private final MultiGauge zoneRecords;
  /**
   * What the function meters read, held here: a meter holds its object by a weak reference only,
   * and a lambda or method reference made for it alone would be collected at the next GC, its
   * meter reading NaN from then on. The endpoint holds these meters for as long as it serves.
   */
  private final List<Object> read;

  /**
   * Counts of zone transfers served ({@code namu_transfers_total} by kind: axfr, ixfr, refused) and
   * NOTIFYs sent and failed. {@code transfers} must live as long as the registry (meters hold
   * their objects weakly): the server keeps it.
   */
  public void transfers(TransferCounters transfers) {
    for (TransferCounters.Kind kind : TransferCounters.Kind.values()) {
      FunctionCounter.builder("namu.transfers", transfers, t -> t.transfers(kind))
          .description("Zone transfer requests by answer: the whole zone (axfr, an IXFR answered so"
              + " included), differences or the SOA alone (ixfr), refused by the zone's allow-transfer")
          .tag("kind", lower(kind.name()))
          .register(registry);
    }
    FunctionCounter.builder("namu.notify.sent", transfers, TransferCounters::notifiesSent)
        .description("NOTIFY messages sent to secondaries, each try counted")
        .register(registry);
    FunctionCounter.builder("namu.notify.failed", transfers, TransferCounters::notifiesFailed)
        .description("NOTIFYs no secondary answered NOERROR after every try")
        .register(registry);
  }

  /**
   * @param zones the zone set being served
   * @param tcpConnections TCP connections open now
   * @param edits the admin API's zone edits by result
   * @param resolver the resolver's counts, when recursion is on
   */
  public NamudMeters(MeterRegistry registry, ReplyCounters counters, Supplier<ZoneSet> zones,
      IntSupplier tcpConnections, ApiEdits edits, Optional<Supplier<CacheStats>> resolver) {
    this.registry = registry;
    this.counters = counters;
    this.zones = zones;
    this.read = List.of(counters, zones, tcpConnections, edits, resolver);
    FunctionCounter.builder("namu.queries.received", counters, ReplyCounters::receivedCount)
        .description("DNS messages that reached the pipeline (UDP datagrams and TCP messages)")
        .register(registry);
    for (WireGate.DropReason reason : WireGate.DropReason.values()) {
      FunctionCounter.builder("namu.dropped", counters, c -> c.droppedCount(reason))
          .description("Packets that got no reply: runts, and responses (QR set)")
          .tag("reason", lower(reason.name()))
          .register(registry);
    }
    FunctionCounter.builder("namu.malformed", counters, ReplyCounters::malformedCount)
        .description("Packets answered FORMERR by the header triage or the decoder (malformed)")
        .register(registry);
    for (ApiEdits.Result result : ApiEdits.Result.values()) {
      FunctionCounter.builder("namu.api.edits", edits, e -> e.count(result))
          .description("Zone edits asked of the admin API, by result")
          .tag("result", result.label())
          .register(registry);
    }
    for (boolean slipped : new boolean[] {false, true}) {
      FunctionCounter.builder("namu.rrl.limited", counters,
              c -> slipped ? c.limitedSlippedCount() : c.limitedDroppedCount())
          .description("UDP replies response rate limiting held back: dropped, or sent truncated (slipped)")
          .tag("action", slipped ? "slipped" : "dropped")
          .register(registry);
    }
    FunctionCounter.builder("namu.internal.errors", counters, ReplyCounters::internalErrorCount)
        .description("Failures of namud turned into SERVFAIL; each one is a bug")
        .register(registry);
    Gauge.builder("namu.tcp.connections", tcpConnections, IntSupplier::getAsInt)
        .description("TCP connections open now")
        .register(registry);
    zoneSerials = MultiGauge.builder("namu.zone.serial")
        .description("SOA serial of each zone served").register(registry);
    zoneRecords = MultiGauge.builder("namu.zone.records")
        .description("Records in each zone served").register(registry);
    resolver.ifPresent(this::resolverMeters);
    refresh();
  }

  /**
   * Each secondary zone's serial (NaN before the first transfer), state (1 for the one it is in),
   * end of its last refresh, and refreshes by result; read from their status when scraped.
   */
  public void secondaryZones(Secondaries secondaries) {
    for (SecondaryStatus initial : secondaries.statuses()) {
      Name origin = initial.origin();
      String zone = origin.toString();
      Gauge.builder("namu.secondary.serial", secondaries,
              s -> s.status(origin).serial().stream().mapToDouble(v -> v).findFirst().orElse(Double.NaN))
          .description("SOA serial of each secondary zone's copy").tag("zone", zone).register(registry);
      for (RefreshState state : RefreshState.values()) {
        Gauge.builder("namu.secondary.state", secondaries, s -> s.status(origin).state() == state ? 1 : 0)
            .description("State of each secondary zone: 1 for the one it is in (fresh, refreshing, expired)")
            .tags("zone", zone, "state", state.label()).register(registry);
      }
      Gauge.builder("namu.secondary.last.refresh", secondaries,
              s -> s.status(origin).lastRefresh().map(t -> t.toEpochMilli() / 1000.0).orElse(Double.NaN))
          .description("When each secondary zone's last refresh ended, as a Unix time")
          .baseUnit("timestamp_seconds").tag("zone", zone).register(registry);
      for (boolean ok : new boolean[] {true, false}) {
        FunctionCounter.builder("namu.secondary.refreshes", secondaries,
                s -> ok ? s.status(origin).refreshes() : s.status(origin).failures())
            .description("Refreshes of each secondary zone (SOA check, transfer when newer), by result")
            .tags("zone", zone, "result", ok ? "ok" : "failed").register(registry);
      }
    }
  }

  private void resolverMeters(Supplier<CacheStats> stats) {
    resolverCounter("namu.resolver.cache.hits", stats, CacheStats::hits,
        "Client questions answered from the resolver cache");
    resolverCounter("namu.resolver.cache.misses", stats, CacheStats::misses,
        "Client questions the resolver cache could not answer");
    resolverCounter("namu.resolver.cache.evictions", stats, CacheStats::evictions,
        "Resolver cache entries evicted for size");
    resolverCounter("namu.resolver.prefetches", stats, CacheStats::prefetches,
        "Popular resolver cache entries refreshed before they expired");
    resolverCounter("namu.resolver.stale.answers", stats, CacheStats::staleServed,
        "Answers served stale (RFC 8767)");
    resolverCounter("namu.resolver.upstream.queries", stats, CacheStats::upstreamQueries,
        "Queries the resolver sent to upstream servers");
    resolverCounter("namu.resolver.upstream.timeouts", stats, CacheStats::upstreamTimeouts,
        "Queries to upstream servers that got no reply within the server timeout");
    // count and sum (a summary): the mean RTT over any window is rate(sum) / rate(count)
    FunctionTimer.builder("namu.resolver.upstream.rtt", stats, s -> s.get().upstreamReplies(),
            s -> s.get().upstreamRttNanos(), TimeUnit.NANOSECONDS)
        .description("Round-trip time of the upstream queries that got a reply")
        .register(registry);
    resolverCounter("namu.resolver.servfails", stats, CacheStats::servfails,
        "SERVFAIL given by the resolver");
    resolverGauge("namu.resolver.cache.entries", stats, CacheStats::entries,
        "Entries in the resolver's answer and RRset caches");
    resolverGauge("namu.resolver.cache.bytes", stats, CacheStats::weightBytes,
        "Estimated bytes held by the resolver caches");
    resolverGauge("namu.resolver.in.flight", stats, CacheStats::inFlight,
        "Resolutions running now");
    refusedInFlight("client", stats, CacheStats::refusedClient);
    refusedInFlight("total", stats, CacheStats::refusedTotal);
    refusedInFlight("zone", stats, CacheStats::refusedZone);
  }

  /** Questions answered SERVFAIL at once because one bound on work in flight was full. */
  private void refusedInFlight(String bound, Supplier<CacheStats> stats, ToDoubleFunction<CacheStats> count) {
    FunctionCounter.builder("namu.resolver.refused.in.flight", stats, s -> count.applyAsDouble(s.get()))
        .tag("bound", bound)
        .description("Questions answered SERVFAIL at once: a bound on resolutions in flight"
            + " (per client, in total) or on queries in flight to one zone's servers was full")
        .register(registry);
  }

  private void resolverCounter(String name, Supplier<CacheStats> stats,
      ToDoubleFunction<CacheStats> count, String description) {
    FunctionCounter.builder(name, stats, s -> count.applyAsDouble(s.get()))
        .description(description).register(registry);
  }

  private void resolverGauge(String name, Supplier<CacheStats> stats,
      ToDoubleFunction<CacheStats> value, String description) {
    Gauge.builder(name, stats, s -> value.applyAsDouble(s.get()))
        .description(description).register(registry);
  }

  /**
   * Brings the meters that follow what exists up to date before a scrape: a counter for each reply
   * kind seen since, and the zones' gauges for the zone set now served.
   */
  public void refresh() {
    counters.forEachKindSeen(this::replyCounter);
    counters.forEachQtypeSeen(this::qtypeCounter);
    List<MultiGauge.Row<?>> serials = new ArrayList<>();
    List<MultiGauge.Row<?>> records = new ArrayList<>();
    for (ZoneSnapshot zone : zones.get().zones()) {
      Tags tags = Tags.of("zone", zone.origin().toString());
      serials.add(MultiGauge.Row.of(tags, zone.serial()));
      records.add(MultiGauge.Row.of(tags, zone.records().size()));
    }
    // overwrite: a zone removed since the last scrape leaves the output
    zoneSerials.register(serials, true);
    zoneRecords.register(records, true);
  }

  /** Registers the counter of one reply kind; registering one already there returns it. */
  private void replyCounter(ReplyCounters.Source source, Transport transport, int opcode, int rcode) {
    FunctionCounter.builder("namu.replies", counters, c -> c.replyCount(source, transport, opcode, rcode))
        .description("Replies sent, by where they came from, transport, opcode and rcode")
        .tag("source", lower(source.name()))
        .tag("transport", lower(transport.name()))
        .tag("opcode", Opcode.string(opcode))
        .tag("rcode", Rcode.string(rcode))
        .register(registry);
    if (opcode == Opcode.UPDATE) {
      updateCounter(rcode);
    }
  }

  /** Registers the counter of an UPDATE rcode, once. */
  private void updateCounter(int rcode) {
    FunctionCounter.builder("namu.updates", counters, c -> c.replyCount(Opcode.UPDATE, rcode))
        .description("RFC 2136 UPDATEs answered, by rcode")
        .tag("rcode", Rcode.string(rcode))
        .register(registry);
  }

  /** Registers the counter of one source and question type; registering one there returns it. */
  private void qtypeCounter(ReplyCounters.Source source, String qtype) {
    FunctionCounter.builder("namu.replies.by.qtype", counters, c -> c.qtypeCount(source, qtype))
        .description("Replies to queries, by where they came from and question type")
        .tag("source", lower(source.name()))
        .tag("qtype", qtype)
        .register(registry);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
