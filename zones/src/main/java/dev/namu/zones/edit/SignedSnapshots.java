package dev.namu.zones.edit;

import dev.namu.zones.model.CanonicalOrder;
import dev.namu.zones.model.Node;
import dev.namu.zones.model.SnapshotPatch;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.model.ZoneValidationException;
import dev.namu.zones.sign.ZoneSigner;
import dev.namu.zones.sign.ZoneSigning;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
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
   * over the whole zone: the names the edit touched, and the NSEC chain's names whose next name
   * changed (the one before each name that joined or left the chain), are signed again, with the
   * names they now point at as context; every other name is taken over as it was
   * ({@link SnapshotPatch}). Empty when the edit needs the whole zone signed: NSEC3 (its order is
   * the hashes'), a delegation or wildcard in the zone or the edit, or anything
   * {@link SnapshotPatch} does not take.
   */
  Optional<ZoneDiff> patch(ZoneSnapshot before, Map<Name, List<Record>> touched, ZoneSigning signing,
      ZoneSigner.Changes changed) {
    Name origin = before.origin();
    if (signing.nsec3() || before.hasDelegations() || before.hasWildcards() || before.hasDnames()
        || !touched.containsKey(origin)) {
      return Optional.empty();
    }
    // the names now in the chain among those touched (their data without the signer's records)
    TreeMap<Name, List<Record>> data = new TreeMap<>();
    TreeSet<Name> joined = new TreeSet<>();
    Set<Name> inChainAfter = new HashSet<>();
    for (Map.Entry<Name, List<Record>> e : touched.entrySet()) {
      Name name = e.getKey();
      List<Record> own = ZoneSigner.unsigned(e.getValue());
      for (Record r : own) {
        if ((r.getType() == Type.NS && !name.equals(origin)) || r.getType() == Type.DS || r.getType() == Type.DNAME
            || name.isWild()) {
          return Optional.empty();
        }
      }
      data.put(name, own);
      if (!own.isEmpty()) {
        inChainAfter.add(name);
        joined.add(name);
      }
    }
    List<Record> all = before.records();
    // the names whose NSEC is made again: each touched name in the chain, and the name before each
    // touched name that joined or left the chain
    TreeSet<Name> affected = new TreeSet<>(inChainAfter);
    for (Name t : touched.keySet()) {
      Node node = before.node(t);
      boolean wasInChain = node != null && node.has(Type.NSEC);
      if (wasInChain != inChainAfter.contains(t)) {
        affected.add(previous(all, t, touched.keySet(), inChainAfter, joined, before));
      }
    }
    // the records to sign: the affected names and the names their NSEC points at now
    TreeMap<Name, List<Record>> subset = new TreeMap<>();
    for (Name a : affected) {
      subset.put(a, current(a, data, before));
      Name next = next(all, a, touched.keySet(), inChainAfter, joined, before, origin);
      subset.putIfAbsent(next, current(next, data, before));
    }
    List<Record> records = new ArrayList<>();
    subset.values().forEach(records::addAll);
    List<Record> signed = signer.sign(origin, records, signing, changed, clock.instant());
    Map<Name, List<Record>> byName = new HashMap<>();
    for (Record r : signed) {
      byName.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(r);
    }
    Map<Name, List<Record>> namesAfter = new LinkedHashMap<>();
    for (Name a : affected) {
      namesAfter.put(a, byName.getOrDefault(a, List.of()));
    }
    for (Name t : touched.keySet()) {
      namesAfter.putIfAbsent(t, List.of()); // left the chain: none of its records stay
    }
    Optional<ZoneSnapshot> after = SnapshotPatch.apply(before, namesAfter);
    if (after.isEmpty()) {
      return Optional.empty();
    }
    // what changed is at the names replaced, and only there
    List<Record> removed = new ArrayList<>();
    List<Record> added = new ArrayList<>();
    for (Map.Entry<Name, List<Record>> e : namesAfter.entrySet()) {
      Node node = before.node(e.getKey());
      List<Record> old = node == null ? List.of() : node.records();
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
    return Optional.of(new ZoneDiff(origin, Optional.of(before), after, removed, added));
  }

  /** The records of a name as the edit leaves it: the edit's for a touched name, else the snapshot's. */
  private static List<Record> current(Name name, Map<Name, List<Record>> data, ZoneSnapshot before) {
    List<Record> edited = data.get(name);
    if (edited != null) {
      Node node = before.node(name);
      // the name's own data as edited, with its signer records of before (kept where they still hold)
      List<Record> out = new ArrayList<>(edited);
      if (node != null) {
        for (Record r : node.records()) {
          if (ZoneSigner.isSignerType(r.getType())) {
            out.add(r);
          }
        }
      }
      return out;
    }
    return before.node(name).records();
  }

  /** True when {@code name} is in the NSEC chain after the edit. */
  private static boolean inChain(Name name, Set<Name> touched, Set<Name> inChainAfter, ZoneSnapshot before) {
    if (touched.contains(name)) {
      return inChainAfter.contains(name);
    }
    Node node = before.node(name);
    return node != null && node.has(Type.NSEC);
  }

  /** The name before {@code name} in the chain after the edit (the apex is first, so there is one). */
  private static Name previous(List<Record> all, Name name, Set<Name> touched, Set<Name> inChainAfter,
      TreeSet<Name> joined, ZoneSnapshot before) {
    Name found = null;
    for (int i = CanonicalOrder.firstAtOrAfter(all, name, 0) - 1; i >= 0; i--) {
      Name owner = all.get(i).getName();
      if (inChain(owner, touched, inChainAfter, before)) {
        found = owner;
        break;
      }
    }
    Name lower = joined.lower(name);
    if (found == null || (lower != null && lower.compareTo(found) > 0)) {
      found = lower;
    }
    return found == null ? before.origin() : found;
  }

  /** The name after {@code name} in the chain after the edit, the apex after the last (RFC 4034 4.1.1). */
  private static Name next(List<Record> all, Name name, Set<Name> touched, Set<Name> inChainAfter,
      TreeSet<Name> joined, ZoneSnapshot before, Name origin) {
    Name found = null;
    int from = CanonicalOrder.firstAtOrAfter(all, name, 0);
    for (int i = from; i < all.size(); i++) {
      Name owner = all.get(i).getName();
      if (owner.compareTo(name) > 0 && inChain(owner, touched, inChainAfter, before)) {
        found = owner;
        break;
      }
    }
    Name higher = joined.higher(name);
    if (found == null || (higher != null && higher.compareTo(found) < 0)) {
      found = higher;
    }
    return found == null ? origin : found;
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
      if (o.equals(r) && o.getTTL() == r.getTTL()) {
        return true;
      }
    }
    return false;
  }
}
