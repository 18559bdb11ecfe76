package dev.namu.zones.model;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** Searches in a snapshot's record list, which is in canonical owner order (RFC 4034 6.1). */
public final class CanonicalOrder {
  private CanonicalOrder() {}

  /** Index of the first record in sorted[from..] whose owner is not before {@code name}. */
  public static int firstAtOrAfter(List<Record> sorted, Name name, int from) {
    int lo = from;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).getName().compareTo(name) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
