package dev.namu.zones.edit;

/** SOA serial arithmetic, RFC 1982: 32-bit numbers that wrap, compared within half the space. */
public final class SerialNumber {

  private static final long MODULUS = 1L << 32;
  private static final long HALF = 1L << 31;

  private SerialNumber() {}

  /** {@code serial + 1} modulo 2^32 (RFC 1982 section 3.1 addition with n = 1). */
  public static long next(long serial) {
    return (serial + 1) % MODULUS;
  }

  /**
   * True when {@code a} is greater than {@code b} in the sense of RFC 1982 section 3.2: either
   * {@code a > b} by less than 2^31, or {@code a < b} by more than 2^31 (the counter wrapped). Pairs
   * exactly 2^31 apart are undefined there; we call them not newer, so such a serial is never taken.
   */
  public static boolean isNewer(long a, long b) {
    check(a);
    check(b);
    return (a < b && b - a > HALF) || (a > b && a - b < HALF);
  }

  /** The serial after {@code current} for an edit that asked for {@code requested} (or -1 for none). */
  public static long advance(long current, long requested) {
    long next = next(current);
    return requested >= 0 && isNewer(requested, next) ? requested : next;
  }

  private static void check(long serial) {
    if (serial < 0 || serial >= MODULUS) {
      throw new IllegalArgumentException("not a 32-bit serial: " + serial);
    }
  }
}
