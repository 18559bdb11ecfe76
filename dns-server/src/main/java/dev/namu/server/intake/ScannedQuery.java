package dev.namu.server.intake;

/**
 * A plain query read straight off the wire without building a message: one uncompressed question
 * name at offset 12, and at most an OPT record (version 0) with options that need no checking.
 * Only such queries use prepared answers; everything else takes the general path.
 *
 * @param key what a prepared answer for this query is stored under
 * @param edns the OPT's request, or null when the query had none
 */
public record ScannedQuery(QuestionKey key, EdnsRequest edns) {

  /** The question name starts right after the header in both query and reply. */
  public static final int NAME_OFFSET = WireHeader.LENGTH;

  static final int MAX_NAME_LENGTH = 255;
  static final int MAX_LABEL_LENGTH = 63;
  static final int OPT_FIXED_LENGTH = 11;
  static final int TYPE_OPT = 41;
  private static final int OPTION_NSID = 3;
  private static final int OPTION_PADDING = 12;

  /**
   * Reads a query that the {@link WireGate} passed (QUERY, one question, no answer or authority).
   *
   * @return the scanned query, or null when the packet is anything but the plain shape above
   */
  public static ScannedQuery scan(byte[] p) {
    QuestionProbe probe = new QuestionProbe();
    return probe.scan(p) ? probe.toScanned() : null;
  }

  /**
   * True when the options are well-formed and of kinds that change nothing in our reply and that
   * the full decoder accepts as they are (NSID request, padding). Anything else goes the general
   * way: Client Subnet, and a cookie, whose reply carries a server cookie made for its client.
   */
  static boolean plainOptions(byte[] p, int from, int to) {
    int pos = from;
    while (pos < to) {
      if (pos + 4 > to) {
        return false;
      }
      int code = WireHeader.u16(p, pos);
      int len = WireHeader.u16(p, pos + 2);
      pos += 4;
      if (pos + len > to) {
        return false;
      }
      switch (code) {
        case OPTION_NSID, OPTION_PADDING -> {}
        default -> {
          return false;
        }
      }
      pos += len;
    }
    return true;
  }
}
