package dev.namu.server.transfer;

import dev.namu.zones.edit.SerialNumber;
import dev.namu.zones.store.JournalEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The condensed difference between two serials of a stored zone, read from its journal (RFC 1995
 * 4: a server may send the differences condensed into one, "each record removed or added once").
 *
 * @param old the zone's SOA at the serial asked for
 * @param removed records in the old version that are not in the current one (SOA aside)
 * @param added records in the current version that were not in the old one (SOA aside)
 */
public record JournalDifference(SOARecord old, List<Record> removed, List<Record> added) {
  public JournalDifference {
    removed = List.copyOf(removed);
    added = List.copyOf(added);
  }

  public int size() {
    return removed.size() + added.size();
  }

  /**
   * The difference from {@code from} to {@code to}, when {@code journal} (oldest first) holds an
   * unbroken chain of changes between them; empty when it does not reach back that far, or a
   * change in between replaced or recreated the zone.
   */
  public static Optional<JournalDifference> between(List<JournalEntry> journal, long from, long to) {
    int start = -1;
    for (int i = journal.size() - 1; i >= 0; i--) {
      JournalEntry e = journal.get(i);
      if (e.serialBefore().isPresent() && e.serialBefore().getAsLong() == from) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      return Optional.empty();
    }
    SOARecord old = null;
    // keyed by record and TTL: dnsjava's Record.equals ignores the TTL, and a TTL change is a
    // removal and an addition (RFC 1995 4)
    Map<Key, Record> removed = new LinkedHashMap<>();
    Map<Key, Record> added = new LinkedHashMap<>();
    long serial = from;
    for (int i = start; i < journal.size(); i++) {
      JournalEntry e = journal.get(i);
      if (e.serialBefore().isEmpty() || e.serialBefore().getAsLong() != serial || e.serialAfter().isEmpty()) {
        return Optional.empty();
      }
      for (Record r : e.removed()) {
        if (r.getType() == Type.SOA) {
          old = old == null ? (SOARecord) r : old;
          continue;
        }
        Key k = new Key(r, r.getTTL());
        if (added.remove(k) == null) {
          removed.put(k, r);
        }
      }
      for (Record r : e.added()) {
        if (r.getType() == Type.SOA) {
          continue;
        }
        Key k = new Key(r, r.getTTL());
        if (removed.remove(k) == null) {
          added.put(k, r);
        }
      }
      serial = e.serialAfter().getAsLong();
      if (serial == to) {
        return old == null ? Optional.empty()
            : Optional.of(new JournalDifference(old, new ArrayList<>(removed.values()), new ArrayList<>(added.values())));
      }
      if (!SerialNumber.isNewer(serial, from)) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private record Key(Record record, long ttl) {}
}
