package dev.namu.zones.edit;

import dev.namu.zones.model.CanonicalOrder;
import dev.namu.zones.model.Node;
import dev.namu.zones.model.SnapshotPatch;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import dev.namu.zones.sign.EditSigner;
import dev.namu.zones.sign.ZoneSigner;
import dev.namu.zones.sign.ZoneSigning;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Builds the snapshots of the zones namud signs, for their one writer: the records signed at the
 * writer's clock, and what changed against the snapshot before (signatures and NSEC/NSEC3 records
 * included, so the journal and IXFR carry them, RFC 1995).
 */
final class SignedSnapshots {

  private final ZoneSigner signer = new ZoneSigner();
  private final EditSigner editSigner = new EditSigner();
  private final Clock clock;

  SignedSnapshots(Clock clock) {
    this.clock = clock;
  }

  /**
   * The zone of {@code records} signed; the signatures in them are kept for the RRsets that did not
   * change (null: all are signed anew) where they still hold.
   */
  ZoneSnapshot sign(Name origin, Collection<Record> records, ZoneSigning signing, ZoneSigner.Changes changed)
      throws ZoneValidationException {
    return ZoneSnapshot.build(origin, signer.sign(origin, records, signing, changed, clock.instant()));
  }

  /**
   * The signed zone after an edit of a few names, made from the snapshot before it without going
   * over the whole zone: the names the edit touched and the NSEC/NSEC3 records that change are signed
   * again ({@link EditSigner}), every other name is taken over as it was ({@link SnapshotPatch}).
   * Empty when the edit needs the whole zone signed or built.
   */
  Optional<ZoneDiff> patch(ZoneSnapshot before, Map<Name, List<Record>> touched, ZoneSigning signing,
      ZoneSigner.Changes changed) {
    Optional<Map<Name, List<Record>>> namesAfter = editSigner.sign(before, touched, signing, changed,
        clock.instant());
    if (namesAfter.isEmpty()) {
      return Optional.empty();
    }
    Optional<ZoneSnapshot> after = SnapshotPatch.apply(before, namesAfter.get());
    if (after.isEmpty()) {
      return Optional.empty();
    }
    // what changed is at the names replaced, and only there
    List<Record> all = before.records();
    List<Record> removed = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    for (Map.Entry<Name, List<Record>> e : namesAfter.get().entrySet()) {
      int from = CanonicalOrder.firstAtOrAfter(all, e.getKey(), 0);
      int to = from;
      while (to < all.size() && all.get(to).getName().equals(e.getKey())) {
        to++;
      }
      List<Record> old = all.subList(from, to);
      for (Record r : old) {
        if (!contains(e.getValue(), r)) {
          removed.add(r);
        }
      }
      for (Record r : e.getValue()) {
        if (!contains(old, r)) {
          added.add(r);
        }
      }
    }
    return Optional.of(new ZoneDiff(before.origin(), Optional.of(before), after, removed, added));
  }

  /**
   * The RRsets an edit changed: those at the names it touched that differ from the snapshot before
   * it (the same records with the same TTL); an edit that only moved the SOA's serial re-signs the
   * SOA and not the rest of the apex.
   */
  static ZoneSigner.Changes changes(ZoneSnapshot before, Set<Name> touched) {
    return (name, type, rrset) -> {
      if (!touched.contains(name)) {
        return false;
      }
      Node node = before.node(name);
      List<Record> old = node == null ? List.of() : node.records().stream().filter(r -> r.getType() == type).toList();
      if (old.size() != rrset.size()) {
        return true;
      }
      for (Record r : rrset) {
        if (!contains(old, r)) {
          return true;
        }
      }
      return false;
    };
  }

  /** True when all that changed is the SOA (its serial) and the signatures over it. */
  static boolean onlySoaMoved(ZoneDiff diff) {
    for (List<Record> records : List.of(diff.removed(), diff.added())) {
      for (Record r : records) {
        int type = r instanceof org.xbill.DNS.RRSIGRecord sig ? sig.getTypeCovered() : r.getType();
        if (type != Type.SOA) {
          return false;
        }
      }
    }
    return true;
  }

  /** The records with the SOA's serial set to {@code serial}. */
  static List<Record> withSerial(List<Record> records, long serial) {
    List<Record> out = new ArrayList<>(records.size());
    for (Record r : records) {
      if (r.getType() == Type.SOA) {
        SOARecord s = (SOARecord) r;
        r = new SOARecord(s.getName(), s.getDClass(), s.getTTL(), s.getHost(), s.getAdmin(), serial,
            s.getRefresh(), s.getRetry(), s.getExpire(), s.getMinimum());
      }
      out.add(r);
    }
    return out;
  }

  /**
   * What changed from {@code before} to {@code after}: both list their records in canonical order
   * (RFC 4034 6.1), so one walk pairs the records of each owner; a record whose TTL changed is
   * removed and added, as IXFR shows it.
   */
  static ZoneDiff diff(Name origin, ZoneSnapshot before, ZoneSnapshot after) {
    List<Record> a = before.records();
    List<Record> b = after.records();
    List<Record> removed = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() || j < b.size()) {
      int cmp = i >= a.size() ? 1 : j >= b.size() ? -1 : a.get(i).getName().compareTo(b.get(j).getName());
      if (cmp < 0) {
        removed.add(a.get(i++));
      } else if (cmp > 0) {
        added.add(b.get(j++));
      } else {
        Name owner = a.get(i).getName();
        int ie = i;
        while (ie < a.size() && a.get(ie).getName().equals(owner)) {
          ie++;
        }
        int je = j;
        while (je < b.size() && b.get(je).getName().equals(owner)) {
          je++;
        }
        List<Record> x = a.subList(i, ie);
        List<Record> y = b.subList(j, je);
        for (Record r : x) {
          if (!contains(y, r)) {
            removed.add(r);
          }
        }
        for (Record r : y) {
          if (!contains(x, r)) {
            added.add(r);
          }
        }
        i = ie;
        j = je;
      }
    }
    return new ZoneDiff(origin, Optional.of(before), Optional.of(after), removed, added);
  }

  private static boolean contains(List<Record> run, Record r) {
    for (Record o : run) {
      if (o == r) {
        return true; // the same record taken over (Record#equals compares the wire forms: costly)
      }
    }
    for (Record o : run) {
      if (o.equals(r) && o.getTTL() == r.getTTL()) {
        return true;
      }
    }
    return false;
  }
}
