package dev.namu.zones.edit;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * An edit of one zone as immutable data: prerequisites that must hold first (RFC 2136 2.4), then
 * operations applied in order. Applied by {@link ZoneEditor} all together or not at all.
 */
public record ZoneChange(Name origin, List<Prerequisite> prerequisites, List<RecordOperation> operations,
    ChangeMode mode) {

  public ZoneChange {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(mode, "mode");
    prerequisites = List.copyOf(prerequisites);
    operations = List.copyOf(operations);
  }

  /** A strict change without prerequisites. */
  public static ZoneChange of(Name origin, List<RecordOperation> operations) {
    return new ZoneChange(origin, List.of(), operations, ChangeMode.STRICT);
  }

  public static ZoneChange of(Name origin, RecordOperation... operations) {
    return of(origin, List.of(operations));
  }
}
