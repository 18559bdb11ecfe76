package dev.namu.server.recursion;

import dev.namu.server.net.AddressRange;
import dev.namu.server.auth.LocallyServedZones;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Mixin;
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

  /** The resolver's options, after the flags above in --help. */
  @Mixin ResolverTuningOptions tuning = new ResolverTuningOptions();

  @Option(names = "--no-local-zones",
      description = "Send the private reverse zones, home.arpa, test and invalid upstream like any name,"
          + " instead of answering them here as empty zones (RFC 6303).")
  boolean noLocalZones;

  @Option(names = "--no-local-zone", paramLabel = "ZONE",
      description = "Do not answer this one locally served zone here (e.g. 10.in-addr.arpa); repeatable.")
  List<String> noLocalZone;

  /** DNSSEC validation's flags, after the flags above in --help. */
  @Mixin DnssecOptions dnssec = new DnssecOptions();

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
        || allowRecursion != null || cacheSize != null || tuning.given() || noLocalZones || noLocalZone != null
        || dnssec.given();
    if (noRecursion && given) {
      throw new IllegalArgumentException("--no-recursion contradicts the recursion flags given with it");
    }
    return new RecursionConfig(!noRecursion, Optional.ofNullable(rootHints), forwarders, zones, port, acl,
        entries, bytes, tuning.toTuning(), localZones(zones.keySet()), dnssec.toSettings());
  }

  private LocallyServedZones localZones(java.util.Set<Name> forwarded) {
    if (noLocalZones) {
      if (noLocalZone != null) {
        throw new IllegalArgumentException("--no-local-zones turns them all off; --no-local-zone names one of them");
      }
      return LocallyServedZones.none();
    }
    List<Name> off = new java.util.ArrayList<>();
    for (String z : noLocalZone == null ? List.<String>of() : noLocalZone) {
      try {
        off.add(Name.fromString(z, Name.root));
      } catch (TextParseException e) {
        throw new IllegalArgumentException("--no-local-zone " + z + ": bad zone name: " + e.getMessage());
      }
    }
    try {
      return LocallyServedZones.defaultsWithout(off, forwarded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--no-local-zone " + e.getMessage());
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
