package dev.namu.server.api;

import dev.namu.zones.model.ZoneProblem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** What the API asks of the running server beyond zone data: reload and counters. */
public interface ServerControl {

  /** Result of re-reading the zone files: how many zones load, and each problem (old version kept). */
  record ReloadReport(int zonesLoaded, List<ZoneProblem> problems) {
    public ReloadReport {
      problems = List.copyOf(problems);
    }
  }

  ReloadReport reload();

  Instant startedAt();

  /** Queries answered since start, when the server counts them. */
  OptionalLong queriesAnswered();

  /**
   * The pipeline's counts, by name: packets received, replies by rcode, opcode, transport and
   * source, drops by reason, internal errors (empty when the server keeps none).
   */
  default Map<String, Object> counters() {
    return Map.of();
  }
}
