package dev.namu.server.api;

import dev.namu.zones.model.ZoneProblem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** What the API asks of the running server beyond zone data: reload and counters. */
public interface ServerControl {

  /**
   * Result of a reload: how many file zones load, each problem of a zone file (that zone keeps its
   * old version), the settings of the config file applied, and those changed that only a restart
   * applies (config file keys, as {@code recursion.allow}).
   */
  record ReloadReport(int zonesLoaded, List<ZoneProblem> problems, List<String> applied,
      List<String> needsRestart) {
    public ReloadReport {
      problems = List.copyOf(problems);
      applied = List.copyOf(applied);
      needsRestart = List.copyOf(needsRestart);
    }

    /** The zone files alone were read again. */
    public ReloadReport(int zonesLoaded, List<ZoneProblem> problems) {
      this(zonesLoaded, problems, List.of(), List.of());
    }
  }

  /** A reload that changed nothing: the settings read cannot be used, for the one-line reason given. */
  final class ReloadRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReloadRefused(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * Reads the config file and the zone files again and applies what changed.
   *
   * @throws ReloadRefused when the new settings cannot be used: nothing changed
   */
  ReloadReport reload();

  Instant startedAt();

  /** Queries answered since start, when the server counts them. */
  OptionalLong queriesAnswered();

  /**
   * How namud would answer {@code name}/{@code type} (null: A) for {@code client} (null: the API's
   * caller), and why, as a JSON object ({@code GET /api/v1/explain}).
   *
   * @throws IllegalArgumentException with a one-line reason for a bad name, type or client
   * @throws UnsupportedOperationException when this server cannot explain
   */
  default Map<String, Object> explain(String name, String type, String client) {
    throw new UnsupportedOperationException("this namud does not explain its answers");
  }

  /**
   * The pipeline's counts, by name: packets received, replies by rcode, opcode, transport and
   * source, drops by reason, internal errors (empty when the server keeps none).
   */
  default Map<String, Object> counters() {
    return Map.of();
  }

  /**
   * The zones served as a secondary, by origin: their state, last refresh and its result, for the
   * zone list (empty when there are none).
   */
  default Map<org.xbill.DNS.Name, Map<String, Object>> secondaryZones() {
    return Map.of();
  }

  /** The views of split horizon, whose records the API edits; empty when none are configured. */
  default java.util.Optional<dev.namu.server.views.ServedViews> views() {
    return java.util.Optional.empty();
  }
}
