package dev.namu.server.intake;

/**
 * The fixed 12-byte DNS header (RFC 1035 4.1.1), read and written straight on wire bytes so that
 * triage and the prepared-answer path never build a message object.
 */
public final class WireHeader {
  /** Length of the header; anything shorter is not a DNS message. */
  public static final int LENGTH = 12;

  /** Flag bits in byte 2: QR, OPCODE (4 bits), AA, TC, RD. */
  public static final int QR = 0x80;

  public static final int AA = 0x04;
  public static final int TC = 0x02;
  public static final int RD = 0x01;

  /** Flag bits in byte 3: RA, Z, AD, CD, RCODE (4 bits). */
  public static final int RA = 0x80;
  public static final int CD = 0x10;
  public static final int AD = 0x20;

  private WireHeader() {}

  public static int id(byte[] m) {
    return u16(m, 0);
  }

  public static boolean isResponse(byte[] m) {
    return (m[2] & QR) != 0;
  }

  public static int opcode(byte[] m) {
    return (m[2] >>> 3) & 0x0F;
  }

  public static int qdcount(byte[] m) {
    return u16(m, 4);
  }

  public static int ancount(byte[] m) {
    return u16(m, 6);
  }

  public static int nscount(byte[] m) {
    return u16(m, 8);
  }

  public static int arcount(byte[] m) {
    return u16(m, 10);
  }

  public static int rcode(byte[] m) {
    return m[3] & 0x0F;
  }

  /** Opcode QUERY (RFC 1035 4.1.1). */
  private static final int QUERY = 0;

  /**
   * Whether a reply copies the query's RD and CD bits: only for opcode QUERY, where they are
   * defined (RFC 1035 4.1.1, RFC 4035 3.1.6). For other opcodes those bits mean nothing (RFC 2136
   * 2.2 has them zero in UPDATE), so a reply leaves them clear, as it leaves AA, TC and RA.
   */
  public static boolean echoesRdAndCd(byte[] query) {
    return opcode(query) == QUERY;
  }

  /**
   * Copies the per-query parts of the header into a prepared reply: the ID, and the RD and CD bits
   * which a server copies from the query (RFC 1035 4.1.1, RFC 4035 3.1.6 for CD).
   */
  public static void patchFromQuery(byte[] reply, byte[] query) {
    reply[0] = query[0];
    reply[1] = query[1];
    reply[2] = (byte) ((reply[2] & ~RD) | (query[2] & RD));
    reply[3] = (byte) ((reply[3] & ~CD) | (query[3] & CD));
  }

  static int u16(byte[] m, int offset) {
    return ((m[offset] & 0xFF) << 8) | (m[offset + 1] & 0xFF);
  }
}
