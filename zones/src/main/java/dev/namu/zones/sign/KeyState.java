package dev.namu.zones.sign;

/** Where a key is in its life (RFC 6781 4.1, RFC 7583 3.1, simplified). */
public enum KeyState {
  /**
   * A new KSK whose DS the parent must publish before it enters the DNSKEY RRset (double-DS, RFC 6781
   * 4.1.2): not in the zone; {@code namuctl zone ds} prints its DS beside the old one.
   */
  DS_PENDING(false, false),
  /** In the DNSKEY RRset, not signing yet: a new ZSK reaching caches before it signs (RFC 6781 4.1.1.1). */
  PUBLISHED(true, false),
  /** In the DNSKEY RRset and signing. */
  ACTIVE(true, true),
  /** In the DNSKEY RRset, no longer signing: its signatures may still be in caches. */
  RETIRED(true, false);

  private final boolean published;
  private final boolean signing;

  KeyState(boolean published, boolean signing) {
    this.published = published;
    this.signing = signing;
  }

  /** True when the key is in the zone's DNSKEY RRset. */
  public boolean published() {
    return published;
  }

  /** True when the key makes signatures. */
  public boolean signing() {
    return signing;
  }
}
