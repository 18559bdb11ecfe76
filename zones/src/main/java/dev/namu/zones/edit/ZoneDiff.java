package dev.namu.zones.edit;

import dev.namu.zones.model.ZoneSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * What one committed edit did to one zone: the snapshots before (empty for a new zone) and after
 * (empty for a deleted zone), and the records removed and added (a changed TTL is a removal and an
 * addition, as in IXFR, RFC 1995).
 */
public record ZoneDiff(Name origin, Optional<ZoneSnapshot> before, Optional<ZoneSnapshot> after,
    List<Record> removed, List<Record> added) {
  public ZoneDiff {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    removed = List.copyOf(removed);
    added = List.copyOf(added);
  }
}
