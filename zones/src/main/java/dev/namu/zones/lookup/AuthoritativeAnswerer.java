package dev.namu.zones.lookup;

import dev.namu.zones.model.Node;
import dev.namu.zones.model.ZoneRules;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Answers a question from the served zones as an authoritative server does (RFC 1034 4.3.2),
 * following CNAME and DNAME chains through every zone served here, as NSD does.
 *
 * <p>Layout matches NSD and Knot: a positive answer has nothing in authority; a negative answer
 * (NXDOMAIN or NODATA, also at the end of a chain) has the SOA of the zone that gave it, with TTL
 * min(SOA TTL, MINIMUM) (RFC 2308 3); a referral clears AA and has the cut's NS in authority and
 * glue in additional; A and AAAA of in-zone NS, MX and SRV targets go in additional.
 * Stateless: one instance serves all threads.
 */
public final class AuthoritativeAnswerer {

  /**
   * Most CNAME/DNAME steps followed for one question. Bounds the work a query can cause through
   * a long (or synthesized, RFC 6672) chain; loops stop earlier, at the first repeated name.
   */
  public static final int MAX_CHAIN = 16;

  public AuthoritativeAnswerer() {}

  /**
   * The answer to (qname, qtype) from {@code zones}, or empty when no served zone encloses qname
   * (the caller then refuses or recurses). For DS at the apex of a served zone, the parent zone
   * answers when it is served too (RFC 4035 3.1.4.1); otherwise the zone itself does (NODATA),
   * as NSD and Knot do.
   */
  public Optional<AuthoritativeAnswer> answer(ZoneSet zones, Name qname, int qtype) {
    return answer(zones, qname, qtype, false);
  }

  /**
   * As {@link #answer(ZoneSet, Name, int)}, for a query with the DO bit set when {@code dnssecOk}
   * (RFC 3225): the RRsets carry their RRSIGs either way ({@link RRset#sigs()}; the writer leaves
   * them out without DO), and with DO a signed zone's reply (see {@link ZoneSnapshot#isSigned})
   * gets what proves it (RFC 4035 3.1.3, 3.1.4, RFC 5155 7.2): the NSEC or NSEC3 records of a
   * negative or wildcard answer, the DS of a referral or the proof that there is none.
   */
  public Optional<AuthoritativeAnswer> answer(ZoneSet zones, Name qname, int qtype, boolean dnssecOk) {
    ZoneSnapshot zone = zoneFor(zones, qname, qtype);
    if (zone == null) {
      return Optional.empty();
    }
    List<RRset> answer = new ArrayList<>(2);
    List<RRset> authority = List.of();
    List<RRset> proofs = null; // with DO only: NSEC/NSEC3 (and DS) for the authority section
    List<RRset> additional = List.of();
    boolean authoritative = true;
    int rcode = Rcode.NOERROR;
    List<Name> seen = null; // names already looked up in this chain; allocated only for chains
    Name name = qname;
    for (int step = 0; ; step++) {
      LookupOutcome outcome = ZoneLookup.lookup(zone, name, qtype);
      Name next;
      if (outcome instanceof LookupOutcome.Answer a) {
        answer.add(a.rrset());
        additional = additionalFor(a.zone(), a.rrset());
        if (dnssecOk && a.wildcard() && zone.isSigned()) {
          proofs = proofs(proofs);
          DenialOfExistence.wildcardAnswer(zone, name, proofs);
        }
        break;
      } else if (outcome instanceof LookupOutcome.Cname c) {
        answer.add(c.cname());
        if (dnssecOk && c.wildcard() && zone.isSigned()) {
          proofs = proofs(proofs);
          DenialOfExistence.wildcardAnswer(zone, name, proofs);
        }
        next = c.target();
      } else if (outcome instanceof LookupOutcome.Dname d) {
        answer.add(d.dname());
        if (d.cname() == null) {
          rcode = Rcode.YXDOMAIN; // RFC 6672 2.2: the substituted name is too long
          break;
        }
        answer.add(d.cname());
        if (qtype == Type.CNAME) {
          break; // the synthesized CNAME is the data asked for; nothing to follow
        }
        next = d.target();
      } else if (outcome instanceof LookupOutcome.Referral r) {
        // RFC 1034 4.3.2 3b; after a CNAME the answer is still authoritative for its first part.
        authoritative = step > 0;
        authority = List.of(r.ns());
        additional = glue(r.zone(), r.ns());
        if (dnssecOk && zone.isSigned()) {
          proofs = proofs(proofs);
          DenialOfExistence.referral(zone, r.cut(), proofs);
        }
        break;
      } else if (outcome instanceof LookupOutcome.NoData n) {
        authority = List.of(n.zone().negativeSoa());
        if (dnssecOk && zone.isSigned()) {
          proofs = proofs(proofs);
          DenialOfExistence.noData(zone, name, proofs);
        }
        break;
      } else if (outcome instanceof LookupOutcome.NxDomain x) {
        // RFC 6604 2.1: after a chain the rcode is that of the last name.
        rcode = Rcode.NXDOMAIN;
        authority = List.of(x.zone().negativeSoa());
        if (dnssecOk && zone.isSigned()) {
          proofs = proofs(proofs);
          DenialOfExistence.nxDomain(zone, name, proofs);
        }
        break;
      } else {
        throw new IllegalStateException("unknown outcome " + outcome);
      }
      if (seen == null) {
        seen = new ArrayList<>(4);
        seen.add(qname);
      }
      if (contains(seen, next) || step + 1 >= MAX_CHAIN) {
        break; // a loop (RFC 1034 3.6.2: servers must not loop) or a chain past its budget
      }
      seen.add(next);
      ZoneSnapshot nextZone = zoneFor(zones, next, qtype);
      if (nextZone == null) {
        break; // the chain leaves the served zones: the client resolves the rest
      }
      zone = nextZone;
      name = next;
    }
    if (proofs != null && !proofs.isEmpty()) {
      List<RRset> all = new ArrayList<>(authority.size() + proofs.size());
      all.addAll(authority);
      all.addAll(proofs);
      authority = all;
    }
    return Optional.of(new AuthoritativeAnswer(rcode, authoritative, answer, authority, additional));
  }

