package dev.namu.zones.file;

import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * The outcome of loading a directory of zone files.
 *
 * @param zones the zones that loaded, in file name order
 * @param problems the problems of the zones that did not (those zones are left out); a problem
 *     may name an {@code $INCLUDE}d file rather than the zone file itself
 * @param failed the origins of the zone files that did not load (use this, not the problems'
 *     file names, to tell which zones failed)
 */
public record ZoneDirectoryLoad(List<ZoneSnapshot> zones, List<ZoneProblem> problems, List<Name> failed) {

  public ZoneDirectoryLoad {
    zones = List.copyOf(zones);
    problems = List.copyOf(problems);
    failed = List.copyOf(failed);
  }

  /** A load with no list of failed zones (kept for callers that build one by hand). */
  public ZoneDirectoryLoad(List<ZoneSnapshot> zones, List<ZoneProblem> problems) {
    this(zones, problems, List.of());
  }
}
