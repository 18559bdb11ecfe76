package dev.namu.server.recursion;

import dev.namu.resolver.InFlightLimits;
import dev.namu.resolver.Nat64Prefix;
import dev.namu.resolver.transport.OutgoingPorts;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * namud's flags for how the resolver caches and asks, named as Unbound's options are, mixed into
 * the recursion flags.
 */
public final class ResolverTuningOptions {
  @Option(names = "--cache-min-ttl", paramLabel = "SECONDS",
      description = "Cache positive answers at least this long, 0 to 86400, at most --cache-max-ttl (default 0).")
  Long cacheMinTtl;

  @Option(names = "--cache-max-ttl", paramLabel = "SECONDS",
      description = "Cache positive answers at most this long, 1 to 604800 (default 86400).")
  Long cacheMaxTtl;

  @Option(names = "--cache-max-negative-ttl", paramLabel = "SECONDS",
      description = "Cache NXDOMAIN and NODATA answers at most this long, 0 to 86400 (default 3600).")
  Long cacheMaxNegativeTtl;

  @Option(names = "--qname-minimisation", paramLabel = "on|strict|off",
      description = "Show each server only the labels it needs (RFC 9156); on falls back to the full name"
          + " when a server fails, strict never does (default on).")
  String qnameMinimisation;

  @Option(names = "--harden-glue", paramLabel = "yes|no",
      description = "yes: never use addresses a server gives for names outside its zone; no: use a referral's"
          + " (default yes).")
  String hardenGlue;

  @Option(names = "--serve-stale", paramLabel = "on|off",
      description = "Answer from expired cache entries when every upstream fails (RFC 8767; default on).")
  String serveStale;

  @Option(names = "--serve-stale-ttl", paramLabel = "SECONDS",
      description = "TTL of the records of a stale answer, 1 to 3600 (default 30).")
  Long serveStaleTtl;

  @Option(names = "--serve-stale-window", paramLabel = "SECONDS",
      description = "How long past its expiry an entry may be served stale, 1 to 604800 (default 86400).")
  Long serveStaleWindow;

  @Option(names = "--prefetch", paramLabel = "on|off",
      description = "Refresh a cached answer asked for in the last tenth of its TTL (default on).")
  String prefetch;

  @Option(names = "--edns-buffer-size", paramLabel = "BYTES",
      description = "UDP payload size advertised to upstream servers, 512 to 4096 (default 1232).")
  Integer ednsBufferSize;

  @Option(names = "--outgoing-range", paramLabel = "N|LOW-HIGH",
      description = "Upstream UDP source ports: N sockets on ports the system picks (default 256), or random"
          + " ports from LOW to HIGH (1024 to 65535, at least 64 ports).")
  String outgoingRange;

  @Option(names = "--nat64", paramLabel = "off|on|PREFIX",
      description = "Reach IPv4-only name servers through NAT64 (RFC 6052), for a namud on an IPv6-only"
          + " network: on uses 64:ff9b::/96, or give the network's prefix (/32 to /96) (default off).")
  String nat64;

  @Option(names = "--use-caps-for-id", paramLabel = "on|off",
      description = "Ask upstream servers each name with its letters in random case and take only a reply"
          + " that repeats them (0x20), a defence against forged replies (default on).")
  String useCapsForId;

  @Option(names = "--upstream-cookies", paramLabel = "on|off",
      description = "Send DNS cookies to upstream servers and drop replies whose cookie is not ours, or that"
          + " lack one from a server that gave one before (RFC 7873; default on).")
  String upstreamCookies;

  @Option(names = "--in-flight-per-client", paramLabel = "N",
      description = "Resolutions one client address may have running at once, 1 to 100000; past it its new"
          + " questions get SERVFAIL at once (default 100).")
  Integer inFlightPerClient;

  @Option(names = "--in-flight-total", paramLabel = "N",
      description = "Resolutions running at once for all clients, 1 to 1000000; past it new questions get"
          + " SERVFAIL at once (default 10000).")
  Integer inFlightTotal;

  @Option(names = "--in-flight-per-zone", paramLabel = "N",
      description = "Upstream queries in flight to the servers of one zone, 1 to 100000; past it new"
          + " questions needing them get SERVFAIL at once (default 100).")
  Integer inFlightPerZone;

  @Option(names = "--warm-up", paramLabel = "on|off",
      description = "on: the first recursive questions wait (at most 4 s) while the resolver runs made-up"
          + " names in memory until the JIT has compiled it, so it resolves at full speed from the start;"
          + " read at start only (default off).")
  String warmUp;

  /** True when one of these flags was given. */
  boolean given() {
    return Stream.of(cacheMinTtl, cacheMaxTtl, cacheMaxNegativeTtl, qnameMinimisation,
        hardenGlue, serveStale, serveStaleTtl, serveStaleWindow, prefetch, ednsBufferSize, outgoingRange, nat64,
        useCapsForId, upstreamCookies, inFlightPerClient, inFlightTotal, inFlightPerZone, warmUp)
        .anyMatch(Objects::nonNull);
  }

  /** Bounds of the cache's TTLs: RFC 8767 section 4 suggests a cap of 7 days (604800 s). */
  private static final long MAX_TTL_BOUND = 604_800;
  /** RFC 2308 section 5: one day is a reasonable maximum for negative caching. */
  private static final long DAY = 86_400;
  /** Fewer ports than this give a spoofer too few to guess among (RFC 5452 section 9.2). */
  private static final int MIN_OUTGOING_PORTS = 64;
  /** Ports below this are the system's and servers'. */
  private static final int MIN_OUTGOING_PORT = 1024;
  /** Open sockets beyond this are more file descriptors than namud's unit allows. */
  private static final int MAX_OUTGOING_SOCKETS = 4096;