  private static List<RRset> proofs(List<RRset> proofs) {
    return proofs != null ? proofs : new ArrayList<>(3);
  }

  /** The zone to ask: the closest enclosing one, except DS at an apex (RFC 4035 3.1.4.1). */
  static ZoneSnapshot zoneFor(ZoneSet zones, Name qname, int qtype) {
    ZoneSnapshot zone = zones.findZone(qname);
    if (zone != null && qtype == Type.DS && qname.labels() > 1 && qname.equals(zone.origin())) {
      // The DS RRset of a zone lives at the parent side of its cut: when we serve the parent
      // too, answer from it (strip one label and look again).
      ZoneSnapshot parent = zones.findZone(new Name(qname, 1));
      if (parent != null) {
        return parent;
      }
    }
    return zone;
  }

  private static boolean contains(List<Name> names, Name name) {
    for (Name n : names) {
      if (n.equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Glue for a referral: A and AAAA of the NS targets inside the zone, occluded or not. */
  private static List<RRset> glue(ZoneSnapshot zone, RRset ns) {
    List<RRset> out = null;
    for (Record r : ns.rrs(false)) {
      out = addAddresses(zone, ZoneRules.additionalTarget(r), true, out);
    }
    return out == null ? List.of() : out;
  }

  /** Addresses of in-zone targets of NS, MX and SRV answers (RFC 1034 4.3.2 step 6). */
  private static List<RRset> additionalFor(ZoneSnapshot zone, RRset rrset) {
    int type = rrset.getType();
    if (!ZoneRules.hasAdditionalTarget(type)) {
      return List.of();
    }
    List<RRset> out = null;
    for (Record r : rrset.rrs(false)) {
      Name target = ZoneRules.additionalTarget(r);
      // NS targets below a cut are glue and go along; MX and SRV targets must be authoritative.
      out = addAddresses(zone, target, type == Type.NS, out);
    }
    return out == null ? List.of() : out;
  }

  private static List<RRset> addAddresses(
      ZoneSnapshot zone, Name target, boolean glueAllowed, List<RRset> out) {
    if (!ZoneRules.inZone(target, zone.origin())) {
      return out;
    }
    Node node = zone.node(target);
    if (node == null || node.isEmptyNonTerminal()) {
      return out;
    }
    if (!glueAllowed && (node.isObscured() || node.isDelegation())) {
      return out;
    }
    if (out != null) {
      for (RRset s : out) {
        if (s.getName().equals(node.name())) {
          return out; // the same target twice (two MX to one host)
        }
      }
    }
    RRset a = node.rrset(Type.A);
    RRset aaaa = node.rrset(Type.AAAA);
    if (a == null && aaaa == null) {
      return out;
    }
    if (out == null) {
      out = new ArrayList<>(2);
    }
    if (a != null) {
      out.add(a);
    }
    if (aaaa != null) {
      out.add(aaaa);
    }
    return out;
  }
}
