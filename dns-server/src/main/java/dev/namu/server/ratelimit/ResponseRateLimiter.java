package dev.namu.server.ratelimit;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Response rate limiting (RRL, as BIND's and NSD's): a token bucket for each client prefix and
 * kind of answer ({@link ReplyKey}), debited one a reply and credited its rate for each second
 * since it was last credited. A reply that finds its bucket empty is limited: dropped, or every
 * {@code slip}-th one sent truncated so a real client behind a spoofed flood retries over TCP. A
 * bucket's debt is bounded by the window, so a flood is remembered for at most that long.
 *
 * <p>A bucket is credited when it runs dry, not at the turn of each second: a reply that finds
 * tokens left takes one and reads no clock (a clock read costs as much as the rest of the
 * decision). So a client may spend in one second what it left unused the second before: at most
 * twice the rate in one second, the rate on average, as before.
 *
 * <p>The table is a fixed array of buckets found by the key's hash; a key that lands on another's
 * bucket takes it over (as NSD does), so memory is bounded whatever the number of sources, at the
 * cost of an attacker's and a victim's buckets sometimes being shared. Each bucket is two longs
 * read and written without a lock: event loops updating one bucket at the same instant may lose
 * one of the updates, which errs by a reply, never more.
 */
public final class ResponseRateLimiter {
  /** What becomes of a reply. */
  public enum Verdict {
    SEND,
    DROP,
    SLIP
  }

  private static final long NANOS = 1_000_000_000L;
  /** The balance is kept in 24 signed bits of a bucket's state. */
  private static final int MAX_DEBT = (1 << 23) - 1;

  private final int rate;
  private final int slip;
  private final int ipv6Prefix;
  private final Predicate<InetAddress> exempt;
  private final AtomicLongArray table;
  private final int mask;
  private final int floor;
  private final long seed;
  private final long v4Mask;
  private final LongSupplier nanoTime;
  private final long origin;

  /**
   * @param rate replies a second for one bucket (1 or more)
   * @param slip every slip-th limited reply is slipped (0: none)
   * @param window seconds of the rate a bucket may owe
   * @param ipv4Prefix bits of an IPv4 address that make one client
   * @param ipv6Prefix bits of an IPv6 address that make one client
   * @param buckets the table's size, a power of two
   * @param exempt clients never limited
   */
  public ResponseRateLimiter(int rate, int slip, int window, int ipv4Prefix, int ipv6Prefix, int buckets,
      Predicate<InetAddress> exempt) {
    this(rate, slip, window, ipv4Prefix, ipv6Prefix, buckets, exempt, System::nanoTime);
  }

  ResponseRateLimiter(int rate, int slip, int window, int ipv4Prefix, int ipv6Prefix, int buckets,
      Predicate<InetAddress> exempt, LongSupplier nanoTime) {
    if (rate < 1 || slip < 0 || window < 1 || Integer.bitCount(buckets) != 1) {
      throw new IllegalArgumentException("rate limiting: a setting out of range");
    }
    this.rate = rate;
    this.slip = slip;
    this.ipv6Prefix = ipv6Prefix;
    this.exempt = exempt;
    this.table = new AtomicLongArray(2 * buckets);
    this.mask = buckets - 1;
    this.floor = (int) -Math.min((long) window * rate, MAX_DEBT);
    // a secret seed: a source cannot pick names that share a bucket with its victim's on purpose
    this.seed = new SecureRandom().nextLong() | 1;
    this.v4Mask = ipv4Prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - ipv4Prefix)) & 0xFFFFFFFFL;
    this.nanoTime = nanoTime;
    this.origin = nanoTime.getAsLong();
  }

  /** True when {@code client} is in one of the exempt ranges. */
  public boolean exempt(InetAddress client) {
    return exempt.test(client);
  }

  /**
   * The verdict on one UDP reply to {@code client} (not exempt): one hash of its prefix and kind,
   * one bucket read and written.
   *
   * @param reply the reply's bytes from its header on (its ID and the RD and CD bits do not matter)
   */
  public Verdict decide(byte[] reply, InetAddress client) {
    long key = ReplyKey.mix(ReplyKey.of(reply, seed), prefix(client), 0);
    int at = (int) (key & mask) << 1;
    long state = table.getPlain(at + 1);
    boolean known = table.getPlain(at) == key && state != 0;
    if (known && (int) (state << 32 >> 40) > 0) {
      // tokens left: one taken (the balance is positive, so no borrow reaches the second)
      table.setPlain(at + 1, state - (1L << 8));
      return Verdict.SEND;
    }
    int now = (int) ((nanoTime.getAsLong() - origin) / NANOS);
    int balance;
    int limited;
    if (!known) {
      // a new key (or one that took another's bucket) starts with a full second's rate
      balance = rate;
      limited = 0;
    } else {
      int stamp = (int) (state >>> 32) - 1;
      balance = (int) (state << 32 >> 40);
      limited = (int) (state & 0xFF);
      long elapsed = (long) now - stamp;
      if (elapsed > 0) {
        balance = (int) Math.min(rate, balance + elapsed * rate);
      } else {
        now = stamp;
      }
    }
    Verdict verdict;
    if (balance > 0) {
      balance--;
      verdict = Verdict.SEND;
    } else {
      balance = Math.max(floor, balance - 1);
      limited = slip == 0 ? 0 : (limited + 1) % slip;
      verdict = slip > 0 && limited == 0 ? Verdict.SLIP : Verdict.DROP;
    }
    table.setPlain(at, key);
    // the second of the last credit is kept plus one, so a used bucket's state is never 0, a
    // bucket never used is
    table.setPlain(at + 1, ((long) (now + 1) << 32) | ((long) (balance & 0xFFFFFF) << 8) | limited);
    return verdict;
  }

  /** The client's prefix as one number: its address with the bits past the prefix cleared. */
  private long prefix(InetAddress client) {
    if (client instanceof java.net.Inet4Address) {
      // Inet4Address's hash is its 32-bit address: no copy of it made on every reply
      return (client.hashCode() & 0xFFFFFFFFL) & v4Mask;
    }
    byte[] a = client.getAddress();
    int bits = ipv6Prefix;
    long h = 6;
    for (int i = 0; i < 16; i++) {
      int keep = Math.max(0, Math.min(8, bits - 8 * i));
      int masked = a[i] & (0xFF << (8 - keep)) & 0xFF;
      h = h * 257 + masked;
    }
    return h;
  }
}
