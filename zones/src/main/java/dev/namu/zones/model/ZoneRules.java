package dev.namu.zones.model;

import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The rules of zone content that every way data arrives obeys alike: a zone file (through
 * {@link SnapshotBuilder}), an API edit or an RFC 2136 UPDATE (through the editor's working zone and
 * {@link SnapshotPatch}). Each rule is here once, so a zone is judged the same whichever way it came.
 */
public final class ZoneRules {

  private ZoneRules() {}

  /**
   * True for the types that may share an owner name with a CNAME: the CNAME itself, and what DNSSEC
   * puts there. RFC 4035 2.5: "If a CNAME RRset is present at a name in a signed zone, appropriate
   * RRSIG and NSEC RRsets are REQUIRED at that name. A KEY RRset at that name for secure dynamic
   * update purposes is also allowed. Other types MUST NOT be present at that name." (This replaces
   * RFC 2181 10.1's SIG, NXT and KEY, RFC 3755.) BIND marks the same three types as allowed at a
   * CNAME. NSEC3 is not in the list: RFC 5155 puts it at a hashed owner name, where a CNAME has no
   * business, and does not amend RFC 4035 2.5.
   */
  public static boolean mayAccompanyCname(int type) {
    return type == Type.CNAME || type == Type.RRSIG || type == Type.NSEC || type == Type.KEY;
  }

  /**
   * True when {@code name} belongs in the zone at {@code origin}: a zone holds data at or below its
   * apex only (RFC 1034 4.2.1, RFC 2136 3.4.1.3 for UPDATE).
   */
  public static boolean inZone(Name name, Name origin) {
    return name.subdomain(origin);
  }

  /**
   * True for the types a zone keeps at its apex for as long as it exists: one SOA and at least one
   * NS (RFC 1035 5.2, RFC 1034 4.2.1); RFC 2136 3.4.2.3 and 3.4.2.4 keep an UPDATE from removing
   * them.
   */
  public static boolean keptAtApex(int type) {
    return type == Type.SOA || type == Type.NS;
  }

  /**
   * True for the types of glue: the addresses of a name server at or below a zone cut, which the
   * parent must hold to make the server reachable (RFC 1034 4.2.1); the only data below a cut that
   * is served.
   */
  public static boolean isGlueType(int type) {
    return type == Type.A || type == Type.AAAA;
  }

  /**
   * The name whose addresses go in the additional section with {@code r} (RFC 1034 4.3.2 step 6,
   * RFC 1035 3.3.9 and 3.3.11, RFC 2782 for SRV), or null: the targets of NS, MX and SRV. The same
   * names must be hosts, not aliases (RFC 2181 10.3).
   */
  public static Name additionalTarget(Record r) {
    return hasAdditionalTarget(r.getType()) ? r.getAdditionalName() : null;
  }

  /** True for the types {@link #additionalTarget} gives a name for. */
  public static boolean hasAdditionalTarget(int type) {
    return type == Type.NS || type == Type.MX || type == Type.SRV;
  }
}
