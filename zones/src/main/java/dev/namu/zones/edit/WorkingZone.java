package dev.namu.zones.edit;

import dev.namu.zones.model.CanonicalOrder;
import dev.namu.zones.model.Node;
import dev.namu.zones.model.RdataLength;
import dev.namu.zones.model.ZoneRules;
import dev.namu.zones.model.ZoneSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.namu.zones.store.RecordText;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * A mutable view of one zone's records that a writer applies a {@link ZoneChange} to, under the zone's
 * lock and never shared: the names the change touches are copied from the zone's snapshot, the rest
 * is read from it. Checks the rules RFC 2136 section 3.4.2 gives for each operation; in
 * {@link ChangeMode#STRICT} a rule that RFC 2136 says to ignore rejects the edit instead.
 */
final class WorkingZone {

  /** An operation that cannot apply; the edit is rejected. */
  static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;
    final RejectReason reason;

    Rejection(RejectReason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }
  }

  private final Name origin;
  private final ChangeMode mode;
  private final ZoneSnapshot base;
  /**
   * The names this edit has looked at or changed, each copied from {@link #base} on first use; an
   * empty map is a name with no records (left). Untouched names are read from the base snapshot, so
   * an edit costs what it touches, not a copy of the whole zone.
   */
  private final Map<Name, Map<Integer, List<Record>>> touched = new LinkedHashMap<>();
  /** Records taken out and put in so far, keyed by stored form; an undo cancels out. */
  private final Map<RecordText, Record> removed = new LinkedHashMap<>();
  private final Map<RecordText, Record> added = new LinkedHashMap<>();
  /** Serial asked for by an added SOA, or -1. */
  private long requestedSerial = -1;

  WorkingZone(ZoneSnapshot base, ChangeMode mode) {
    this.origin = base.origin();
    this.mode = mode;
    this.base = base;
  }

  long requestedSerial() {
    return requestedSerial;
  }

  /**
   * All records of the zone as edited: the base's records at untouched names (still in canonical
   * order), then those of the touched names, so sorting them for the new snapshot is mostly a merge.
   * A snapshot lists its records in canonical order (RFC 4034 6.1), so each name's records are one
   * run found by binary search, and the runs between touched names are copied whole.
   */
  List<Record> records() {
    List<Record> before = base.records();
    List<Record> all = new ArrayList<>(before.size() + 8);
    List<Name> names = new ArrayList<>(touched.keySet());
    names.sort(null);
    int from = 0;
    for (Name name : names) {
      int start = CanonicalOrder.firstAtOrAfter(before, name, from);
      int end = start;
      while (end < before.size() && before.get(end).getName().equals(name)) {
        end++;
      }
      all.addAll(before.subList(from, start));
      from = end;
    }
    all.addAll(before.subList(from, before.size()));
    for (Map<Integer, List<Record>> types : touched.values()) {
      for (List<Record> rrset : types.values()) {
        all.addAll(rrset);
      }
    }
    return all;
  }

  /**
   * Every name this edit touched with all its records as edited (types in the order the edit left
   * them, an empty list for a name left without records): what {@link #records()} puts after the
   * base's untouched records, by name.
   */
  Map<Name, List<Record>> touchedNames() {
    Map<Name, List<Record>> byName = new LinkedHashMap<>(touched.size() * 2);
    for (Map.Entry<Name, Map<Integer, List<Record>>> e : touched.entrySet()) {
      List<Record> records = new ArrayList<>();
      for (List<Record> rrset : e.getValue().values()) {
        records.addAll(rrset);
      }
      byName.put(e.getKey(), records);
    }
    return byName;
  }

  /** The records at {@code name} by type, copied from the base snapshot the first time. */
  private Map<Integer, List<Record>> node(Name name) {
    Map<Integer, List<Record>> types = touched.get(name);
    if (types == null) {
      types = new LinkedHashMap<>();
      Node node = base.node(name);
      if (node != null) {
        for (Record r : node.records()) {
          types.computeIfAbsent(r.getType(), k -> new ArrayList<>()).add(r);
        }
      }
      touched.put(name, types);
    }
    return types;
  }

  boolean nameInUse(Name name) {
    return !node(name).isEmpty();
  }

  List<Record> rrset(Name name, int type) {
    List<Record> rrset = node(name).get(type);
    return rrset == null ? List.of() : rrset;
  }

  private List<Record> rrset(Name name, int type, boolean create) {
    if (!create) {
      return rrset(name, type);
    }
    return node(name).computeIfAbsent(type, k -> new ArrayList<>());
  }

  private void erased(Record r) {
    RecordText key = RecordText.of(r);
    if (added.remove(key) == null) {
      removed.put(key, r);
    }
  }

  private void inserted(Record r) {
    RecordText key = RecordText.of(r);
    if (removed.remove(key) == null) {
      added.put(key, r);
    }
  }

  /** Records removed by the operations so far (a TTL change is a removal and an addition). */
  List<Record> removed() {
    return List.copyOf(removed.values());
  }

  List<Record> added() {
    return List.copyOf(added.values());
  }

  boolean changed() {
    return !removed.isEmpty() || !added.isEmpty();
  }

  private void insert(Record r) {
    rrset(r.getName(), r.getType(), true).add(r);
    inserted(r);
  }

  private void removeRRset(Name name, int type) {
    List<Record> gone = node(name).remove(type);
    if (gone != null) {
      gone.forEach(this::erased);
    }
  }

  void check(Prerequisite p) throws Rejection {
    inZone(p.name());
    if (p instanceof Prerequisite.NameInUse) {
      if (!nameInUse(p.name())) {
        throw new Rejection(RejectReason.NAME_NOT_IN_USE, p.name() + " does not exist");
      }
    } else if (p instanceof Prerequisite.NameNotInUse) {
      if (nameInUse(p.name())) {
        throw new Rejection(RejectReason.NAME_IN_USE, p.name() + " exists");
      }
    } else if (p instanceof Prerequisite.RRsetExists e) {
      if (rrset(e.name(), e.type()).isEmpty()) {
        throw new Rejection(RejectReason.RRSET_MISSING, e.name() + " has no " + Type.string(e.type()) + " RRset");
      }
    } else if (p instanceof Prerequisite.RRsetExistsWithValues e) {
      // RFC 2136 2.4.2: the RRsets must match exactly, RDATA compared, TTL not.
      if (!new java.util.HashSet<>(rrset(e.name(), e.type())).equals(new java.util.HashSet<>(e.records()))) {
        throw new Rejection(RejectReason.RRSET_MISSING,
            e.name() + " " + Type.string(e.type()) + " RRset does not have exactly the given values");
      }
    } else if (p instanceof Prerequisite.RRsetDoesNotExist e) {
      if (!rrset(e.name(), e.type()).isEmpty()) {
        throw new Rejection(RejectReason.RRSET_EXISTS, e.name() + " has a " + Type.string(e.type()) + " RRset");
      }
    }
  }

  void apply(RecordOperation op) throws Rejection {
    inZone(op.name());
    if (op instanceof RecordOperation.Add add) {
      add(add.record());
    } else if (op instanceof RecordOperation.Delete del) {
      delete(del.record());
    } else if (op instanceof RecordOperation.DeleteRRset del) {
      deleteRRset(del.name(), del.type());
    } else if (op instanceof RecordOperation.DeleteName del) {
      deleteName(del.name());
    } else if (op instanceof RecordOperation.ReplaceRRset rep) {
      replace(rep.name(), rep.type(), rep.records());
    }
  }

  private void inZone(Name name) throws Rejection {
    if (!ZoneRules.inZone(name, origin)) {
      throw new Rejection(RejectReason.INVALID, name + " is outside the zone " + origin);
    }
  }

  private static void checkData(Record r) throws Rejection {
    if (!Type.isRR(r.getType())) {
      throw new Rejection(RejectReason.INVALID, Type.string(r.getType()) + " is not a record type that zones hold");
    }
    if (r.getDClass() != DClass.IN) {
      throw new Rejection(RejectReason.INVALID, r.getName() + ": class " + DClass.string(r.getDClass())
          + " is not served; only IN");
    }
    Optional<String> tooLong = RdataLength.problem(r);
    if (tooLong.isPresent()) {
      throw new Rejection(RejectReason.INVALID, tooLong.get());
    }
  }

  /** Returns true when the operation is to be skipped (RFC 2136 mode); throws in strict mode. */
  private boolean ignoreOr(RejectReason reason, String message) throws Rejection {
    if (mode == ChangeMode.STRICT) {
      throw new Rejection(reason, message);
    }
    return true;
  }

  private void add(Record r) throws Rejection {
    checkData(r);
    Name name = r.getName();
    int type = r.getType();
    if (type == Type.SOA) {
      if (!name.equals(origin)) {
        throw new Rejection(RejectReason.INVALID, "SOA record at " + name + ", which is not the zone apex " + origin);
      }
      long serial = ((SOARecord) r).getSerial();
      long current = currentSerial();
      // RFC 2136 3.4.2.2: a SOA whose serial is not newer is ignored. In strict mode the SOA fields
      // are taken and the serial advances as for any edit.
      if (current >= 0 && !SerialNumber.isNewer(serial, current)) {
        if (mode == ChangeMode.RFC2136) {
          return;
        }
      } else {
        requestedSerial = serial;
      }
      removeRRset(name, Type.SOA);
      insert(r);
      return;
    }
    if (type == Type.CNAME) {
      for (int other : types(name)) {
        if (!ZoneRules.mayAccompanyCname(other)) {
          if (ignoreOr(RejectReason.CNAME_CONFLICT, name + " has " + Type.string(other)
              + " data; a CNAME must be the only data at its name (RFC 1034 3.6.2)")) {
            return;
          }
        }
      }
      // RFC 2136 3.4.2.2: adding a CNAME where one exists replaces it.
      removeRRset(name, Type.CNAME);
      insert(r);
      return;
    }
    if (!ZoneRules.mayAccompanyCname(type) && !rrset(name, Type.CNAME).isEmpty()) {
      if (ignoreOr(RejectReason.CNAME_CONFLICT, name + " is a CNAME; it cannot have "
          + Type.string(type) + " data too (RFC 1034 3.6.2)")) {
        return;
      }
    }
    List<Record> rrset = rrset(name, type, true);
    int at = rrset.indexOf(r);
    if (at >= 0) {
      erased(rrset.remove(at));
    }
    rrset.add(r);
    inserted(r);
    // RFC 2181 5.2: all records of an RRset have one TTL; the newest TTL wins, as in BIND.
    for (int i = 0; i < rrset.size(); i++) {
      if (rrset.get(i).getTTL() != r.getTTL()) {
        erased(rrset.get(i));
        rrset.set(i, withTtl(rrset.get(i), r.getTTL()));
        inserted(rrset.get(i));
      }
    }
  }

  private void delete(Record r) throws Rejection {
    Name name = r.getName();
    int type = r.getType();
    if (type == Type.SOA) {
      ignoreOr(RejectReason.INVALID, "the SOA record cannot be deleted (RFC 2136 3.4.2.4)");
      return;
    }
    List<Record> rrset = rrset(name, type);
    if (!rrset.contains(r)) {
      ignoreOr(RejectReason.NOT_FOUND, "no record " + name + " " + Type.string(type) + " " + r.rdataToString());
      return;
    }
    if (type == Type.NS && name.equals(origin) && rrset.size() == 1) {
      ignoreOr(RejectReason.INVALID, "the last NS record at the apex cannot be deleted (RFC 2136 3.4.2.4)");
      return;
    }
    erased(rrset.remove(rrset.indexOf(r)));
    if (rrset.isEmpty()) {
      removeRRset(name, type);
    }
  }

  private void deleteRRset(Name name, int type) throws Rejection {
    if (name.equals(origin) && ZoneRules.keptAtApex(type)) {
      ignoreOr(RejectReason.INVALID, "the apex " + Type.string(type) + " RRset cannot be deleted (RFC 2136 3.4.2.3)");
      return;
    }
    if (rrset(name, type).isEmpty()) {
      ignoreOr(RejectReason.NOT_FOUND, "no " + Type.string(type) + " records at " + name);
      return;
    }
    removeRRset(name, type);
  }

  private void deleteName(Name name) throws Rejection {
    if (!nameInUse(name)) {
      ignoreOr(RejectReason.NOT_FOUND, "no records at " + name);
      return;
    }
    for (int type : types(name)) {
      // RFC 2136 3.4.2.3: at the apex, SOA and NS survive "delete all RRsets from a name".
      if (!(name.equals(origin) && ZoneRules.keptAtApex(type))) {
        removeRRset(name, type);
      }
    }
  }

  private void replace(Name name, int type, List<Record> records) throws Rejection {
    if (records.isEmpty()) {
      if (name.equals(origin) && ZoneRules.keptAtApex(type)) {
        throw new Rejection(RejectReason.INVALID, "the apex " + Type.string(type) + " RRset cannot be emptied");
      }
      removeRRset(name, type);
      return;
    }
    if (type == Type.SOA && records.size() != 1) {
      throw new Rejection(RejectReason.INVALID, "a zone has exactly one SOA record");
    }
    if (type == Type.CNAME && records.size() != 1) {
      throw new Rejection(RejectReason.INVALID, name + ": a name has at most one CNAME record (RFC 2181 10.1)");
    }
    List<Record> saved = List.copyOf(rrset(name, type));
    removeRRset(name, type);
    long ttl = records.get(0).getTTL();
    try {
      for (Record r : records) {
        add(r.getTTL() == ttl ? r : withTtl(r, ttl));
      }
    } catch (Rejection e) {
      removeRRset(name, type);
      saved.forEach(this::insert);
      throw e;
    }
  }

  /** The record with another TTL; via text, which keeps the RDATA's case (wire canonical form would not). */
  static Record withTtl(Record r, long ttl) {
    try {
      return Record.fromString(r.getName(), r.getType(), r.getDClass(), ttl, r.rdataToString(), Name.root);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("record does not reparse: " + r, e);
    }
  }

  private List<Integer> types(Name name) {
    return List.copyOf(node(name).keySet());
  }

  private long currentSerial() {
    List<Record> soa = rrset(origin, Type.SOA);
    return soa.isEmpty() ? -1 : ((SOARecord) soa.get(0)).getSerial();
  }

  /** Replaces the SOA with one carrying {@code serial}; the zone must have a SOA. */
  void setSerial(long serial) throws Rejection {
    List<Record> soaSet = rrset(origin, Type.SOA);
    if (soaSet.isEmpty()) {
      throw new Rejection(RejectReason.INVALID, "zone " + origin + " has no SOA record at its apex");
    }
    SOARecord s = (SOARecord) soaSet.get(0);
    SOARecord next = new SOARecord(s.getName(), s.getDClass(), s.getTTL(), s.getHost(), s.getAdmin(), serial,
        s.getRefresh(), s.getRetry(), s.getExpire(), s.getMinimum());
    erased(soaSet.get(0));
    soaSet.set(0, next);
    inserted(next);
  }

  long serial() {
    return currentSerial();
  }
}
