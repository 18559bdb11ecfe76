package dev.namu.zones.lookup;

import dev.namu.zones.model.Node;
import dev.namu.zones.model.Nsec3Chain;
import dev.namu.zones.model.NsecChain;
import dev.namu.zones.model.ZoneSnapshot;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * The NSEC or NSEC3 records (with their RRSIGs) that prove what a signed zone does not hold, for
 * a reply to a query with DO: RFC 4035 3.1.3 and 3.1.4 for NSEC, RFC 5155 7.2 for NSEC3. Works
 * from the records in the snapshot alone, however they got there (a signed zone file, a signer).
 * A zone with neither chain proves nothing and gets nothing added. Stateless.
 */
final class DenialOfExistence {

  private static final Name WILD = Name.fromConstantString("*");

  private DenialOfExistence() {}

  /**
   * NXDOMAIN: the name does not exist and no wildcard could have made it. NSEC (RFC 4035
   * 3.1.3.2): the NSEC covering the name and the one covering the wildcard at its closest
   * encloser. NSEC3 (RFC 5155 7.2.2): the closest encloser proof and the NSEC3 covering the
   * wildcard at the closest encloser.
   */
  static void nxDomain(ZoneSnapshot zone, Name qname, List<RRset> out) {
    nameAbsent(zone, qname, false, out);
  }

  /**
   * NODATA: {@code qname} exists (it has a node, maybe an empty non-terminal) or was matched by
   * a wildcard, but has no data of the type. RFC 4035 3.1.3.1 and 3.1.3.4, RFC 5155 7.2.3 to
   * 7.2.5.
   */
  static void noData(ZoneSnapshot zone, Name qname, List<RRset> out) {
    Node node = zone.node(qname);
    if (node != null) {
      NsecChain nsec = zone.nsecChain();
      if (nsec != null) {
        // the NSEC at the name lists its types; an empty non-terminal has none, and the NSEC that
        // covers it proves it has no data (RFC 4035 3.1.3.2, its last paragraph)
        addNsec(zone, nsec.covering(qname), out);
        return;
      }
      Nsec3Chain nsec3 = zone.nsec3Chain();
      if (nsec3 != null) {
        matchingOrProvableEncloser(zone, nsec3, qname, out);
      }
      return;
    }
    // wildcard NODATA (RFC 4035 3.1.3.4, RFC 5155 7.2.5): qname does not exist, and the
    // wildcard that matched it has no data of the type
    nameAbsent(zone, qname, true, out);
  }

  /**
   * {@code qname} does not exist: the NSEC covering it and the one covering the wildcard at its
   * closest encloser, or the NSEC3 closest encloser proof and the NSEC3 of that wildcard, which
   * covers it for an NXDOMAIN and matches it when the wildcard exists but lacks the type.
   */
  private static void nameAbsent(ZoneSnapshot zone, Name qname, boolean wildcardExists, List<RRset> out) {
    Name encloser = closestEncloser(zone, qname);
    NsecChain nsec = zone.nsecChain();
    if (nsec != null) {
      Name wildcard = wildcardAt(encloser);
      addNsec(zone, nsec.covering(qname), out);
      if (wildcard != null) {
        addNsec(zone, nsec.covering(wildcard), out);
      }
      return;
    }
    Nsec3Chain nsec3 = zone.nsec3Chain();
    if (nsec3 != null) {
      Nsec3Chain.EncloserProof proof = nsec3.encloserProof(encloser);
      closestEncloserProof(nsec3, proof, encloser, qname, out);
      add(wildcardExists ? proof.wildcardMatching() : proof.wildcardCovering(), out);
    }
  }

  /**
   * An answer made from a wildcard: the proof that the name asked does not exist itself, so the
   * wildcard was rightly used (RFC 4035 3.1.3.3: the NSEC covering it; RFC 5155 7.2.6: the NSEC3
   * covering the next closer name).
   */
  static void wildcardAnswer(ZoneSnapshot zone, Name qname, List<RRset> out) {
    NsecChain nsec = zone.nsecChain();
    if (nsec != null) {
      addNsec(zone, nsec.covering(qname), out);
      return;
    }
    Nsec3Chain nsec3 = zone.nsec3Chain();
    if (nsec3 != null) {
      Name next = nextCloser(closestEncloser(zone, qname), qname);
      if (next != null) {
        add(nsec3.covering(next), out);
      }
    }
  }

