package dev.namu.zones.sign;

/**
 * What a key signs. namud keeps a KSK and a ZSK apart (RFC 6781 3.1) rather than one CSK, Knot's
 * default for ECDSA: the ZSK then rolls on a schedule with no step at the parent, and only the KSK's
 * rare roll needs the parent's DS changed.
 */
public enum KeyRole {
  /** Key signing key: flags 257 (SEP), signs the DNSKEY RRset; its DS is at the parent. */
  KSK(257),
  /** Zone signing key: flags 256, signs every other RRset. */
  ZSK(256);

  private final int flags;

  KeyRole(int flags) {
    this.flags = flags;
  }

  /** The DNSKEY flags field (RFC 4034 2.1.1). */
  public int flags() {
    return flags;
  }
}
