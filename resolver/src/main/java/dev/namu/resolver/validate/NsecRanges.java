package dev.namu.resolver.validate;

import dev.namu.resolver.cache.AnswerKind;
import dev.namu.resolver.cache.CachedAnswer;
import dev.namu.resolver.cache.CachedRRset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The NSEC records of validated (secure) name errors, by owner in canonical order (RFC 4034
 * 6.1), so that a name inside a proven range is answered NXDOMAIN from them without asking
 * upstream (RFC 8198 aggressive use of DNSSEC-validated cache): the defence against floods of
 * random names under one signed zone. NSEC3 ranges are not used (RFC 8198 allows, does not
 * require them). Thread-safe.
 */
public final class NsecRanges {
  /** Ranges kept at most; past it new ones are not kept until old ones expire. */
  private final int maxEntries;
  private final ConcurrentSkipListMap<Name, Range> ranges = new ConcurrentSkipListMap<>();

  /** One NSEC record with the SOA of the negative answer that carried it (RFC 8198 5.1). */
  private record Range(Name zone, NSECRecord nsec, CachedRRset set, CachedRRset soa) {}

  public NsecRanges(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** Keeps the NSEC ranges of {@code a}, a name error judged secure. */
  public void add(CachedAnswer a, long now) {
    if (a.kind() != AnswerKind.NXDOMAIN) {
      return;
    }
    CachedRRset soa = null;
    for (CachedRRset s : a.authority()) {
      if (s.type() == Type.SOA) {
        soa = s;
      }
    }
    if (soa == null) {
      return;
    }
    removeExpired(now);
    for (CachedRRset s : a.authority()) {
      if (s.type() != Type.NSEC || ranges.size() >= maxEntries) {
        continue;
      }
      Name zone = signer(s);
      Record first = s.rrset().first();
      if (zone != null && first instanceof NSECRecord nsec && soa.name().equals(zone)) {
        ranges.put(nsec.getName(), new Range(zone, nsec, s, soa));
      }
    }
  }

  /**
   * A secure NXDOMAIN for {@code qname} from the ranges kept: one NSEC covering the name and one
   * covering the wildcard at its closest encloser (RFC 4035 5.4, RFC 8198 4); null when they do
   * not prove it.
   */
  public CachedAnswer nxdomain(Name qname, long now) {
    Range name = covering(qname, now);
    if (name == null) {
      return null;
    }
    Name encloser = closestEncloser(qname, name.nsec());
    Name wildcard;
    try {
      wildcard = Name.concatenate(Name.fromConstantString("*"), encloser);
    } catch (org.xbill.DNS.NameTooLongException e) {
      return null;
    }
    Range star = covering(wildcard, now);
    if (star == null || !star.zone().equals(name.zone())) {
      return null;
    }
    List<CachedRRset> authority = new ArrayList<>(List.of(name.soa(), name.set()));
    if (star.set() != name.set()) {
      authority.add(star.set());
    }
    long expires = Long.MAX_VALUE;
    long ttl = Long.MAX_VALUE;
    for (CachedRRset s : authority) {
      expires = Math.min(expires, s.expiresAtNanos());
      ttl = Math.min(ttl, s.ttlSeconds());
    }
    return new CachedAnswer(AnswerKind.NXDOMAIN, Rcode.NXDOMAIN, List.of(), authority, List.of(), expires, ttl);
  }

  /** The range that proves {@code name} does not exist, or null. */
  private Range covering(Name name, long now) {
    Map.Entry<Name, Range> e = ranges.floorEntry(name);
    if (e == null) {
      return null;
    }
    Range r = e.getValue();
    if (r.set().expiresAtNanos() <= now || r.soa().expiresAtNanos() <= now) {
      ranges.remove(e.getKey(), r);
      return null;
    }
    Name owner = r.nsec().getName();
    Name next = r.nsec().getNext();
    if (owner.equals(name) || !name.subdomain(r.zone())) {
      return null;
    }
    // an NSEC at a delegation (NS without SOA) or a DNAME says nothing of the names below it
    // (RFC 4035 5.4, RFC 6672 5.3.4.1.2)
    if (name.subdomain(owner) && ((r.nsec().hasType(Type.NS) && !r.nsec().hasType(Type.SOA))
        || r.nsec().hasType(Type.DNAME))) {
      return null;
    }
    // owner < name < next, or the last NSEC of the zone, whose next is the apex
    boolean last = next.compareTo(owner) <= 0;
    return last || name.compareTo(next) < 0 ? r : null;
  }

  /** The closest encloser of {@code qname}: its longest ancestor shared with the NSEC's ends. */
  private static Name closestEncloser(Name qname, NSECRecord nsec) {
    Name a = commonAncestor(qname, nsec.getName());
    Name b = commonAncestor(qname, nsec.getNext());
    return a.labels() >= b.labels() ? a : b;
  }

  private static Name commonAncestor(Name x, Name y) {
    int n = Math.min(x.labels(), y.labels());
    for (int labels = n; labels > 0; labels--) {
      Name ax = new Name(x, x.labels() - labels);
      if (ax.equals(new Name(y, y.labels() - labels))) {
        return ax;
      }
    }
    return Name.root;
  }

  /** The zone that signed the set, from its RRSIG; null without one. */
  private static Name signer(CachedRRset s) {
    for (Record sig : s.rrset().sigs()) {
      return ((RRSIGRecord) sig).getSigner();
    }
    return null;
  }

  private void removeExpired(long now) {
    if (ranges.size() >= maxEntries) {
      ranges.values().removeIf(r -> r.set().expiresAtNanos() <= now || r.soa().expiresAtNanos() <= now);
    }
  }

  public void clear() {
    ranges.clear();
  }

  public int size() {
    return ranges.size();
  }
}
