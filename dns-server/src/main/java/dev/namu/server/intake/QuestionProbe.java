package dev.namu.server.intake;

/**
 * A reusable view of a plain query's question, read in place from the packet: it hashes and
 * compares like the {@link QuestionKey} the query would make, so a prepared reply is found with
 * no allocation at all. One probe per thread (it is overwritten by every scan); a key is made
 * from it only when a reply is to be stored.
 *
 * <p>It is only ever the argument of a map lookup ({@code map.get(probe)}), where the map calls
 * {@code probe.equals(storedKey)}; a stored key never compares itself to a probe.
 */
public final class QuestionProbe {
  private byte[] packet;
  private int nameLength;
  private int qtype;
  private int qclass;
  private boolean edns;
  private boolean dnssecOk;
  private int udpPayloadSize;
  private int hash;

  /**
   * Reads a query that the {@link WireGate} passed; see {@link ScannedQuery} for the shape that
   * qualifies.
   *
   * @return false when the packet is anything but that plain shape (the probe is then unusable)
   */
  public boolean scan(byte[] p) {
    packet = null;
    int arcount = WireHeader.arcount(p);
    if (arcount > 1) {
      return false;
    }
    int pos = ScannedQuery.NAME_OFFSET;
    int h = 1;
    while (true) {
      if (pos >= p.length) {
        return false;
      }
      int len = p[pos] & 0xFF;
      h = 31 * h + len;
      pos++;
      if (len == 0) {
        break;
      }
      if (len > ScannedQuery.MAX_LABEL_LENGTH) {
        // a compression pointer or an extended label type: leave it to the full decoder
        return false;
      }
      int end = pos + len;
      if (end > p.length) {
        return false;
      }
      for (; pos < end; pos++) {
        h = 31 * h + QuestionKey.lower(p[pos]);
      }
      if (pos - ScannedQuery.NAME_OFFSET >= ScannedQuery.MAX_NAME_LENGTH) {
        return false;
      }
    }
    int nameEnd = pos;
    if (pos + 4 > p.length) {
      return false;
    }
    int type = WireHeader.u16(p, pos);
    int klass = WireHeader.u16(p, pos + 2);
    pos += 4;
    boolean opt = false;
    boolean doBit = false;
    int size = 0;
    if (arcount == 1) {
      if (pos + ScannedQuery.OPT_FIXED_LENGTH > p.length
          || p[pos] != 0
          || WireHeader.u16(p, pos + 1) != ScannedQuery.TYPE_OPT) {
        return false;
      }
      size = WireHeader.u16(p, pos + 3);
      int version = p[pos + 6] & 0xFF;
      int flags = WireHeader.u16(p, pos + 7);
      int rdlength = WireHeader.u16(p, pos + 9);
      pos += ScannedQuery.OPT_FIXED_LENGTH;
      if (version != 0 || pos + rdlength != p.length || !ScannedQuery.plainOptions(p, pos, p.length)) {
        return false;
      }
      opt = true;
      doBit = (flags & 0x8000) != 0;
    } else if (pos != p.length) {
      return false;
    }
    this.packet = p;
    this.nameLength = nameEnd - ScannedQuery.NAME_OFFSET;
    this.qtype = type;
    this.qclass = klass;
    this.edns = opt;
    this.dnssecOk = opt && doBit;
    this.udpPayloadSize = size;
    this.hash = QuestionKey.hash(h, type, klass, opt, opt && doBit);
    return true;
  }

  /** Wire length of the question name. */
  public int nameLength() {
    return nameLength;
  }

  /** The question's type. */
  public int qtype() {
    return qtype;
  }

  /** The largest reply this query may get over {@code transport} (as {@link ReplySize}). */
  public int replyLimit(Transport transport) {
    if (!transport.datagram()) {
      return ReplySize.TCP;
    }
    if (!edns) {
      return ReplySize.CLASSIC_UDP;
    }
    return Math.max(ReplySize.CLASSIC_UDP, Math.min(udpPayloadSize, ReplySize.OUR_UDP_PAYLOAD));
  }

  /** The scanned query as a value that outlives the probe (allocates: for the general path). */
  public ScannedQuery toScanned() {
    byte[] lower = new byte[nameLength];
    for (int i = 0; i < lower.length; i++) {
      lower[i] = QuestionKey.lower(packet[ScannedQuery.NAME_OFFSET + i]);
    }
    return new ScannedQuery(
        new QuestionKey(lower, qtype, qclass, edns, dnssecOk),
        edns ? new EdnsRequest(udpPayloadSize, 0, dnssecOk, java.util.List.of()) : null);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuestionKey k
        && k.hashCode() == hash
        && k.matches(packet, ScannedQuery.NAME_OFFSET, nameLength, qtype, qclass, edns, dnssecOk);
  }
}