  /**
   * A referral: the cut's DS RRset, or the proof that it has none, so the child is known to be
   * unsigned (RFC 4035 3.1.4: the NSEC at the cut; RFC 5155 7.2.7: the NSEC3 matching it, or for
   * an opt-out span the closest provable encloser proof).
   */
  static void referral(ZoneSnapshot zone, Node cut, List<RRset> out) {
    RRset ds = cut.rrset(Type.DS);
    if (ds != null) {
      out.add(ds);
      return;
    }
    if (zone.nsecChain() != null) {
      add(cut.rrset(Type.NSEC), out);
      return;
    }
    Nsec3Chain nsec3 = zone.nsec3Chain();
    if (nsec3 != null) {
      matchingOrProvableEncloser(zone, nsec3, cut.name(), out);
    }
  }

  /**
   * The NSEC3 matching {@code name}, or when there is none (an opt-out span holds it: RFC 5155
   * 7.2.4 and 7.2.7) the closest provable encloser proof for it.
   */
  private static void matchingOrProvableEncloser(ZoneSnapshot zone, Nsec3Chain nsec3, Name name, List<RRset> out) {
    // name exists (a node with no data of the type, a cut): its proof is kept for the next query
    RRset match = nsec3.encloserProof(name).encloser();
    if (match != null) {
      add(match, out);
      return;
    }
    Name encloser = new Name(name, 1);
    int originLabels = zone.origin().labels();
    while (encloser.labels() > originLabels && nsec3.matching(encloser) == null) {
      encloser = new Name(encloser, 1);
    }
    closestEncloserProof(nsec3, nsec3.encloserProof(encloser), encloser, name, out);
  }

  /**
   * RFC 5155 7.2.1: the NSEC3 matching the closest (provable) encloser (from its {@code proof})
   * and the NSEC3 covering the next closer name, the one a label longer on the way to
   * {@code qname}: the one hash made for the query.
   */
  private static void closestEncloserProof(
      Nsec3Chain nsec3, Nsec3Chain.EncloserProof proof, Name encloser, Name qname, List<RRset> out) {
    add(proof.encloser(), out);
    Name next = nextCloser(encloser, qname);
    if (next != null) {
      add(nsec3.covering(next), out);
    }
  }

  /** The nearest ancestor of {@code qname} that exists in the zone (at worst the apex). */
  private static Name closestEncloser(ZoneSnapshot zone, Name qname) {
    int originLabels = zone.origin().labels();
    Name n = qname;
    while (n.labels() > originLabels) {
      n = new Name(n, 1);
      if (zone.node(n) != null) {
        return n;
      }
    }
    return zone.origin();
  }

  /** {@code qname} cut to one label more than {@code encloser}, or null when it is no longer. */
  private static Name nextCloser(Name encloser, Name qname) {
    int strip = qname.labels() - encloser.labels() - 1;
    return strip < 0 ? null : strip == 0 ? qname : new Name(qname, strip);
  }

  /** {@code *.encloser}, or null when that would be too long to exist. */
  private static Name wildcardAt(Name encloser) {
    try {
      return Name.concatenate(WILD, encloser);
    } catch (NameTooLongException e) {
      return null;
    }
  }

  private static void addNsec(ZoneSnapshot zone, Name owner, List<RRset> out) {
    Node node = zone.node(owner);
    add(node == null ? null : node.rrset(Type.NSEC), out);
  }

  /** Adds {@code set} unless it is null or already there: one NSEC may prove two things. */
  private static void add(RRset set, List<RRset> out) {
    if (set == null) {
      return;
    }
    for (RRset s : out) {
      if (s.getType() == set.getType() && s.getName().equals(set.getName())) {
        return;
      }
    }
    out.add(set);
  }
}
