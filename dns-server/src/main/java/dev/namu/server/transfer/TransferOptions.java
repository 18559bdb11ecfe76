package dev.namu.server.transfer;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Option;

/** namud's flags for the transfer settings of zones served from files, mixed into its command line. */
public final class TransferOptions {
  @Option(names = "--allow-transfer", paramLabel = "ZONE=KEY|CIDR[,...]",
      description = "Who may transfer a zone served from a file (AXFR, IXFR): TSIG key names (keys of"
          + " namud's keyring, namuctl key add) and client addresses or CIDR ranges; repeatable."
          + " Default: nobody (REFUSED).")
  List<String> allowTransfer;

  @Option(names = "--also-notify", paramLabel = "ZONE=ADDR[:PORT][,...]",
      description = "Secondaries sent a NOTIFY when a zone served from a file changes (port 53 unless"
          + " given); repeatable. Default: none.")
  List<String> alsoNotify;

  @Option(names = "--catalog-zone", paramLabel = "NAME",
      description = "Publish a catalog zone (RFC 9432) of the stored zones under NAME (catalog.invalid.),"
          + " transferred to and notified as --allow-transfer NAME=... and --also-notify NAME=... say.")
  String catalogZone;

  /** @throws IllegalArgumentException with a one-line message for a bad value */
  public TransferConfig toConfig() {
    Map<Name, List<String>> allow = byZone("--allow-transfer", allowTransfer);
    Map<Name, List<String>> notify = byZone("--also-notify", alsoNotify);
    Map<Name, ZoneTransferPolicy> zones = new HashMap<>();
    for (Name zone : union(allow, notify)) {
      TransferAcl acl;
      try {
        acl = TransferAcl.parse(allow.getOrDefault(zone, List.of()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--allow-transfer " + zone + ": " + e.getMessage());
      }
      List<InetSocketAddress> targets = new ArrayList<>();
      for (String t : notify.getOrDefault(zone, List.of())) {
        try {
          targets.add(NotifyTarget.parse(t));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("--also-notify " + zone + ": " + e.getMessage());
        }
      }
      zones.put(zone, new ZoneTransferPolicy(acl, targets));
    }
    return new TransferConfig(zones, catalog());
  }

  private java.util.Optional<Name> catalog() {
    if (catalogZone == null) {
      return java.util.Optional.empty();
    }
    try {
      Name name = Name.fromString(catalogZone, Name.root).canonicalize();
      if (name.equals(Name.root)) {
        throw new IllegalArgumentException("--catalog-zone .: the root cannot be a catalog; choose a name such as"
            + " catalog.invalid.");
      }
      return java.util.Optional.of(name);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("--catalog-zone " + catalogZone + ": bad name: " + e.getMessage());
    }
  }

  private static List<Name> union(Map<Name, List<String>> a, Map<Name, List<String>> b) {
    Map<Name, Boolean> all = new LinkedHashMap<>();
    a.keySet().forEach(z -> all.put(z, true));
    b.keySet().forEach(z -> all.put(z, true));
    return List.copyOf(all.keySet());
  }

  /** {@code ZONE=A,B} given once or more: the entries of each zone, in the order given. */
  private static Map<Name, List<String>> byZone(String flag, List<String> values) {
    Map<Name, List<String>> out = new LinkedHashMap<>();
    if (values == null) {
      return out;
    }
    for (String v : values) {
      int eq = v.indexOf('=');
      if (eq <= 0 || eq == v.length() - 1) {
        throw new IllegalArgumentException(flag + " " + v + ": expected ZONE=VALUE[,VALUE...], e.g. "
            + (flag.equals("--also-notify") ? "example.com=192.0.2.2" : "example.com=xfr-key."));
      }
      Name zone;
      try {
        zone = Name.fromString(v.substring(0, eq), Name.root);
      } catch (TextParseException e) {
        throw new IllegalArgumentException(flag + " " + v + ": bad zone name: " + e.getMessage());
      }
      for (String entry : v.substring(eq + 1).split(",")) {
        if (!entry.isBlank()) {
          out.computeIfAbsent(zone, z -> new ArrayList<>()).add(entry.trim());
        }
      }
    }
    return out;
  }
}
