package dev.namu.zones.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSEC3PARAMRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Builds one {@link ZoneSnapshot}: sorts the records into canonical order, groups them by owner,
 * adds empty non-terminals, and checks the rules a zone must obey. All problems are collected (up
 * to a bound) so a user fixes them in one round rather than one per run.
 */
final class SnapshotBuilder {

  /** Bounds the report for a badly broken file; the rest would only repeat. */
  static final int MAX_PROBLEMS = 1000;

  /** Type order within one owner; used with a stable sort, so file order stays within a type. */
  private static final Comparator<Record> BY_TYPE = Comparator.comparingInt(Record::getType);

  /**
   * Records of one owner that were next to each other in the input. Sorting these runs by owner
   * (canonical order, RFC 4034 6.1) rather than every record by owner and type is much cheaper:
   * a zone file lists an owner's records together, and owners mostly in order already.
   */
  private record Run(Name name, int start, int end) {}

  private static final Comparator<Run> BY_NAME = (a, b) -> a.name().compareTo(b.name());

  private final Name origin;
  private final Collection<Record> input;
  private final RecordLocator locator;
  private final List<ZoneProblem> problems = new ArrayList<>();
  private final List<ZoneProblem> warnings = new ArrayList<>();
  private boolean truncated;

  SnapshotBuilder(Name origin, Collection<Record> input, RecordLocator locator) {
    if (!origin.isAbsolute()) {
      throw new IllegalArgumentException("zone origin must be absolute: " + origin);
    }
    this.origin = origin;
    this.input = input;
    this.locator = locator;
  }

  ZoneSnapshot build() throws ZoneValidationException {
    Record[] rs = new Record[input.size()];
    int n = 0;
    Record firstRecord = null;
    List<Run> runs = new ArrayList<>();
    Name runName = null;
    int runStart = 0;
    for (Record r : input) {
      if (r == null) {
        continue;
      }
      if (firstRecord == null) {
        firstRecord = r;
      }
      Name name = r.getName();
      if (name != runName) { // one Name object per owner is the common case: no compare then
        if (!ZoneRules.inZone(name, origin)) {
          problem(r, name + " " + Type.string(r.getType()) + " is outside the zone " + origin);
          continue;
        }
        if (runName != null) {
          runs.add(new Run(runName, runStart, n));
        }
        runName = name;
        runStart = n;
      }
      rs[n++] = r;
    }
    if (runName != null) {
      runs.add(new Run(runName, runStart, n));
    }
    rs = sortByNameThenType(rs, n, runs);
    Set<Name> wildcardParents = new HashSet<>();
    for (Run run : runs) {
      Name name = run.name();
      if (name.isWild() && name.labels() > origin.labels()) {
        wildcardParents.add(new Name(name, 1));
      }
    }

    NodeTable nodes = new NodeTable(runs.size() + runs.size() / 8);
    Record[] kept = new Record[n];
    int keptCount = 0;
    List<Node> delegations = new ArrayList<>();
    SOARecord soa = null;
    int zoneClass = -1;
    boolean hasDnames = false;
    boolean hasWildcards = false;
    int originLabels = origin.labels();

    List<Name> nsecOwners = new ArrayList<>();
    List<Record[]> nsec3Owners = new ArrayList<>();
    Node lastParent = null;
    int i = 0;
    while (i < n) {
      Name name = rs[i].getName();
      int j = i + 1;
      while (j < n && rs[j].getName().equals(name)) {
        j++;
      }
      int start = keptCount;
      keptCount = appendCanonical(rs, i, j, kept, keptCount);
      int end = keptCount;
      boolean apex = name.labels() == originLabels;
      if (!apex && isHashedOwner(kept, start, end)) {
        // RFC 5155 7.2.9: an NSEC3 owner is not a name of the zone's tree; it goes in the chain
        nsec3Owners.add(Arrays.copyOfRange(kept, start, end));
        i = j;
        continue;
      }
      if (apex) {
        soa = checkApex(kept, start, end, firstRecord);
        zoneClass = soa != null ? soa.getDClass() : kept[start].getDClass();
      } else if (zoneClass == -1) {
        // no records at the apex at all: reported below; check classes against IN meanwhile
        zoneClass = DClass.IN;
      }
      int flags = checkNode(name, kept, start, end, apex, zoneClass);
      if (!apex) {
        // Siblings come one after another in canonical order: reuse the parent found for the
        // previous name instead of building and hashing a parent name for every record.
        Node parent;
        if (lastParent != null && name.labels() == lastParent.name().labels() + 1
            && name.subdomain(lastParent.name())) {
          parent = lastParent;
        } else {
          parent = addEmptyNonTerminals(nodes, name, originLabels, wildcardParents);
          lastParent = parent;
        }
        flags |= inherited(parent);
      }
      if (wildcardParents.contains(name)) {
        flags |= Node.WILDCARD_PARENT;
      }
      if ((flags & Node.OBSCURED) != 0) {
        warnOccluded(name, kept, start, end);
      }
      // the node holds its range of kept, the array the snapshot's record list is made of
      Node node = new Node(name, kept, start, end, flags);
      nodes.put(node);
      if (node.has(Type.NSEC)) {
        nsecOwners.add(name); // in canonical order, as the records are
      }
      if (node.isDelegation()) {
        delegations.add(node);
      }
      hasDnames |= node.hasDname();
      hasWildcards |= node.isWildcard();
      i = j;
    }

    if (soa == null && !nodes.containsKey(origin)) {
      problem(firstRecord, "zone " + origin + " has no SOA record at its apex");
    }
    if (!delegations.isEmpty()) {
      checkGlue(nodes, nodes.get(origin), delegations);
    }
    if (hasDnames) {
      checkBelowDname(nodes);
    }
    if (problems.isEmpty()) {
      warnAliasTargets(nodes, kept, keptCount);
    }
    if (!problems.isEmpty()) {
      if (truncated) {
        problems.add(locator.problem(null, "too many problems; only the first " + MAX_PROBLEMS + " shown"));
      }
      throw new ZoneValidationException(problems);
    }
    // a view of kept, not a copy: the nodes hold ranges of the same array
    List<Record> records = Collections.unmodifiableList(
        keptCount == n ? Arrays.asList(kept) : Arrays.asList(kept).subList(0, keptCount));
    warnings.sort(Comparator.comparing(ZoneProblem::file).thenComparingInt(ZoneProblem::line));
    return new ZoneSnapshot(origin, soa, nodes, records, List.copyOf(warnings),
        !delegations.isEmpty(), hasDnames, hasWildcards,
        nsecOwners.isEmpty() ? null : new NsecChain(nsecOwners), nsec3Chain(nodes.get(origin), nsec3Owners));
  }

