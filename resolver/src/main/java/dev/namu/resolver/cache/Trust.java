package dev.namu.resolver.cache;

/**
 * How far cached data may be believed, lowest first: RFC 2181 section 5.4.1 ranks data from the
 * answer section of an authoritative reply above its authority section, above non-authoritative
 * answers, above referral NS sets, above additional-section glue. Lower-ranked data never
 * replaces higher-ranked data that has not expired.
 */
public enum Trust {
  /** Glue and other additional-section data: used to reach servers, never answered to clients. */
  ADDITIONAL,
  /** NS sets of referrals (the parent's copy). */
  AUTHORITY,
  /** Answers without AA (forwarders, recursive servers). */
  ANSWER,
  /** Authority section of an authoritative reply (the child's NS, SOA). */
  AUTHORITY_AA,
  /** Answer section of an authoritative reply. */
  ANSWER_AA;

  /** True when data of this rank may be given to clients as an answer. */
  public boolean answerable() {
    return this == ANSWER || this == ANSWER_AA;
  }
}
