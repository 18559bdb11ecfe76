package dev.namu.server.ratelimit;

import dev.namu.server.recursion.AddressRange;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Response rate limiting (RRL, as BIND's and NSD's): a token bucket for each client prefix and
 * kind of answer ({@link ReplyKey}), credited its rate every second and debited one a reply. A
 * reply that finds its bucket empty is limited: dropped, or every {@code slip}-th one sent
 * truncated so a real client behind a spoofed flood retries over TCP. A bucket's debt is bounded
 * by the window, so a flood is remembered for at most that long.
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

  private final RateLimitConfig config;
  private final AtomicLongArray table;
  private final int mask;
  private final int floor;
  private final long seed;
  private final long v4Mask;
  private final LongSupplier nanoTime;
  private final long origin;

  public ResponseRateLimiter(RateLimitConfig config) {
    this(config, System::nanoTime);
  }

  ResponseRateLimiter(RateLimitConfig config, LongSupplier nanoTime) {
    this.config = config;
    this.table = new AtomicLongArray(2 * config.buckets());
    this.mask = config.buckets() - 1;
    this.floor = (int) -Math.min((long) config.window() * config.rate(), MAX_DEBT);
    // a secret seed: a source cannot pick names that share a bucket with its victim's on purpose
    this.seed = new SecureRandom().nextLong() | 1;
    this.v4Mask = config.ipv4Prefix() == 0 ? 0 : (0xFFFFFFFFL << (32 - config.ipv4Prefix())) & 0xFFFFFFFFL;
    this.nanoTime = nanoTime;
    this.origin = nanoTime.getAsLong();
  }

  public RateLimitConfig config() {
    return config;
  }

  /** True when {@code client} is in one of the exempt ranges. */
  public boolean exempt(InetAddress client) {
    for (AddressRange range : config.exempt()) {
      if (range.contains(client)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The verdict on one UDP reply to {@code client} (not exempt): one hash of its prefix and kind,
   * one bucket read and written.
   */
  public Verdict decide(ByteBuf reply, InetAddress client) {
    long key = ReplyKey.mix(ReplyKey.of(reply, seed), prefix(client), 0);
    int at = (int) (key & mask) << 1;
    int now = (int) ((nanoTime.getAsLong() - origin) / NANOS);
    long state = table.getPlain(at + 1);
    int balance;
    int limited;
    if (table.getPlain(at) != key || state == 0) {
      // a new key (or one that took another's bucket) starts with a full second's rate
      balance = config.rate();
      limited = 0;
    } else {
      int stamp = (int) (state >>> 32) - 1;
      balance = (int) (state << 32 >> 40);
      limited = (int) (state & 0xFF);
      long elapsed = (long) now - stamp;
      if (elapsed > 0) {
        balance = (int) Math.min(config.rate(), balance + elapsed * config.rate());
      }
    }
    Verdict verdict;
    if (balance > 0) {
      balance--;
      verdict = Verdict.SEND;
    } else {
      balance = Math.max(floor, balance - 1);
      limited = config.slip() == 0 ? 0 : (limited + 1) % config.slip();
      verdict = config.slip() > 0 && limited == 0 ? Verdict.SLIP : Verdict.DROP;
    }
    table.setPlain(at, key);
    // the second is kept plus one, so a used bucket's state is never 0, a bucket never used
    table.setPlain(at + 1, ((long) (now + 1) << 32) | ((long) (balance & 0xFFFFFF) << 8) | limited);
    return verdict;
  }

  /** The client's prefix as one number: its address with the bits past the prefix cleared. */
  private long prefix(InetAddress client) {
    byte[] a = client.getAddress();
    if (a.length == 4) {
      long v4 = ((a[0] & 0xFFL) << 24 | (a[1] & 0xFFL) << 16 | (a[2] & 0xFFL) << 8 | (a[3] & 0xFFL));
      return v4 & v4Mask;
    }
    int bits = config.ipv6Prefix();
    long h = 6;
    for (int i = 0; i < 16; i++) {
      int keep = Math.max(0, Math.min(8, bits - 8 * i));
      int masked = a[i] & (0xFF << (8 - keep)) & 0xFF;
      h = h * 257 + masked;
    }
    return h;
  }
}
