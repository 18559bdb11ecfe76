package dev.namu.server.resolved;

import dev.namu.server.intake.WireHeader;

/**
 * Finds the TTL field of every resource record in a reply's wire bytes (RFC 1035 4.1.3: owner,
 * TYPE, CLASS, TTL, RDLENGTH, RDATA), so that a kept copy can count its TTLs down without being
 * parsed again. The OPT pseudo-record's TTL field holds EDNS flags, not a TTL (RFC 6891 6.1.3),
 * and is left alone.
 */
final class TtlFields {
  private static final int TYPE_OPT = 41;
  private static final int POINTER = 0xC0;
  private static final int MAX_LABEL = 63;

  private TtlFields() {}

  /**
   * The offsets of the TTL fields, or null when the reply is not one to keep: not exactly one
   * question, a malformed record, a TTL with the top bit set (RFC 2181 8), or an OPT that carries
   * options (an extended error, RFC 8914, says something about this one reply only).
   */
  static int[] find(byte[] wire) {
    if (wire.length < WireHeader.LENGTH || WireHeader.qdcount(wire) != 1) {
      return null;
    }
    int records = WireHeader.ancount(wire) + WireHeader.nscount(wire) + WireHeader.arcount(wire);
    int[] offsets = new int[records];
    int found = 0;
    int pos = skipName(wire, WireHeader.LENGTH);
    if (pos < 0 || pos + 4 > wire.length) {
      return null;
    }
    pos += 4;
    for (int i = 0; i < records; i++) {
      pos = skipName(wire, pos);
      if (pos < 0 || pos + 10 > wire.length) {
        return null;
      }
      int type = u16(wire, pos);
      int ttlAt = pos + 4;
      int rdlength = u16(wire, pos + 8);
      pos += 10 + rdlength;
      if (pos > wire.length) {
        return null;
      }
      if (type == TYPE_OPT) {
        if (rdlength != 0) {
          return null;
        }
        continue;
      }
      if ((wire[ttlAt] & 0x80) != 0) {
        return null;
      }
      offsets[found++] = ttlAt;
    }
    if (pos != wire.length) {
      return null;
    }
    return found == records ? offsets : java.util.Arrays.copyOf(offsets, found);
  }

  /** The position after the name at {@code pos}, or -1 when it runs off the end or is malformed. */
  private static int skipName(byte[] wire, int pos) {
    while (pos < wire.length) {
      int len = wire[pos] & 0xFF;
      if ((len & POINTER) == POINTER) {
        return pos + 2 <= wire.length ? pos + 2 : -1;
      }
      if (len > MAX_LABEL) {
        return -1;
      }
      pos += 1 + len;
      if (len == 0) {
        return pos;
      }
    }
    return -1;
  }

  private static int u16(byte[] m, int off) {
    return ((m[off] & 0xFF) << 8) | (m[off + 1] & 0xFF);
  }

  static long u32(byte[] m, int off) {
    return ((long) (m[off] & 0xFF) << 24)
        | ((m[off + 1] & 0xFF) << 16)
        | ((m[off + 2] & 0xFF) << 8)
        | (m[off + 3] & 0xFF);
  }
}
