package dev.namu.server.config;

import dev.namu.server.net.AddressRange;
import java.util.List;

/**
 * Response rate limiting's settings (see {@code ratelimit.ResponseRateLimiter}).
 *
 * @param rate responses a second to one client prefix for one kind of answer; 0 turns it off
 * @param slip every slip-th limited reply is sent truncated instead of dropped (0: all dropped)
 * @param window seconds over which a flood is remembered: a bucket's debt is at most this many
 *     seconds of its rate, so a source must be quiet that long before it is answered in full again
 * @param ipv4Prefix the IPv4 prefix length that makes one client
 * @param ipv6Prefix the IPv6 prefix length that makes one client
 * @param exempt clients never limited (besides TCP, cookie-verified and recursing clients)
 * @param buckets the table's size: a power of two, fixed whatever the number of clients
 */
public record RateLimitConfig(
    int rate, int slip, int window, int ipv4Prefix, int ipv6Prefix, List<AddressRange> exempt, int buckets) {
  /**
   * NSD's defaults (rrl-ratelimit 200, rrl-slip 2, rrl-ipv4-prefix-length 24): a resolver behind a
   * prefix rarely asks one name 200 times a second (it caches), and half the limited replies
   * truncated let a real client behind a spoofed flood go on over TCP. The /56 for IPv6 is what
   * an ISP commonly gives one site (RFC 6177), as BIND's default.
   */
  public static final int DEFAULT_RATE = 200;
  public static final int DEFAULT_SLIP = 2;
  /** BIND's default window. */
  public static final int DEFAULT_WINDOW = 15;
  public static final int DEFAULT_IPV4_PREFIX = 24;
  public static final int DEFAULT_IPV6_PREFIX = 56;
  /** 2^18 buckets of 16 bytes: 4 MiB, whatever the number of sources (NSD keeps a million). */
  public static final int DEFAULT_BUCKETS = 1 << 18;
  public static final int MAX_RATE = 100_000;
  public static final int MAX_SLIP = 10;
  public static final int MAX_WINDOW = 3600;

  public RateLimitConfig {
    exempt = List.copyOf(exempt);
    if (rate < 0 || rate > MAX_RATE || slip < 0 || slip > MAX_SLIP || window < 1 || window > MAX_WINDOW
        || ipv4Prefix < 0 || ipv4Prefix > 32 || ipv6Prefix < 0 || ipv6Prefix > 128
        || buckets < 1 || Integer.bitCount(buckets) != 1) {
      throw new IllegalArgumentException("rate limiting: a setting out of range");
    }
  }

  public static RateLimitConfig defaults() {
    return new RateLimitConfig(DEFAULT_RATE, DEFAULT_SLIP, DEFAULT_WINDOW, DEFAULT_IPV4_PREFIX,
        DEFAULT_IPV6_PREFIX, List.of(), DEFAULT_BUCKETS);
  }

  /** Rate limiting off. */
  public static RateLimitConfig off() {
    return new RateLimitConfig(0, DEFAULT_SLIP, DEFAULT_WINDOW, DEFAULT_IPV4_PREFIX,
        DEFAULT_IPV6_PREFIX, List.of(), DEFAULT_BUCKETS);
  }

  public boolean enabled() {
    return rate > 0;
  }

  /** True when {@code client} is in one of the exempt ranges. */
  public boolean exempts(java.net.InetAddress client) {
    for (AddressRange range : exempt) {
      if (range.contains(client)) {
        return true;
      }
    }
    return false;
  }
}
