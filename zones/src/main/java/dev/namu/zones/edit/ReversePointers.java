package dev.namu.zones.edit;

import dev.namu.zones.model.Node;
import dev.namu.zones.model.ZoneSnapshot;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

/**
 * Automatic PTR records for LAN users: for every A/AAAA a change adds or deletes, the matching PTR
 * (RFC 1035 3.5, RFC 3596 2.5) is added to or deleted from the stored reverse zone that encloses it,
 * in the same edit. Addresses with no stored reverse zone get no PTR. PTR changes are lenient: a PTR
 * that is already there or already gone is not an error.
 */
public final class ReversePointers {

  private final Function<Name, Optional<ZoneSnapshot>> enclosingZone;

  /** {@code enclosingZone}: the closest stored zone enclosing a name (ZoneEditor::enclosingZone). */
  public ReversePointers(Function<Name, Optional<ZoneSnapshot>> enclosingZone) {
    this.enclosingZone = enclosingZone;
  }

  /**
   * The forward change followed by the PTR changes it implies, one per reverse zone. {@code current}
   * is the forward zone as now served, to know which addresses an RRset deletion removes.
   */
  public List<ZoneChange> withPointers(ZoneChange forward, Optional<ZoneSnapshot> current) {
    Map<Name, List<RecordOperation>> ptrOps = new LinkedHashMap<>();
    for (RecordOperation op : forward.operations()) {
      if (op instanceof RecordOperation.Add add && isAddress(add.record())) {
        ptr(add.record()).ifPresent(p -> ptrOps.computeIfAbsent(p.origin, k -> new ArrayList<>())
            .add(new RecordOperation.Add(p.record)));
      } else if (op instanceof RecordOperation.Delete del && isAddress(del.record())) {
        ptr(del.record()).ifPresent(p -> ptrOps.computeIfAbsent(p.origin, k -> new ArrayList<>())
            .add(new RecordOperation.Delete(p.record)));
      } else if (op instanceof RecordOperation.DeleteRRset del && isAddressType(del.type())) {
        deleteAll(current, del.name(), del.type(), ptrOps);
      } else if (op instanceof RecordOperation.DeleteName del) {
        deleteAll(current, del.name(), Type.A, ptrOps);
        deleteAll(current, del.name(), Type.AAAA, ptrOps);
      } else if (op instanceof RecordOperation.ReplaceRRset rep && isAddressType(rep.type())) {
        deleteAll(current, rep.name(), rep.type(), ptrOps);
        for (Record r : rep.records()) {
          ptr(r).ifPresent(p -> ptrOps.computeIfAbsent(p.origin, k -> new ArrayList<>())
              .add(new RecordOperation.Add(p.record)));
        }
      }
    }
    List<ZoneChange> changes = new ArrayList<>();
    changes.add(forward);
    ptrOps.forEach((origin, ops) -> {
      if (!origin.equals(forward.origin())) {
        changes.add(new ZoneChange(origin, List.of(), ops, ChangeMode.RFC2136));
      }
    });
    return changes;
  }

  private void deleteAll(Optional<ZoneSnapshot> current, Name name, int type,
      Map<Name, List<RecordOperation>> ptrOps) {
    Node node = current.isEmpty() ? null : current.get().node(name);
    if (node == null) {
      return;
    }
    for (Record r : node.records()) {
      if (r.getType() == type) {
        ptr(r).ifPresent(p -> ptrOps.computeIfAbsent(p.origin, k -> new ArrayList<>())
            .add(new RecordOperation.Delete(p.record)));
      }
    }
  }

  private record Pointer(Name origin, Record record) {}

  private Optional<Pointer> ptr(Record address) {
    InetAddress ip = address instanceof ARecord a ? a.getAddress() : ((AAAARecord) address).getAddress();
    Name reverse = ReverseMap.fromAddress(ip);
    return enclosingZone.apply(reverse)
        .map(zone -> new Pointer(zone.origin(),
            new PTRRecord(reverse, DClass.IN, address.getTTL(), address.getName())));
  }

  private static boolean isAddress(Record r) {
    return r instanceof ARecord || r instanceof AAAARecord;
  }

  private static boolean isAddressType(int type) {
    return type == Type.A || type == Type.AAAA;
  }
}
