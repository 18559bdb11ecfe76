package dev.namu.server.recursion;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Option;

/** namud's flags for recursion, mixed into its command line. */
public final class RecursionOptions {
  /** Bounds of --cache-size: past these a cache outgrows any heap namud runs with; a typo. */
  private static final long MAX_CACHE_ENTRIES = 100_000_000;
  private static final long MAX_CACHE_BYTES = 1L << 40;

  @Option(names = "--no-recursion",
      description = "Answer only for the served zones; every other name gets REFUSED.")
  boolean noRecursion;

  @Option(names = "--root-hints", paramLabel = "FILE",
      description = "Start iteration at the servers of this named.root file instead of the IANA root servers.")
  Path rootHints;

  @Option(names = "--forward", paramLabel = "ADDR[:PORT]",
      description = "Send every other name to this resolver instead of iterating; repeat for more.")
  List<String> forward;

  @Option(names = "--forward-zone", paramLabel = "ZONE=ADDR[:PORT]",
      description = "Send names at or below ZONE to this resolver (conditional forwarding); repeatable.")
  List<String> forwardZone;

  @Option(names = "--upstream-port", paramLabel = "PORT",
      description = "Test mode: send every iterated query to this port and allow loopback name servers"
          + " (a private hierarchy on 127.0.0.x).")
  Integer upstreamPort;

  @Option(names = "--allow-recursion", paramLabel = "CIDR",
      description = "Clients that may recurse; repeatable. Default: loopback, 10/8, 172.16/12, 192.168/16,"
          + " 100.64/10, fc00::/7, fe80::/10. Others get REFUSED for names outside the zones.")
  List<String> allowRecursion;

  @Option(names = "--cache-size", paramLabel = "SIZE",
      description = "Bound of the resolver cache: a number of entries (200000 by default), or bytes with a"
          + " k, m or g suffix (e.g. 256m).")
  String cacheSize;

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

  /** @throws IllegalArgumentException with a one-line message for a bad value */
  public RecursionConfig toConfig() {
    int port = upstreamPort == null ? 0 : upstreamPort;
    if (upstreamPort != null && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("--upstream-port " + port + ": must be 1..65535");
    }
    List<Upstream> forwarders =
        forward == null ? List.of() : forward.stream().map(f -> Upstream.parse("--forward", f)).toList();
    Map<Name, List<Upstream>> zones = new LinkedHashMap<>();
    if (forwardZone != null) {
      for (String fz : forwardZone) {
        int eq = fz.indexOf('=');
        if (eq <= 0 || eq == fz.length() - 1) {
          throw new IllegalArgumentException("--forward-zone " + fz + ": expected ZONE=ADDR[:PORT], e.g. corp.example=10.0.0.53");
        }
        Name zone;
        try {
          zone = Name.fromString(fz.substring(0, eq), Name.root);
        } catch (TextParseException e) {
          throw new IllegalArgumentException("--forward-zone " + fz + ": bad zone name: " + e.getMessage());
        }
        Upstream u = Upstream.parse("--forward-zone", fz.substring(eq + 1));
        zones.computeIfAbsent(zone, z -> new java.util.ArrayList<>()).add(u);
      }
    }
    RecursionAcl acl = RecursionAcl.defaults();
    if (allowRecursion != null && !allowRecursion.isEmpty()) {
      List<AddressRange> ranges = new java.util.ArrayList<>();
      for (String r : allowRecursion) {
        try {
          ranges.add(AddressRange.parse(r));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--allow-recursion " + e.getMessage());
        }
      }
      acl = new RecursionAcl(ranges);
    }
    long entries = dev.namu.resolver.ResolverConfig.DEFAULT_CACHE_MAX_ENTRIES;
    long bytes = 0;
    if (cacheSize != null) {
      long[] parsed = parseSize(cacheSize);
      entries = parsed[0] > 0 ? parsed[0] : entries;
      bytes = parsed[1];
    }
    boolean given = rootHints != null || forward != null || forwardZone != null || upstreamPort != null
        || allowRecursion != null || cacheSize != null || tuningGiven();
    if (noRecursion && given) {
      throw new IllegalArgumentException("--no-recursion contradicts the recursion flags given with it");
    }
    return new RecursionConfig(!noRecursion, Optional.ofNullable(rootHints), forwarders, zones, port, acl,
        entries, bytes, tuning());
  }

  private boolean tuningGiven() {
    return java.util.stream.Stream.of(cacheMinTtl, cacheMaxTtl, cacheMaxNegativeTtl, qnameMinimisation,
        hardenGlue, serveStale, serveStaleTtl, serveStaleWindow, prefetch, ednsBufferSize, outgoingRange)
        .anyMatch(java.util.Objects::nonNull);
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

  private ResolverTuning tuning() {
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
        outgoingRange == null ? d.outgoingRange() : outgoing(outgoingRange));
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

  /** {@code N} sockets on the system's ports, or {@code LOW-HIGH}. */
  private static dev.namu.resolver.transport.OutgoingPorts outgoing(String text) {
    String t = text.trim();
    String usage = "--outgoing-range " + text + ": expected a number of sockets (256) or ports LOW-HIGH (20000-29999)";
    try {
      int dash = t.indexOf('-');
      if (dash < 0) {
        int n = Integer.parseInt(t);
        within("--outgoing-range", n, 1, MAX_OUTGOING_SOCKETS);
        return new dev.namu.resolver.transport.OutgoingPorts(n, 0, 0);
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
      return dev.namu.resolver.transport.OutgoingPorts.range(low, high);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(usage);
    }
  }

  /** {entries, bytes}: a plain number is entries, a k/m/g suffix means bytes. */
  private static long[] parseSize(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit = 0;
    if (t.endsWith("k")) {
      unit = 1L << 10;
    } else if (t.endsWith("m")) {
      unit = 1L << 20;
    } else if (t.endsWith("g")) {
      unit = 1L << 30;
    }
    String digits = unit == 0 ? t : t.substring(0, t.length() - 1);
    long n;
    try {
      n = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--cache-size " + text + ": expected a number of entries or bytes like 256m");
    }
    if (n < 1) {
      throw new IllegalArgumentException("--cache-size " + text + ": must be more than 0");
    }
    if (unit == 0) {
      if (n > MAX_CACHE_ENTRIES) {
        throw new IllegalArgumentException(
            "--cache-size " + text + ": at most " + MAX_CACHE_ENTRIES + " entries");
      }
      return new long[] {n, 0};
    }
    if (n > MAX_CACHE_BYTES / unit) {
      throw new IllegalArgumentException("--cache-size " + text + ": at most 1024g");
    }
    return new long[] {0, n * unit};
  }
}