  /** True for the records of an NSEC3 owner: NSEC3 records and the RRSIGs over them, nothing else. */
  static boolean isHashedOwner(Record[] rs, int from, int to) {
    boolean nsec3 = false;
    for (int i = from; i < to; i++) {
      Record r = rs[i];
      if (r.getType() == Type.NSEC3) {
        nsec3 = true;
      } else if (!(r instanceof RRSIGRecord sig && sig.getTypeCovered() == Type.NSEC3)) {
        return false;
      }
    }
    return nsec3;
  }

  /**
   * The NSEC3 chain made with the apex's NSEC3PARAM, or null. RFC 5155 4.1.2: an NSEC3PARAM with
   * flags other than 0 is not one an authoritative server uses.
   */
  private static Nsec3Chain nsec3Chain(Node apex, List<Record[]> owners) {
    if (owners.isEmpty() || apex == null) {
      return null;
    }
    for (Record r : apex.records()) {
      if (r instanceof NSEC3PARAMRecord param && param.getFlags() == 0) {
        return Nsec3Chain.of(param, owners);
      }
    }
    return null;
  }

  /**
   * The records in canonical owner order, each owner's records by type, in input order within a
   * type: the order a stable sort by (owner, type) gives, at the cost of sorting the runs.
   */
  private static Record[] sortByNameThenType(Record[] rs, int n, List<Run> runs) {
    runs.sort(BY_NAME); // stable (TimSort): runs of one owner stay in input order
    Record[] out = new Record[n];
    int at = 0;
    int i = 0;
    while (i < runs.size()) {
      Name name = runs.get(i).name();
      int from = at;
      int j = i;
      while (j < runs.size() && (j == i || runs.get(j).name().equals(name))) {
        Run run = runs.get(j);
        System.arraycopy(rs, run.start(), out, at, run.end() - run.start());
        at += run.end() - run.start();
        j++;
      }
      if (at - from > 1 && !sortedByType(out, from, at)) {
        Arrays.sort(out, from, at, BY_TYPE);
      }
      i = j;
    }
    return out;
  }

