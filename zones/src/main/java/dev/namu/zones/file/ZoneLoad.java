package dev.namu.zones.file;

import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of loading one zone file: the zone when it is good, else empty with the problems.
 *
 * @param zone the loaded zone, present only when there are no problems
 * @param problems every problem found, each with file and line
 */
public record ZoneLoad(Optional<ZoneSnapshot> zone, List<ZoneProblem> problems) {

  public ZoneLoad {
    Objects.requireNonNull(zone, "zone");
    problems = List.copyOf(problems);
  }

  static ZoneLoad loaded(ZoneSnapshot zone) {
    return new ZoneLoad(Optional.of(zone), List.of());
  }

  static ZoneLoad failed(List<ZoneProblem> problems) {
    return new ZoneLoad(Optional.empty(), problems);
  }

  /** True when the zone loaded and can be served. */
  public boolean ok() {
    return zone.isPresent();
  }
}
