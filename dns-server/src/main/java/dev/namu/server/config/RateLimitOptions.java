package dev.namu.server.config;

import dev.namu.server.net.AddressRange;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** namud's flags for response rate limiting, mixed into its command line. */
public final class RateLimitOptions {
  @Option(names = "--rrl-rate", paramLabel = "N",
      description = "Response rate limiting: UDP replies a second to one client prefix for one answer,"
          + " 0 to 100000; 0 turns it off (default 200). Clients that may recurse, TCP and"
          + " cookie-verified clients are never limited.")
  Integer rate;

  @Option(names = "--rrl-slip", paramLabel = "N",
      description = "Send every Nth limited reply truncated (TC) instead of dropping it, so a real"
          + " client retries over TCP, 0 to 10; 0 drops them all (default 2).")
  Integer slip;

  @Option(names = "--rrl-window", paramLabel = "SECS",
      description = "Seconds a flood is remembered: a limited prefix is answered in full again after"
          + " this long below the rate, 1 to 3600 (default 15).")
  Integer window;

  @Option(names = "--rrl-ipv4-prefix", paramLabel = "N",
      description = "IPv4 prefix length counted as one client, 0 to 32 (default 24).")
  Integer ipv4Prefix;

  @Option(names = "--rrl-ipv6-prefix", paramLabel = "N",
      description = "IPv6 prefix length counted as one client, 0 to 128 (default 56).")
  Integer ipv6Prefix;

  @Option(names = "--rrl-exempt", paramLabel = "CIDR",
      description = "Clients never rate limited; repeatable. Default: none besides those above.")
  List<String> exempt;

  /** @throws IllegalArgumentException with a one-line message for a bad value */
  public RateLimitConfig toConfig() {
    List<AddressRange> ranges = new ArrayList<>();
    if (exempt != null) {
      for (String r : exempt) {
        try {
          ranges.add(AddressRange.parse(r));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--rrl-exempt " + e.getMessage());
        }
      }
    }
    return new RateLimitConfig(
        within("--rrl-rate", rate, RateLimitConfig.DEFAULT_RATE, 0, RateLimitConfig.MAX_RATE),
        within("--rrl-slip", slip, RateLimitConfig.DEFAULT_SLIP, 0, RateLimitConfig.MAX_SLIP),
        within("--rrl-window", window, RateLimitConfig.DEFAULT_WINDOW, 1, RateLimitConfig.MAX_WINDOW),
        within("--rrl-ipv4-prefix", ipv4Prefix, RateLimitConfig.DEFAULT_IPV4_PREFIX, 0, 32),
        within("--rrl-ipv6-prefix", ipv6Prefix, RateLimitConfig.DEFAULT_IPV6_PREFIX, 0, 128),
        ranges,
        RateLimitConfig.DEFAULT_BUCKETS);
  }

  private static int within(String flag, Integer value, int otherwise, int min, int max) {
    if (value == null) {
      return otherwise;
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(flag + " " + value + ": must be " + min + " to " + max);
    }
    return value;
  }
}
