package dev.namu.zones.lookup;

import dev.namu.zones.model.Node;
import dev.namu.zones.model.ZoneSnapshot;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Looks up one name and type in one zone: RFC 1034 4.3.2 step 3 with RFC 4592 (wildcards),
 * RFC 6672 (DNAME), RFC 4035 3.1.4.1 (DS from the parent side of a cut) and RFC 8482 (ANY).
 * Stateless and allocation-light: the common case is one hash probe.
 */
public final class ZoneLookup {

  private static final Name WILD = Name.fromConstantString("*");

  private ZoneLookup() {}

  /** What {@code zone} says about {@code qname} (which must be at or below its origin). */
  public static LookupOutcome lookup(ZoneSnapshot zone, Name qname, int qtype) {
    Node node = zone.node(qname);
    if (node != null && !node.isObscured()) {
      return exact(zone, node, qname, qtype);
    }
    if (node == null && !zone.hasDelegations() && !zone.hasDnames()) {
      return notFound(zone, closestEncloser(zone, qname), qname, qtype);
    }
    return walkDown(zone, qname, qtype);
  }

  /**
   * Descends from the apex one label at a time, so the highest cut or DNAME on the way wins
   * (RFC 1034 4.3.2 step 3b: a referral is made at the first cut met going down).
   */
  private static LookupOutcome walkDown(ZoneSnapshot zone, Name qname, int qtype) {
    int originLabels = zone.origin().labels();
    int labels = qname.labels();
    Node closest = zone.apex();
    if (labels > originLabels && closest.hasDname()) {
      return dname(zone, closest, qname);
    }
    for (int depth = originLabels + 1; depth <= labels; depth++) {
      Name n = depth == labels ? qname : new Name(qname, labels - depth);
      Node node = zone.node(n);
      if (node == null) {
        return notFound(zone, closest, qname, qtype);
      }
      if (depth == labels) {
        return exact(zone, node, qname, qtype);
      }
      if (node.isDelegation()) {
        return referral(zone, node);
      }
      if (node.hasDname()) {
        return dname(zone, node, qname);
      }
      closest = node;
    }
    return exact(zone, closest, qname, qtype); // qname is the apex
  }

  /** The name exists in the zone at {@code node}. */
  private static LookupOutcome exact(ZoneSnapshot zone, Node node, Name qname, int qtype) {
    if (node.isDelegation()) {
      // RFC 4035 3.1.4.1: the DS RRset is the parent side's data at a cut; all else is referred.
      if (qtype != Type.DS) {
        return referral(zone, node);
      }
      RRset ds = node.rrset(Type.DS);
      return ds != null ? new LookupOutcome.Answer(zone, ds, false) : new LookupOutcome.NoData(zone);
    }
    if (node.isEmptyNonTerminal()) {
      return new LookupOutcome.NoData(zone); // RFC 4592 2.2.2: exists, no data, NOERROR
    }
    return fromData(zone, node, qname, qtype, false);
  }

  /** Answer, alias or NODATA from a node with data (the node itself, or a wildcard source). */
  private static LookupOutcome fromData(
      ZoneSnapshot zone, Node node, Name owner, int qtype, boolean wildcard) {
    if (qtype == Type.ANY) {
      // RFC 8482 4.2: answer ANY with one RRset rather than all of them.
      List<RRset> sets = node.rrsets();
      RRset first = sets.isEmpty() ? node.rrset(Type.RRSIG) : sets.get(0);
      return new LookupOutcome.Answer(zone, wildcard ? renamed(first, owner) : first, wildcard);
    }
    RRset rrset = node.rrset(qtype);
    if (rrset != null) {
      return new LookupOutcome.Answer(zone, wildcard ? renamed(rrset, owner) : rrset, wildcard);
    }
    if (node.hasCname()) {
      RRset cname = node.rrset(Type.CNAME);
      Name target = ((CNAMERecord) cname.first()).getTarget();
      return new LookupOutcome.Cname(zone, wildcard ? renamed(cname, owner) : cname, target, wildcard);
    }
    return new LookupOutcome.NoData(zone);
  }

  /**
   * The name does not exist; {@code closest} is its closest encloser (RFC 4592 3.3.1). The only
   * possible source of synthesis is {@code *.closest}; if that does not exist, NXDOMAIN.
   */
  private static LookupOutcome notFound(ZoneSnapshot zone, Node closest, Name qname, int qtype) {
    if (closest == null || !closest.hasWildcardChild()) {
      return new LookupOutcome.NxDomain(zone);
    }
    Node source;
    try {
      source = zone.node(Name.concatenate(WILD, closest.name()));
    } catch (NameTooLongException e) {
      return new LookupOutcome.NxDomain(zone);
    }
    if (source == null) {
      return new LookupOutcome.NxDomain(zone);
    }
    if (source.isEmptyNonTerminal()) {
      return new LookupOutcome.NoData(zone); // a wildcard with only names below it matches, no data
    }
    // RFC 4592 4.2: NS at a wildcard is not a delegation of the synthesized names; plain data.
    return fromData(zone, source, qname, qtype, true);
  }

  /** Closest existing ancestor, for zones without cuts or DNAMEs (every ancestor is a node or absent). */
  private static Node closestEncloser(ZoneSnapshot zone, Name qname) {
    int originLabels = zone.origin().labels();
    Name n = qname;
    while (n.labels() > originLabels) {
      n = new Name(n, 1);
      Node node = zone.node(n);
      if (node != null) {
        return node;
      }
    }
    return zone.apex();
  }

  private static LookupOutcome referral(ZoneSnapshot zone, Node cut) {
    return new LookupOutcome.Referral(zone, cut, cut.rrset(Type.NS));
  }

  /** RFC 6672 3.2: the DNAME, then a CNAME from qname to qname with the owner suffix replaced. */
  private static LookupOutcome dname(ZoneSnapshot zone, Node owner, Name qname) {
    RRset dnameSet = owner.rrset(Type.DNAME);
    DNAMERecord dname = (DNAMERecord) dnameSet.first();
    Name target;
    try {
      target = qname.fromDNAME(dname);
    } catch (NameTooLongException e) {
      return new LookupOutcome.Dname(zone, dnameSet, null, null); // RFC 6672 2.2: YXDOMAIN
    }
    // RFC 6672 3.1: the synthesized CNAME has the TTL of the DNAME.
    RRset cname = new RRset(new CNAMERecord(qname, dname.getDClass(), dname.getTTL(), target));
    return new LookupOutcome.Dname(zone, dnameSet, cname, target);
  }

  /**
   * The RRset with its owner replaced by the query name (RFC 4592 3.3.1, synthesis), and its
   * RRSIGs too: their label count, smaller than the owner's, tells a validator the answer was
   * expanded from a wildcard (RFC 4035 5.3.4).
   */
  private static RRset renamed(RRset rrset, Name owner) {
    RRset out = new RRset();
    for (Record r : rrset.rrs(false)) {
      out.addRR(r.withName(owner));
    }
    for (Record sig : rrset.sigs()) {
      out.addRR(sig.withName(owner));
    }
    return out;
  }
}