  /** @throws IllegalArgumentException with a one-line message for a bad value */
  ResolverTuning toTuning() {
    ResolverTuning d = ResolverTuning.defaults();
    long maxTtl = cacheMaxTtl == null ? d.cacheMaxTtl() : within("--cache-max-ttl", cacheMaxTtl, 1, MAX_TTL_BOUND);
    long minTtl = cacheMinTtl == null ? d.cacheMinTtl() : within("--cache-min-ttl", cacheMinTtl, 0, DAY);
    if (minTtl > maxTtl) {
      throw new IllegalArgumentException("--cache-min-ttl " + minTtl + ": more than --cache-max-ttl " + maxTtl);
    }
    return new ResolverTuning(
        minTtl,
        maxTtl,
        cacheMaxNegativeTtl == null ? d.cacheMaxNegativeTtl() : within("--cache-max-negative-ttl", cacheMaxNegativeTtl, 0, DAY),
        qnameMinimisation == null ? d.qnameMinimisation() : minimisation(qnameMinimisation),
        hardenGlue == null ? d.hardenGlue() : onOff("--harden-glue", hardenGlue, "yes|no"),
        serveStale == null ? d.serveStale() : onOff("--serve-stale", serveStale, "on|off"),
        serveStaleTtl == null ? d.serveStaleTtl() : within("--serve-stale-ttl", serveStaleTtl, 1, 3600),
        serveStaleWindow == null ? d.serveStaleWindow() : within("--serve-stale-window", serveStaleWindow, 1, MAX_TTL_BOUND),
        prefetch == null ? d.prefetch() : onOff("--prefetch", prefetch, "on|off"),
        ednsBufferSize == null ? d.ednsBufferSize() : (int) within("--edns-buffer-size", ednsBufferSize, 512, 4096),
        outgoingRange == null ? d.outgoingRange() : outgoing(outgoingRange),
        nat64 == null ? d.nat64() : nat64(nat64),
        useCapsForId == null ? d.useCapsForId() : onOff("--use-caps-for-id", useCapsForId, "on|off"),
        upstreamCookies == null ? d.upstreamCookies() : onOff("--upstream-cookies", upstreamCookies, "on|off"),
        new InFlightLimits(
            inFlightPerClient == null ? d.inFlight().perClient() : (int) within("--in-flight-per-client", inFlightPerClient, 1, 100_000),
            inFlightTotal == null ? d.inFlight().total() : (int) within("--in-flight-total", inFlightTotal, 1, 1_000_000),
            inFlightPerZone == null ? d.inFlight().perZone() : (int) within("--in-flight-per-zone", inFlightPerZone, 1, 100_000)),
        warmUp == null ? d.warmUp() : onOff("--warm-up", warmUp, "on|off"));
  }

  private static long within(String flag, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(flag + " " + value + ": must be " + min + " to " + max);
    }
    return value;
  }

  /**
   * on or off as the flag's help writes it, or the other spellings Unbound's operators and YAML
   * use for them (yes/no, true/false: YAML 1.1 reads a bare yes or off as a boolean).
   */
  private static boolean onOff(String flag, String text, String expected) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "on", "yes", "true":
        return true;
      case "off", "no", "false":
        return false;
      default:
        throw new IllegalArgumentException(flag + " " + text + ": expected " + expected);
    }
  }

  private static ResolverTuning.QnameMinimisation minimisation(String text) {
    if (text.trim().equalsIgnoreCase("strict")) {
      return ResolverTuning.QnameMinimisation.STRICT;
    }
    return onOff("--qname-minimisation", text, "on, strict or off")
        ? ResolverTuning.QnameMinimisation.ON : ResolverTuning.QnameMinimisation.OFF;
  }

  /** off, on (the well-known prefix, RFC 6052 section 2.1) or the network's own prefix. */
  private static Optional<Nat64Prefix> nat64(String text) {
    String t = text.trim();
    if (!t.contains("/")) {
      return onOff("--nat64", t, "off, on or a prefix ADDRESS/LENGTH") ? Optional.of(Nat64Prefix.WELL_KNOWN) : Optional.empty();
    }
    try {
      return Optional.of(Nat64Prefix.parse(t));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--nat64 " + text + ": " + e.getMessage());
    }
  }

  /** {@code N} sockets on the system's ports, or {@code LOW-HIGH}. */
  private static OutgoingPorts outgoing(String text) {
    String t = text.trim();
    String usage = "--outgoing-range " + text + ": expected a number of sockets (256) or ports LOW-HIGH (20000-29999)";
    try {
      int dash = t.indexOf('-');
      if (dash < 0) {
        int n = Integer.parseInt(t);
        within("--outgoing-range", n, 1, MAX_OUTGOING_SOCKETS);
        return new OutgoingPorts(n, 0, 0);
      }
      int low = Integer.parseInt(t.substring(0, dash).trim());
      int high = Integer.parseInt(t.substring(dash + 1).trim());
      if (low < MIN_OUTGOING_PORT || high > 65535 || high < low) {
        throw new IllegalArgumentException("--outgoing-range " + text + ": ports must be 1024 to 65535, LOW before HIGH");
      }
      if (high - low + 1 < MIN_OUTGOING_PORTS) {
        throw new IllegalArgumentException("--outgoing-range " + text + ": at least " + MIN_OUTGOING_PORTS
            + " ports (a spoofer guesses among fewer, RFC 5452 section 9.2)");
      }
      return OutgoingPorts.range(low, high);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(usage);
    }
  }
}
