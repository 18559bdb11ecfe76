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
    int h = Arrays.hashCode(lowerName);
    h = 31 * h + qtype;
    h = 31 * h + qclass;
    h = 31 * h + (edns ? 1 : 0);
    h = 31 * h + (dnssecOk ? 2 : 0);
    this.hash = h;
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
