package dev.namu.server.intake;

import java.util.Arrays;

/**
 * What a prepared answer depends on besides the zone snapshot: the question name in lower case (as
 * wire bytes), type and class, and whether the query had EDNS and the DO bit. Equal keys get
 * byte-identical replies once ID, RD/CD and the question's case are patched in.
 */
public final class QuestionKey {
  private final byte[] lowerName;
  private final int qtype;
  private final int qclass;
  private final boolean edns;
  private final boolean dnssecOk;
  private final int hash;

  public QuestionKey(byte[] lowerName, int qtype, int qclass, boolean edns, boolean dnssecOk) {
    this.lowerName = lowerName;
    this.qtype = qtype;
    this.qclass = qclass;
    this.edns = edns;
    this.dnssecOk = dnssecOk;
    this.hash = hash(Arrays.hashCode(lowerName), qtype, qclass, edns, dnssecOk);
  }

  /** The hash of a key whose name bytes hash to {@code nameHash} (as {@link Arrays#hashCode}). */
  static int hash(int nameHash, int qtype, int qclass, boolean edns, boolean dnssecOk) {
    int h = nameHash;
    h = 31 * h + qtype;
    h = 31 * h + qclass;
    h = 31 * h + (edns ? 1 : 0);
    h = 31 * h + (dnssecOk ? 2 : 0);
    return h;
  }

  /** RFC 4343: only ASCII letters fold; label length bytes (< 64) are never letters. */
  static byte lower(byte b) {
    return (b >= 'A' && b <= 'Z') ? (byte) (b + ('a' - 'A')) : b;
  }

  /** True when the name at {@code offset} in {@code packet}, lower-cased, and the rest are this key's. */
  boolean matches(
      byte[] packet, int offset, int length, int qtype, int qclass, boolean edns, boolean dnssecOk) {
    if (length != lowerName.length
        || qtype != this.qtype
        || qclass != this.qclass
        || edns != this.edns
        || dnssecOk != this.dnssecOk) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (lower(packet[offset + i]) != lowerName[i]) {
        return false;
      }
    }
    return true;
  }

  /** True when the key is for queries with the DO bit (RFC 3225). */
  public boolean dnssecOk() {
    return dnssecOk;
  }

  public int qtype() {
    return qtype;
  }

  public int qclass() {
    return qclass;
  }

  /** Wire length of the question name, which is also its length in every reply's question. */
  public int nameLength() {
    return lowerName.length;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof QuestionKey k)) {
      return false;
    }
    return hash == k.hash
        && qtype == k.qtype
        && qclass == k.qclass
        && edns == k.edns
        && dnssecOk == k.dnssecOk
        && Arrays.equals(lowerName, k.lowerName);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
