package dev.namu.resolver.scrub;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Scrubs an upstream reply before anything of it is believed or cached (after Unbound's
 * iter_scrub.c): a server queried for zone Z may only speak about names at or below Z (its
 * bailiwick, RFC 5452 section 6, RFC 2181 section 5.4.1). Kept are the CNAME/DNAME chain from
 * the question name, NS and SOA of zones enclosing the chain's end, and addresses of those NS
 * names; everything else (unrelated answers, out-of-bailiwick NS or glue, other classes) is
 * dropped, which is what defeats cache poisoning by "additional" data.
 */
public final class Scrubber {
  /**
   * CNAME/DNAME links followed inside one reply (all in the server's zone, and only when it is
   * authoritative); a longer chain goes on with a query for where these end.
   */
  public static final int MAX_CHAIN_IN_REPLY = 4;

  private Scrubber() {}

  /**
   * @param reply the reply as received (ID and question already checked by the transport)
   * @param qname the name queried
   * @param qtype the type queried
   * @param zone the bailiwick: the zone the queried server was chosen for ("." for forwarders
   *     of everything)
   */
  public static ScrubbedResponse scrub(Message reply, Name qname, int qtype, Name zone) {
    return scrub(reply, qname, qtype, zone, Integer.MAX_VALUE);
  }

  /**
   * As {@link #scrub(Message, Name, int, Name)}, keeping at most {@code maxNs} records of each
   * NS set (the first ones, in packet order).
   */
  public static ScrubbedResponse scrub(Message reply, Name qname, int qtype, Name zone, int maxNs) {
    return scrub(reply, qname, qtype, zone, maxNs, true);
  }

  /**
   * As {@link #scrub(Message, Name, int, Name, int)}; with {@code hardenGlue} false, a referral
   * keeps the addresses of its NS names outside the bailiwick too (Unbound harden-glue: no), so a
   * delegation whose servers are named in a zone the referring server does not serve can be
   * followed without looking their addresses up. Such glue may be forged by any server on the
   * path: it is off by default.
   */
  public static ScrubbedResponse scrub(Message reply, Name qname, int qtype, Name zone, int maxNs,
      boolean hardenGlue) {
    int rcode = reply.getRcode();
    boolean aa = reply.getHeader().getFlag(Flags.AA);
    List<RRset> answers = inClass(reply.getSectionRRsets(Section.ANSWER));
    List<RRset> chain = new ArrayList<>();
    Name sname = qname;
    boolean complete = false;
    for (int i = 0; i < MAX_CHAIN_IN_REPLY && sname.subdomain(zone); i++) {
      if (qtype == Type.ANY || qtype == Type.RRSIG) {
        complete = collect(answers, sname, qtype, chain);
        break;
      }
      RRset data = find(answers, sname, qtype);
      if (data != null) {
        chain.add(data);
        complete = true;
        break;
      }
      Name target;
      RRset dname = findDname(answers, sname, zone);
      RRset cname;
      if (dname != null && qtype != Type.DNAME) {
        // RFC 6672 section 2.2: the DNAME itself is the authority; the CNAME is re-synthesised
        // here so a forged CNAME next to it cannot point elsewhere.
        DNAMERecord d = (DNAMERecord) dname.first();
        chain.add(dname);
        try {
          target = sname.fromDNAME(d);
        } catch (NameTooLongException e) {
          rcode = Rcode.YXDOMAIN; // RFC 6672 section 2.2
          break;
        }
        chain.add(new RRset(new CNAMERecord(sname, DClass.IN, d.getTTL(), target)));
      } else if ((cname = find(answers, sname, Type.CNAME)) != null && qtype != Type.CNAME) {
        chain.add(cname);
        target = ((CNAMERecord) cname.first()).getTarget();
      } else {
        break;
      }
      boolean loop = target.equals(sname) || owns(chain, target);
      sname = target;
      if (!aa || loop) {
        // Data after a CNAME/DNAME in a non-authoritative reply is not believed (RFC 2181
        // section 5.4.1 ranks it lowest; a server may append anything there): the target is
        // resolved by its own query. A loop is left to the caller to judge.
        break;
      }
      // An authoritative server gives the rest of the chain inside its zone itself (RFC 1034
      // section 4.3.2 step 3a), and may only speak for its bailiwick: the chain goes on with
      // the target while it stays inside (the loop condition). Unbound drops these records
      // and asks again, one query more per link.
    }

    List<RRset> authority = new ArrayList<>();
    boolean haveSoa = false;
    boolean haveNs = false;
    boolean droppedNs = false;
    for (RRset r : inClass(reply.getSectionRRsets(Section.AUTHORITY))) {
      Name owner = r.getName();
      if ((r.getType() == Type.NSEC || r.getType() == Type.NSEC3) && owner.subdomain(zone) && r.size() > 0) {
        // The proofs of a negative or wildcard answer (RFC 4035 3.1.3, RFC 5155 7.2), with their
        // signatures: owned by names near the question's, not above it. The validator judges them.
        authority.add(r);
        continue;
      }
      if (!owner.subdomain(zone) || !sname.subdomain(owner)) {
        droppedNs |= r.getType() == Type.NS;
        continue; // out of bailiwick or about another name
      }
      if (r.getType() == Type.SOA && !haveSoa) {
        authority.add(r);
        haveSoa = true;
      } else if (r.getType() == Type.NS && !haveNs) {
        authority.add(r);
        haveNs = true;
      }
    }

    if (maxNs < Integer.MAX_VALUE) {
      chain.replaceAll(r -> capNs(r, maxNs));
      authority.replaceAll(r -> capNs(r, maxNs));
    }
    Set<Name> nsTargets = new HashSet<>();
    for (RRset r : authority) {
      if (r.getType() == Type.NS) addTargets(r, nsTargets);
    }
    for (RRset r : chain) {
      if (r.getType() == Type.NS) addTargets(r, nsTargets);
    }
    // Only a referral's glue is taken from outside the bailiwick: it is what reaches the servers
    // of the delegation; alongside an answer it would only be passed on.
    boolean referral = rcode == Rcode.NOERROR && chain.isEmpty() && haveNs && !haveSoa;
    boolean outsideGlue = !hardenGlue && referral;
    List<RRset> additional = new ArrayList<>();
    for (RRset r : inClass(reply.getSectionRRsets(Section.ADDITIONAL))) {
      if ((r.getType() == Type.A || r.getType() == Type.AAAA)
          && nsTargets.contains(r.getName()) && (outsideGlue || r.getName().subdomain(zone))) {
        additional.add(r);
      }
    }
    return new ScrubbedResponse(rcode, aa,
        reply.getHeader().getFlag(Flags.RA), chain, sname, complete, authority, additional, droppedNs);
  }

