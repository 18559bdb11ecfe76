package dev.namu.zones.model;

import java.util.Optional;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The one bound every record's data obeys: RFC 1035 3.2.1, RDLENGTH is an unsigned 16 bit count of
 * octets. dnsjava reads a TXT of any number of strings, so a record that cannot be written in a
 * message (nor answered, nor stored) is refused where it enters: a zone file, an import, an edit.
 */
public final class RdataLength {

  /** The most octets of RDATA a record can have. */
  public static final int MAX = 0xFFFF;

  private RdataLength() {}

  /** Why {@code r} cannot be a record, when its data is longer than {@link #MAX}. */
  public static Optional<String> problem(Record r) {
    if (bounded(r.getType())) {
      return Optional.empty();
    }
    int length = r.rdataToWireCanonical().length;
    if (length <= MAX) {
      return Optional.empty();
    }
    return Optional.of(r.getName() + " " + Type.string(r.getType()) + ": record data is " + length
        + " bytes, more than a record holds (" + MAX + ", RFC 1035 3.2.1)");
  }

  /** Types whose data is a few names and numbers: never near the bound, not worth encoding. */
  private static boolean bounded(int type) {
    switch (type) {
      case Type.A:
      case Type.AAAA:
      case Type.NS:
      case Type.CNAME:
      case Type.DNAME:
      case Type.PTR:
      case Type.MX:
      case Type.SOA:
      case Type.SRV:
        return true;
      default:
        return false;
    }
  }
}
