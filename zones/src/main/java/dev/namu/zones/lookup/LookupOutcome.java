package dev.namu.zones.lookup;

import dev.namu.zones.model.Node;
import dev.namu.zones.model.ZoneSnapshot;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * What one zone says about one (name, type): the closed set of cases of RFC 1034 4.3.2 step 3
 * (STYLE.md habit 4). {@link AuthoritativeAnswerer} switches on it to fill the sections and to
 * decide whether to follow a CNAME.
 */
public sealed interface LookupOutcome {

  /** The zone the outcome comes from (its SOA goes in negative answers). */
  ZoneSnapshot zone();

  /**
   * Data of the asked type (or, for ANY, one RRset: RFC 8482 4.2).
   *
   * @param wildcard true when synthesized from a wildcard (RFC 4592 3.3.1): owner is the qname
   */
  record Answer(ZoneSnapshot zone, RRset rrset, boolean wildcard) implements LookupOutcome {}

  /** The name is an alias (RFC 1034 3.6.2): the CNAME RRset, and where to continue. */
  record Cname(ZoneSnapshot zone, RRset cname, Name target, boolean wildcard)
      implements LookupOutcome {}

  /**
   * A DNAME owned by an ancestor of the name (RFC 6672 3.2). {@code cname} is the synthesized
   * CNAME (TTL of the DNAME, RFC 6672 3.1) and {@code target} where to continue; both are null
   * when the substituted name would be too long, which is YXDOMAIN (RFC 6672 2.2).
   */
  record Dname(ZoneSnapshot zone, RRset dname, RRset cname, Name target)
      implements LookupOutcome {}

  /** The name is at or below a zone cut (RFC 1034 4.3.2 step 3b): the cut and its NS RRset. */
  record Referral(ZoneSnapshot zone, Node cut, RRset ns) implements LookupOutcome {}

  /**
   * The name exists (possibly as an empty non-terminal or through a wildcard) but has no data of
   * the type (RFC 2308 2.2).
   */
  record NoData(ZoneSnapshot zone) implements LookupOutcome {}

  /** The name does not exist and no wildcard covers it (RFC 2308 2.1, RFC 4592 3.3.1). */
  record NxDomain(ZoneSnapshot zone) implements LookupOutcome {}
}