  private static boolean sortedByType(Record[] rs, int from, int to) {
    for (int k = from + 1; k < to; k++) {
      if (rs[k - 1].getType() > rs[k].getType()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Copies rs[from, to) (one owner, sorted by type) into out, each RRset in canonical RDATA order
   * with exact duplicates dropped: an RRset is a set (RFC 2181 5).
   */
  static int appendCanonical(Record[] rs, int from, int to, Record[] out, int at) {
    int k = from;
    while (k < to) {
      int end = k + 1;
      while (end < to && rs[end].getType() == rs[k].getType()) {
        end++;
      }
      if (end - k > 1) {
        Arrays.sort(rs, k, end); // Record.compareTo: class, then canonical RDATA
      }
      Record prev = null;
      for (int m = k; m < end; m++) {
        if (prev == null || !prev.equals(rs[m])) {
          out[at++] = rs[m];
          prev = rs[m];
        }
      }
      k = end;
    }
    return at;
  }

  private SOARecord checkApex(Record[] rs, int from, int to, Record firstRecord) {
    SOARecord soa = null;
    boolean hasNs = false;
    for (int i = from; i < to; i++) {
      Record r = rs[i];
      if (r.getType() == Type.SOA) {
        if (soa == null) {
          soa = (SOARecord) r;
        } else {
          problem(r, "more than one SOA record at the zone apex " + origin);
        }
      } else if (r.getType() == Type.NS) {
        hasNs = true;
      }
    }
    if (soa == null) {
      problem(firstRecord, "zone " + origin + " has no SOA record at its apex");
    }
    if (!hasNs) {
      problem(soa != null ? soa : firstRecord, "zone " + origin + " has no NS records at its apex");
    }
    return soa;
  }

  /** Per-name rules; returns the node's flags. */
  private int checkNode(Name name, Record[] rs, int from, int to, boolean apex, int zoneClass) {
    int flags = apex ? Node.APEX : 0;
    if (name.isWild()) {
      flags |= Node.WILDCARD;
    }
    Record cname = null;
    Record otherData = null;
    int cnames = 0;
    int dnames = 0;
    Record first = null;
    for (int i = from; i < to; i++) {
      Record r = rs[i];
      int type = r.getType();
      if (first == null || first.getType() != type || coveredType(first) != coveredType(r)) {
        first = r; // RRSIGs of different covered types each have their RRset's TTL (RFC 4034 3)
      } else if (r.getTTL() != first.getTTL()) {
        warn(r, name + " " + Type.string(type) + ": TTL " + r.getTTL() + " differs from TTL "
            + first.getTTL() + " of the same RRset; answers use the lowest (RFC 2181 5.2)");
      }
      if (r.getDClass() != zoneClass) {
        problem(r, name + " " + Type.string(type) + " has class " + DClass.string(r.getDClass())
            + " but the zone is class " + DClass.string(zoneClass));
      }
      switch (type) {
        case Type.SOA:
          if (!apex) {
            problem(r, "SOA record at " + name + ", which is not the zone apex " + origin);
          }
          break;
        case Type.NS:
          if (!apex) {
            flags |= Node.DELEGATION;
          }
          break;
        case Type.CNAME:
          flags |= Node.CNAME;
          cnames++;
          if (cname == null) {
            cname = r;
          } else {
            problem(r, name + " has more than one CNAME record (RFC 2181 10.1)");
          }
          break;
        case Type.DNAME:
          flags |= Node.DNAME;
          if (++dnames > 1) {
            problem(r, name + " has more than one DNAME record (RFC 6672 2.4)");
          }
          break;
        default:
          break;
      }
      if (otherData == null && !ZoneRules.mayAccompanyCname(type)) {
        otherData = r;
      }
    }
    if (cname != null && otherData != null) {
      problem(cname, name + " has a CNAME and other data (" + Type.string(otherData.getType())
          + "); a CNAME must be alone at its name (RFC 1034 3.6.2, RFC 2181 10.1)");
    }
    return flags;
  }

  /** The type an RRSIG covers, or 0 for other records. */
  private static int coveredType(Record r) {
    return r instanceof RRSIGRecord sig ? sig.getTypeCovered() : 0;
  }

  /**
   * Makes sure every ancestor of {@code name} below the apex exists, adding empty non-terminals
   * (RFC 4592 2.2.2) top-down so each inherits its parent's obscured flag; returns the parent
   * node of {@code name}, or null when the parent is the apex and there is no apex node.
   * Records arrive in canonical order, so a real ancestor is always inserted before its
   * descendants: anything missing on the way up is an empty non-terminal.
   */
  private static Node addEmptyNonTerminals(
      NodeTable nodes, Name name, int originLabels, Set<Name> wildcardParents) {
    Name parentName = new Name(name, 1);
    Node parent = nodes.get(parentName);
    if (parent != null || parentName.labels() <= originLabels) {
      return parent;
    }
    Node above = addEmptyNonTerminals(nodes, parentName, originLabels, wildcardParents);
    int flags = inherited(above);
    if (wildcardParents.contains(parentName)) {
      flags |= Node.WILDCARD_PARENT;
    }
    parent = Node.emptyNonTerminal(parentName, flags);
    nodes.put(parent);
    return parent;
  }

  /** The obscured flag a child gets from its parent: below a cut or a DNAME, or below one of those. */
  private static int inherited(Node parent) {
    if (parent == null) {
      return 0;
    }
    boolean obscuring = parent.isObscured() || parent.isDelegation() || parent.hasDname();
    return obscuring ? Node.OBSCURED : 0;
  }

  /**
   * A name server at or below a zone cut can only be reached through glue in this zone (RFC 1034
   * 4.2.1): every in-zone NS target that is occluded by a cut needs an A or AAAA record.
   */
  private void checkGlue(NodeTable nodes, Node apex, List<Node> delegations) {
    List<Node> withNs = new ArrayList<>(delegations.size() + 1);
    if (apex != null) {
      withNs.add(apex);
    }
    withNs.addAll(delegations);
    for (Node node : withNs) {
      for (Record r : node.records()) {
        if (r.getType() != Type.NS) {
          continue;
        }
        Name target = ZoneRules.additionalTarget(r);
        if (!ZoneRules.inZone(target, origin) || !isAtOrBelowCut(nodes, target)) {
          continue;
        }
        Node t = nodes.get(target);
        if (t == null || !(t.has(Type.A) || t.has(Type.AAAA))) {
          problem(r, node.name() + " NS " + target + ": the name server is at or below a zone cut"
              + " but has no glue (A or AAAA) record in this zone");
        }
      }
    }
  }

  private boolean isAtOrBelowCut(NodeTable nodes, Name name) {
    int originLabels = origin.labels();
    Name n = name;
    while (n.labels() > originLabels) {
      Node node = nodes.get(n);
      if (node != null && node.isDelegation()) {
        return true;
      }
      n = new Name(n, 1);
    }
    return false;
  }

  /** RFC 6672 2.4: a DNAME owner must have no descendants; they could never be reached. */
  private void checkBelowDname(NodeTable nodes) {
    int originLabels = origin.labels();
    for (Node node : nodes.values()) {
      if (node.isEmptyNonTerminal()) {
        continue;
      }
      Name n = node.name();
      while (n.labels() > originLabels) {
        n = new Name(n, 1);
        Node ancestor = nodes.get(n);
        if (ancestor != null && ancestor.hasDname() && !isAtOrBelowCut(nodes, n)) {
          problem(node.records().get(0), node.name() + " is below the DNAME at " + n
              + " and can never be reached (RFC 6672 2.4)");
          break;
        }
      }
    }
  }

  /** Data below a zone cut other than glue addresses is never served (RFC 1034 4.2.1). */
  private void warnOccluded(Name name, Record[] rs, int from, int to) {
    for (int i = from; i < to; i++) {
      Record r = rs[i];
      int type = r.getType();
      if (!ZoneRules.isGlueType(type)) {
        warn(r, name + " " + Type.string(type) + " is below a zone cut (or DNAME) and will not be"
            + " served");
        return;
      }
    }
  }

  /** RFC 2181 10.3: NS, MX and SRV must name a host, not an alias. */
  private void warnAliasTargets(NodeTable nodes, Record[] kept, int count) {
    for (int k = 0; k < count; k++) {
      Record r = kept[k];
      Name target = ZoneRules.additionalTarget(r);
      if (target == null) {
        continue;
      }
      Node node = ZoneRules.inZone(target, origin) ? nodes.get(target) : null;
      if (node != null && node.hasCname()) {
        warn(r, r.getName() + " " + Type.string(r.getType()) + " points to " + target
            + ", which is a CNAME; it must name a host (RFC 2181 10.3)");
      }
    }
  }

  private void warn(Record r, String message) {
    if (warnings.size() < MAX_PROBLEMS) {
      warnings.add(locator.problem(r, message));
    }
  }

  private void problem(Record r, String message) {
    if (problems.size() >= MAX_PROBLEMS) {
      truncated = true;
      return;
    }
    problems.add(locator.problem(r, message));
  }
}
