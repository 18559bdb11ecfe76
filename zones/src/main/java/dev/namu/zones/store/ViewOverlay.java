package dev.namu.zones.store;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The records one view lays over one zone (split horizon), as stored: keyed by (zone, view).
 *
 * @param zone the zone's origin
 * @param view the view's name, as namud's config names it
 * @param records the view's records in the zone, all of them
 */
public record ViewOverlay(Name zone, String view, List<Record> records) {
  public ViewOverlay {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(view, "view");
    records = List.copyOf(records);
  }
}
