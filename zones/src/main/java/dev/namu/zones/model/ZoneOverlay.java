package dev.namu.zones.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A zone as one view of it answers (split horizon): the common zone with the view's own RRsets laid
 * over it. The rule is per RRset, as BIND users expect of a view that redefines a few names: an
 * RRset of the view at a name replaces the common RRset of that name and type; every other RRset of
 * the common zone, at that name or elsewhere, stays. A CNAME is the whole name (RFC 1034 3.6.2: no
 * other data beside it), so a view's CNAME replaces everything the common zone has at its name, and
 * a view's other data at a name replaces the common zone's CNAME there. Signatures of a replaced
 * RRset go with it (RFC 4034 3: an RRSIG covers one RRset exactly).
 *
 * <p>The result shares the common zone's unchanged nodes and records where {@link SnapshotPatch}
 * applies, and is built in full otherwise.
 */
public final class ZoneOverlay {

  private ZoneOverlay() {}

  /**
   * The common zone with {@code overlay} laid over it; {@code common} itself when the overlay is
   * empty.
   *
   * @throws ZoneValidationException when the result is no valid zone (a view's NS below the apex
   *     without glue, say) or the overlay holds records outside the zone or an SOA
   */
  public static ZoneSnapshot apply(ZoneSnapshot common, Collection<Record> overlay) throws ZoneValidationException {
    if (overlay.isEmpty()) {
      return common;
    }
    Name origin = common.origin();
    Map<Name, List<Record>> byName = new LinkedHashMap<>();
    for (Record r : overlay) {
      if (!r.getName().subdomain(origin)) {
        throw problem(origin, r.getName() + " is outside the zone " + origin);
      }
      if (r.getType() == Type.SOA) {
        throw problem(origin, "a view cannot replace the SOA: the zone's serial and timers are the common zone's");
      }
      byName.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add(r);
    }
    Map<Name, List<Record>> namesAfter = new HashMap<>();
    for (Map.Entry<Name, List<Record>> e : byName.entrySet()) {
      namesAfter.put(e.getKey(), merged(common.node(e.getKey()), e.getValue()));
    }
    Optional<ZoneSnapshot> patched = SnapshotPatch.apply(common, namesAfter);
    if (patched.isPresent()) {
      return patched.get();
    }
    List<Record> all = new ArrayList<>(common.records().size() + overlay.size());
    for (Record r : common.records()) {
      if (!namesAfter.containsKey(r.getName())) {
        all.add(r);
      }
    }
    namesAfter.values().forEach(all::addAll);
    return ZoneSnapshot.build(origin, all, RecordLocator.unknown("view of " + origin));
  }

  private static ZoneValidationException problem(Name origin, String message) {
    return new ZoneValidationException(List.of(new ZoneProblem("view of " + origin, 0, message)));
  }

  /** The records at one name: the common node's that the view's do not replace, then the view's. */
  private static List<Record> merged(Node common, List<Record> view) {
    Set<Integer> replaced = new HashSet<>();
    boolean viewCname = false;
    for (Record r : view) {
      int type = r.getType() == Type.RRSIG ? ((RRSIGRecord) r).getTypeCovered() : r.getType();
      replaced.add(type);
      viewCname |= type == Type.CNAME;
    }
    List<Record> out = new ArrayList<>();
    if (common != null && !viewCname) {
      for (Record r : common.records()) {
        int type = r.getType() == Type.RRSIG ? ((RRSIGRecord) r).getTypeCovered() : r.getType();
        if (!replaced.contains(type) && type != Type.CNAME) {
          out.add(r);
        }
      }
    }
    out.addAll(view);
    return out;
  }
}
