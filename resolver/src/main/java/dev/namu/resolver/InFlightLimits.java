package dev.namu.resolver;

/**
 * Bounds on the resolutions running at once, against floods that would otherwise hold every
 * socket, timer and byte of the resolver (the per-question budgets are {@link Limits}). A question
 * past a bound gets SERVFAIL with an RFC 8914 extended error (code 0, "Other", text naming the
 * bound) at once, without an upstream query. Only new resolutions count: a question answered from
 * the cache, or joined to a resolution of the same question already running, costs nothing
 * upstream and is never refused.
 *
 * @param perClient resolutions started by one client address (IPv4 or IPv6, the whole address:
 *     namud serves LANs, where a /24 or /64 is every host of the site) running at once; a LAN host
 *     (a browser opening pages) keeps a few dozen in flight at most, so 100 stops one host from
 *     taking the resolver without touching normal use (Unbound's ip-ratelimit bounds one
 *     address's queries a second; this counts what they cost, resolutions in flight)
 * @param total resolutions running at once for every client together, BIND's recursive-clients
 *     and Unbound's num-queries-per-thread times its threads (1000 and 1024 by default); 10,000
 *     serves a busy site and is what a few tens of MiB of resolution state hold
 * @param perZone upstream queries in flight to the servers of one zone (the delegation a query is
 *     sent to) at once: a random-subdomain ("water torture") flood makes every question a miss
 *     that goes to the victim zone's servers, and this caps what namud adds to that flood while
 *     names of every other zone resolve (BIND's fetches-per-zone). Forwarders are not bounded so:
 *     they are resolvers that bound their own work, and every name goes to them
 */
public record InFlightLimits(int perClient, int total, int perZone) {
  public static final int DEFAULT_PER_CLIENT = 100;
  public static final int DEFAULT_TOTAL = 10_000;
  public static final int DEFAULT_PER_ZONE = 100;

  public InFlightLimits {
    if (perClient < 1 || total < 1 || perZone < 1) {
      throw new IllegalArgumentException("in-flight bounds must be at least 1: " + this);
    }
  }

  public static InFlightLimits defaults() {
    return new InFlightLimits(DEFAULT_PER_CLIENT, DEFAULT_TOTAL, DEFAULT_PER_ZONE);
  }
}
