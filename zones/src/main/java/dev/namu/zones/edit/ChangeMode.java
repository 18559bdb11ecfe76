package dev.namu.zones.edit;

/** How an edit treats operations that cannot apply as asked. */
public enum ChangeMode {
  /**
   * For people and scripts (API, CLI): deleting what is not there, a CNAME beside other data, removing
   * the SOA or the last apex NS are errors, and the whole edit is rejected with the reason.
   */
  STRICT,
  /**
   * RFC 2136 section 3.4.2: such operations are silently ignored and the rest of the update applies
   * (what nsupdate and ACME clients expect).
   */
  RFC2136
}
