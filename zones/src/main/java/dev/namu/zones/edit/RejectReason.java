package dev.namu.zones.edit;

/** Why an edit was rejected; each maps to one HTTP status and one DNS rcode. */
public enum RejectReason {
  /** The zone is not an editable (stored) zone. DNS NOTAUTH, HTTP 404. */
  NO_SUCH_ZONE,
  /** The zone exists already (create). HTTP 409. */
  ZONE_EXISTS,
  /** Prerequisite "name in use" failed. DNS NXDOMAIN (RFC 2136 3.2.5). */
  NAME_NOT_IN_USE,
  /** Prerequisite "name not in use" failed. DNS YXDOMAIN. */
  NAME_IN_USE,
  /** Prerequisite "RRset exists" failed. DNS NXRRSET. */
  RRSET_MISSING,
  /** Prerequisite "RRset does not exist" failed. DNS YXRRSET. */
  RRSET_EXISTS,
  /** The result would not be a valid zone, or an operation is malformed. DNS FORMERR/REFUSED, HTTP 422. */
  INVALID,
  /** A strict delete named a record or RRset that is not there. HTTP 404. */
  NOT_FOUND,
  /** A CNAME and other data at one name (RFC 1034 3.6.2, RFC 2181 10.1). HTTP 409. */
  CNAME_CONFLICT,
  /**
   * An edit of the DNSSEC records (RRSIG, NSEC, NSEC3, NSEC3PARAM, DNSKEY) of a zone namud signs:
   * those are the signer's. DNS REFUSED, HTTP 400.
   */
  SIGNED_BY_SERVER,
  /** The store refused or failed; nothing was published. DNS SERVFAIL, HTTP 503. */
  STORE_FAILED
}
