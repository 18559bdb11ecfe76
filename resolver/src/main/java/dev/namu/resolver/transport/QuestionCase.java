package dev.namu.resolver.transport;

import java.util.function.IntSupplier;

/**
 * The letters of a query's question name in random case, and the check that a reply repeats them
 * (draft-vixie-dnsext-dns0x20, Unbound's use-caps-for-id): servers copy the question into the
 * reply as it came, so a forger must guess one more bit per letter on top of the ID and port.
 *
 * <p>Works on wire bytes: the question name starts right after the 12-byte header and is never
 * compressed there (nothing comes before it to point at, RFC 1035 section 4.1.4).
 */
final class QuestionCase {
  private static final int HEADER = 12;

  /** How a reply's question name compares with the one sent. */
  enum Echo {
    /** Byte for byte the name sent. */
    SAME,
    /** The same name with some letters in another case. */
    CASE_ONLY,
    /** No question, or another name. */
    OTHER
  }

  private QuestionCase() {}

  /** The offset just past the question name of {@code wire}, or -1 when there is none. */
  static int nameEnd(byte[] wire) {
    if (wire.length <= HEADER || ((wire[4] & 0xff) << 8 | (wire[5] & 0xff)) == 0) return -1;
    int at = HEADER;
    while (at < wire.length) {
      int len = wire[at] & 0xff;
      if (len == 0) return at + 1;
      if ((len & 0xc0) != 0) return -1;
      at += 1 + len;
    }
    return -1;
  }

  /**
   * Flips the case of each letter of the question name in {@code wire} (up to {@code end}) on a
   * random bit; {@code sixteenBits} gives 16 unpredictable bits a call (a SecureRandom's).
   */
  static void randomise(byte[] wire, int end, IntSupplier sixteenBits) {
    int bits = 0;
    int left = 0;
    int at = HEADER;
    while (at < end - 1) {
      int len = wire[at] & 0xff;
      for (int i = at + 1; i <= at + len; i++) {
        if (!isLetter(wire[i])) continue;
        if (left == 0) {
          bits = sixteenBits.getAsInt();
          left = 16;
        }
        if ((bits & 1) != 0) wire[i] ^= 0x20;
        bits >>>= 1;
        left--;
      }
      at += 1 + len;
    }
  }

  /** How the name at the start of {@code reply}'s question compares with {@code sent}'s. */
  static Echo echo(byte[] sent, int end, byte[] reply) {
    if (reply.length < end || ((reply[4] & 0xff) << 8 | (reply[5] & 0xff)) == 0) return Echo.OTHER;
    boolean exact = true;
    for (int i = HEADER; i < end; i++) {
      byte s = sent[i];
      byte r = reply[i];
      if (s == r) continue;
      // Label length bytes are never letters; a byte that differs by 0x20 between two letters
      // is the same letter in another case.
      if (isLetter(s) && (s ^ r) == 0x20) {
        exact = false;
        continue;
      }
      return Echo.OTHER;
    }
    return exact ? Echo.SAME : Echo.CASE_ONLY;
  }

  /**
   * Writes the name as the caller asked it ({@code asked}) over the reply's question, so that
   * every name the server compressed against the question (the answer's owner, usually) reads
   * back in the caller's case: the random case stays out of the cache and the client's answer.
   */
  static void restore(byte[] asked, int end, byte[] reply) {
    System.arraycopy(asked, HEADER, reply, HEADER, end - HEADER);
  }

  private static boolean isLetter(byte b) {
    return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z';
  }
}