  /**
   * Every RRset owned by {@code sname} (ANY), or every signature there (RRSIG: RFC 4035 section
   * 3.2.1 allows it as a query type; dnsjava files signatures with the set they cover, so each
   * covered type gives a set of signatures alone). True when there was any.
   */
  private static boolean collect(List<RRset> answers, Name sname, int qtype, List<RRset> chain) {
    boolean any = false;
    for (RRset r : answers) {
      if (!r.getName().equals(sname)) continue;
      if (qtype == Type.ANY) {
        chain.add(r);
        any = true;
      } else if (!r.sigs().isEmpty()) {
        RRset sigs = new RRset();
        r.sigs().forEach(sigs::addRR);
        chain.add(sigs);
        any = true;
      }
    }
    return any;
  }

  /** True when a record of {@code chain} is owned by {@code name} (the chain came back to it). */
  private static boolean owns(List<RRset> chain, Name name) {
    for (RRset r : chain) {
      if (r.getName().equals(name)) return true;
    }
    return false;
  }

  private static RRset capNs(RRset r, int maxNs) {
    if (r.getType() != Type.NS || r.size() <= maxNs) return r;
    return new RRset(r.rrs(false).subList(0, maxNs));
  }

  private static void addTargets(RRset ns, Set<Name> out) {
    for (Record rec : ns.rrs(false)) {
      out.add(((NSRecord) rec).getTarget());
    }
  }

  private static List<RRset> inClass(List<RRset> rrsets) {
    List<RRset> out = new ArrayList<>(rrsets.size());
    for (RRset r : rrsets) {
      if (r.getDClass() == DClass.IN && r.getType() != Type.OPT) out.add(r);
    }
    return out;
  }

  /**
   * The RRset of {@code type} at {@code name} that holds records: signatures alone make dnsjava an
   * RRset of the type they cover whose first record is an RRSIG, which is no data of that type.
   */
  private static RRset find(List<RRset> rrsets, Name name, int type) {
    for (RRset r : rrsets) {
      if (r.getType() == type && r.getName().equals(name) && r.size() > 0) return r;
    }
    return null;
  }

  private static RRset findDname(List<RRset> rrsets, Name sname, Name zone) {
    for (RRset r : rrsets) {
      if (r.getType() == Type.DNAME && r.size() > 0 && !r.getName().equals(sname) && sname.subdomain(r.getName())
          && r.getName().subdomain(zone)) {
        return r;
      }
    }
    return null;
  }
}
