package dev.namu.server.views;

import dev.namu.zones.edit.RecordOperation;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The records of a view after an edit: the operations of RFC 2136 2.5 (and replace) applied to the
 * view's own records alone. Deleting a view's RRset lets the common zone's RRset of that name and
 * type show through again; the common zone itself is never changed by a view's edit.
 */
final class OverlayEdit {
  private OverlayEdit() {}

  /**
   * @throws IllegalArgumentException when an operation names a record outside {@code zone}
   */
  static List<Record> apply(List<Record> before, List<RecordOperation> operations, Name zone) {
    List<Record> records = new ArrayList<>(before);
    for (RecordOperation op : operations) {
      if (!op.name().subdomain(zone)) {
        throw new IllegalArgumentException(op.name() + " is outside the zone " + zone);
      }
      if (op instanceof RecordOperation.Add add) {
        // an equal record (owner, type, RDATA: dnsjava's equality) is replaced, so its TTL changes
        records.remove(add.record());
        records.add(add.record());
      } else if (op instanceof RecordOperation.Delete delete) {
        records.removeIf(r -> r.equals(delete.record()));
      } else if (op instanceof RecordOperation.DeleteRRset rrset) {
        records.removeIf(r -> r.getName().equals(rrset.name()) && r.getType() == rrset.type());
      } else if (op instanceof RecordOperation.DeleteName name) {
        records.removeIf(r -> r.getName().equals(name.name()));
      } else if (op instanceof RecordOperation.ReplaceRRset replace) {
        records.removeIf(r -> r.getName().equals(replace.name()) && r.getType() == replace.type());
        records.addAll(replace.records());
      }
    }
    return records;
  }
}
