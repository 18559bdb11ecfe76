package dev.namu.zones.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * The snapshot after an edit that changed the records at a few names, made from the snapshot before
 * it: the names the edit touched (and their ancestors, which may become or stop being empty
 * non-terminals) get new nodes, every other node and record is taken over as it is. An edit then
 * costs a copy of the node index and of the record list (array copies), not the sort, grouping and
 * checks of {@link ZoneSnapshot#build} over the whole zone.
 *
 * <p>Only edits whose result is simple to check this way take the shortcut: the zone before has no
 * delegation, DNAME, wildcard or warning, and the touched names end up with none of those, nor a
 * CNAME, nor anything {@link SnapshotBuilder} would report. Anything else returns empty and the
 * caller builds the zone in full, which gives the exact problems and warnings. Where it applies, the
 * result equals what {@link ZoneSnapshot#build} gives for the same records (SnapshotPatchTest checks
 * both against each other). A signed zone's NSEC and NSEC3 chains are patched the same way: the
 * touched names that gain or lose an NSEC, and the touched NSEC3 owners (not names of the tree,
 * RFC 5155 7.2.9), go in or out of them; an edit that changes the apex's NSEC3PARAM is built in full.
 */
public final class SnapshotPatch {

  private static final Comparator<Record> BY_TYPE = Comparator.comparingInt(Record::getType);

  private SnapshotPatch() {}

  /**
   * The zone {@code base} with the records at each name of {@code namesAfter} replaced by the ones
   * given (an empty list: the name has no records left), or empty when the edit needs a full build.
   *
   * @param namesAfter every name the edit touched, with all its records after the edit, in the order
   *     the edit left them (within a type that order decides which of two equal records stays)
   */
  public static Optional<ZoneSnapshot> apply(ZoneSnapshot base, Map<Name, List<Record>> namesAfter) {
    if (!base.warnings().isEmpty() || base.hasDelegations() || base.hasDnames() || base.hasWildcards()) {
      return Optional.empty();
    }
    Name origin = base.origin();
    int zoneClass = base.soa().getDClass();
    // the new records of each touched name, in canonical order (RFC 4034 6.1, 6.3), duplicates dropped
    Map<Name, Record[]> fresh = new HashMap<>(namesAfter.size() * 2);
    Map<Name, Name> spelling = new HashMap<>(namesAfter.size() * 2);
    List<Name> touched = new ArrayList<>(namesAfter.size());
    // the touched names of the zone's tree (every touched name but the NSEC3 owners)
    List<Name> treeNames = new ArrayList<>(namesAfter.size());
    // the touched NSEC3 owners (RFC 5155 7.2.9: not names of the tree), with their records after
    Map<Name, Record[]> hashed = new HashMap<>();
    for (Map.Entry<Name, List<Record>> e : namesAfter.entrySet()) {
      Name name = e.getKey();
      if (!ZoneRules.inZone(name, origin) || name.isWild() || fresh.containsKey(name)) {
        return Optional.empty();
      }
      Record[] records = canonical(name, e.getValue(), spelling);
      if (records == null || !simple(base, name, records, zoneClass)) {
        return Optional.empty();
      }
      fresh.put(name, records);
      touched.add(name);
      boolean wasNode = base.node(name) != null;
      if (!name.equals(origin) && SnapshotBuilder.isHashedOwner(records, 0, records.length)) {
        if (wasNode) {
          return Optional.empty();
        }
        hashed.put(name, records);
        continue;
      }
      if (!wasNode && base.nsec3Chain() != null) {
        hashed.put(name, new Record[0]); // an NSEC3 owner before, perhaps: its link goes
      }
      treeNames.add(name);
    }
    touched.sort(null);
    treeNames.sort(null);
    Node baseApex = base.apex();
    Record[] apexAfter = fresh.get(origin);
    if (apexAfter != null && !sameNsec3Params(baseApex.records(), Arrays.asList(apexAfter))) {
      return Optional.empty(); // the NSEC3 chain to use is another: built with the zone
    }
    if (base.nsec3Chain() == null && hashed.values().stream().anyMatch(r -> r.length > 0)) {
      return Optional.empty();
    }

    Record[] records = splice(base.records(), touched, fresh);

    // The names whose node may change: the touched ones and their ancestors below the apex (an
    // ancestor can become an empty non-terminal or stop being one, RFC 4592 2.2.2).
    Map<Name, Node> changed = new HashMap<>();
    Set<Name> gone = new HashSet<>();
    int originLabels = origin.labels();
    List<Name> nsecLeft = new ArrayList<>();
    List<Name> nsecJoined = new ArrayList<>();
    for (Name name : treeNames) {
      if (has(fresh.get(name), Type.NSEC)) {
        nsecJoined.add(name);
      } else {
        nsecLeft.add(name);
      }
      for (Name n = name; n.labels() >= originLabels; n = n.labels() > originLabels ? new Name(n, 1) : null) {
        if (changed.containsKey(n) || gone.contains(n)) {
          break; // this name and those above it are done
        }
        Record[] now = fresh.get(n);
        Node node;
        if (now == null) {
          Node before = base.node(n);
          node = before != null && !before.isEmptyNonTerminal() ? before : emptyNonTerminal(n, records);
        } else if (now.length > 0) {
          node = new Node(spelling.get(n), now, n.labels() == originLabels ? Node.APEX : 0);
        } else {
          node = emptyNonTerminal(n, records);
        }
        if (node == null) {
          gone.add(n);
        } else {
          changed.put(n, node);
        }
        if (n.labels() == originLabels) {
          break;
        }
      }
    }
    Node apexNode = changed.getOrDefault(origin, base.apex());
    if (apexNode == null || apexNode.first(Type.SOA) == null || !apexNode.has(Type.NS)) {
      return Optional.empty();
    }
    SOARecord soa = (SOARecord) apexNode.first(Type.SOA);

    NodeTable nodes = new NodeTable(base.nodeCount() + changed.size());
    boolean anyGone = !gone.isEmpty();
    for (Node node : base.nodes()) {
      if (!anyGone || !gone.contains(node.name())) {
        nodes.put(node); // a changed name is put again below, which replaces it
      }
    }
    for (Node node : changed.values()) {
      nodes.put(node);
    }
    // the chains as a full build makes them: the tree's names with an NSEC, in canonical order; the
    // NSEC3 owners made with the apex's NSEC3PARAM, in hash order
    NsecChain nsec = base.nsecChain() != null ? base.nsecChain().patched(new HashSet<>(nsecLeft), nsecJoined)
        : nsecJoined.isEmpty() ? null : new NsecChain(nsecJoined);
    Nsec3Chain nsec3 = base.nsec3Chain() == null || hashed.isEmpty() ? base.nsec3Chain()
        : base.nsec3Chain().patched(hashed);
    return Optional.of(new ZoneSnapshot(origin, soa, nodes, Collections.unmodifiableList(Arrays.asList(records)),
        List.of(), false, false, false, nsec, nsec3));
  }

  private static boolean has(Record[] records, int type) {
    for (Record r : records) {
      if (r.getType() == type) {
        return true;
      }
    }
    return false;
  }

  /** True when both hold the same NSEC3PARAM records (or none): the NSEC3 chain to use is the same. */
  private static boolean sameNsec3Params(List<Record> before, List<Record> after) {
    List<Record> a = before.stream().filter(r -> r.getType() == Type.NSEC3PARAM).toList();
    List<Record> b = after.stream().filter(r -> r.getType() == Type.NSEC3PARAM).toList();
    return a.size() == b.size() && a.containsAll(b);
  }

  /**
   * The records of one owner as {@link SnapshotBuilder} orders them: by type (stable), each RRset in
   * canonical RDATA order with exact duplicates dropped (an RRset is a set, RFC 2181 5); null when
   * the records do not all have that owner name. The node takes the spelling of the owner's first
   * record of its first type, as given (put in {@code spelling}).
   */
  private static Record[] canonical(Name name, List<Record> given, Map<Name, Name> spelling) {
    Record[] rs = given.toArray(new Record[0]);
    for (Record r : rs) {
      if (!r.getName().equals(name)) {
        return null;
      }
    }
    Arrays.sort(rs, BY_TYPE);
    if (rs.length > 0) {
      spelling.put(name, rs[0].getName());
    }
    Record[] out = new Record[rs.length];
    int at = SnapshotBuilder.appendCanonical(rs, 0, rs.length, out, 0);
    return at == out.length ? out : Arrays.copyOf(out, at);
  }

  /**
   * True when the records at {@code name} after the edit raise nothing a full build would report or
   * warn about and need no flag but APEX: no CNAME (an alias can make other records' targets wrong,
   * RFC 2181 10.3), no cut, no DNAME, SOA only at the apex and there exactly one with NS beside it,
   * the zone's class, one TTL per RRset (RFC 2181 5.2), and no NS/MX/SRV target that is an alias.
   */
  private static boolean simple(ZoneSnapshot base, Name name, Record[] records, int zoneClass) {
    boolean apex = name.equals(base.origin());
    int soas = 0;
    boolean ns = false;
    Record first = null;
    for (Record r : records) {
      int type = r.getType();
      if (r.getDClass() != zoneClass || type == Type.CNAME || type == Type.DNAME) {
        return false;
      }
      if (first == null || first.getType() != type) {
        first = r;
      } else if (type != Type.RRSIG && r.getTTL() != first.getTTL()) {
        return false; // (an RRSIG has the TTL of the RRset it covers, RFC 4034 3)
      }
      if (type == Type.SOA) {
        soas++;
      } else if (type == Type.NS) {
        ns = true;
      }
      Name target = ZoneRules.additionalTarget(r);
      if (target != null && ZoneRules.inZone(target, base.origin())) {
        Node t = base.node(target);
        if (t != null && t.hasCname()) {
          return false;
        }
      }
    }
    if (apex) {
      return soas == 1 && ns;
    }
    return soas == 0 && !ns;
  }

  /**
   * The base's records with the run of each touched name replaced by its new records; the base is in
   * canonical order, so each run is found by binary search and the stretches between are copied whole.
   */
  private static Record[] splice(List<Record> before, List<Name> touched, Map<Name, Record[]> fresh) {
    int size = before.size();
    int[] starts = new int[touched.size()];
    int[] ends = new int[touched.size()];
    int from = 0;
    int total = size;
    for (int t = 0; t < touched.size(); t++) {
      Name name = touched.get(t);
      int start = CanonicalOrder.firstAtOrAfter(before, name, from);
      int end = start;
      while (end < size && before.get(end).getName().equals(name)) {
        end++;
      }
      starts[t] = start;
      ends[t] = end;
      total += fresh.get(name).length - (end - start);
      from = end;
    }
    Record[] out = new Record[total];
    Object[] all = before.toArray();
    int at = 0;
    from = 0;
    for (int t = 0; t < touched.size(); t++) {
      System.arraycopy(all, from, out, at, starts[t] - from);
      at += starts[t] - from;
      Record[] now = fresh.get(touched.get(t));
      System.arraycopy(now, 0, out, at, now.length);
      at += now.length;
      from = ends[t];
    }
    System.arraycopy(all, from, out, at, size - from);
    return out;
  }

  /**
   * The empty non-terminal at {@code name} when a name below it has records, else null. Its spelling
   * is that of the first such name in canonical order, as a full build gives it: all names below a
   * name follow it directly in canonical order (RFC 4034 6.1).
   */
  private static Node emptyNonTerminal(Name name, Record[] records) {
    int at = firstAfter(records, name);
    if (at >= records.length) {
      return null;
    }
    Name below = records[at].getName();
    if (below.labels() <= name.labels() || !below.subdomain(name)) {
      return null;
    }
    return Node.emptyNonTerminal(new Name(below, below.labels() - name.labels()), 0);
  }

  /** Index of the first record whose owner comes after {@code name} in canonical order. */
  private static int firstAfter(Record[] sorted, Name name) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid].getName().compareTo(name) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
