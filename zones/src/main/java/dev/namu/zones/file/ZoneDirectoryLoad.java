package dev.namu.zones.file;

import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import java.util.List;

/**
 * The outcome of loading a directory of zone files.
 *
 * @param zones the zones that loaded, in file name order
 * @param problems the problems of the zones that did not (those zones are left out)
 */
public record ZoneDirectoryLoad(List<ZoneSnapshot> zones, List<ZoneProblem> problems) {

  public ZoneDirectoryLoad {
    zones = List.copyOf(zones);
    problems = List.copyOf(problems);
  }
}
