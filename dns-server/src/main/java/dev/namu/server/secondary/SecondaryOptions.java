package dev.namu.server.secondary;

import dev.namu.server.recursion.Upstream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Option;

/** namud's flags for secondary zones, mixed into its command line. */
public final class SecondaryOptions {
  /** The port of a primary given without one (RFC 1035 4.2). */
  static final int DNS_PORT = 53;

  @Option(names = "--secondary", paramLabel = "ZONE=ADDR[:PORT]",
      description = "Serve ZONE as a secondary, transferred from the primary at ADDR (AXFR/IXFR, refreshed by"
          + " its SOA timers and NOTIFY); repeat for more primaries or zones.")
  List<String> secondary;

  @Option(names = "--secondary-catalog", paramLabel = "CATALOG=ADDR[:PORT]",
      description = "Serve the catalog zone CATALOG (RFC 9432) as a secondary of the primary at ADDR, and each"
          + " zone it lists as a secondary of the same primaries, with the same --secondary-key; repeatable.")
  List<String> secondaryCatalog;

  @Option(names = "--secondary-key", paramLabel = "ZONE=KEY",
      description = "Sign the SOA queries and transfers of secondary ZONE with the TSIG key KEY from the"
          + " keyring (namuctl key add), and accept its NOTIFY only signed with it.")
  List<String> secondaryKey;

  /** @throws IllegalArgumentException with a one-line message for a bad value */
  public SecondaryConfig toConfig() {
    Map<Name, List<InetSocketAddress>> primaries = new LinkedHashMap<>();
    primaries("--secondary", "ZONE", "example.com", secondary, primaries);
    Map<Name, List<InetSocketAddress>> catalogs = new LinkedHashMap<>();
    primaries("--secondary-catalog", "CATALOG", "catalog.invalid", secondaryCatalog, catalogs);
    for (Name catalog : catalogs.keySet()) {
      if (primaries.containsKey(catalog)) {
        throw new IllegalArgumentException("--secondary-catalog " + catalog + ": given with --secondary too; a zone is"
            + " one or the other");
      }
    }
    primaries.putAll(catalogs);
    Map<Name, Name> keys = new LinkedHashMap<>();
    for (String s : secondaryKey == null ? List.<String>of() : secondaryKey) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        throw new IllegalArgumentException("--secondary-key " + s + ": expected ZONE=KEY, e.g. example.com=transfer-key");
      }
      Name zone = zone("--secondary-key", s, s.substring(0, eq));
      if (!primaries.containsKey(zone)) {
        throw new IllegalArgumentException("--secondary-key " + s + ": " + zone + " is no --secondary zone or catalog");
      }
      Name key = zone("--secondary-key", s, s.substring(eq + 1));
      Name before = keys.putIfAbsent(zone, key);
      if (before != null && !before.equals(key)) {
        throw new IllegalArgumentException("--secondary-key " + s + ": " + zone + " has the key " + before + " already");
      }
    }
    Map<Name, SecondaryZoneConfig> zones = new LinkedHashMap<>();
    primaries.forEach((zone, list) ->
        zones.put(zone, new SecondaryZoneConfig(zone, list, Optional.ofNullable(keys.get(zone)))));
    return new SecondaryConfig(zones, catalogs.keySet());
  }

  /** Reads {@code ZONE=ADDR[:PORT]} values of {@code flag} into {@code into}, a zone's primaries in order. */
  private static void primaries(String flag, String what, String example, List<String> values,
      Map<Name, List<InetSocketAddress>> into) {
    for (String s : values == null ? List.<String>of() : values) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        throw new IllegalArgumentException(flag + " " + s + ": expected " + what + "=ADDR[:PORT], e.g. " + example
            + "=192.0.2.1");
      }
      Name zone = zone(flag, s, s.substring(0, eq));
      InetSocketAddress primary = Upstream.parse(flag, s.substring(eq + 1)).socketAddress(DNS_PORT);
      List<InetSocketAddress> list = into.computeIfAbsent(zone, z -> new ArrayList<>());
      if (!list.contains(primary)) {
        list.add(primary);
      }
    }
  }

  private static Name zone(String flag, String arg, String text) {
    try {
      return Name.fromString(text, Name.root).canonicalize();
    } catch (TextParseException e) {
      throw new IllegalArgumentException(flag + " " + arg + ": bad name " + text + ": " + e.getMessage());
    }
  }
}
