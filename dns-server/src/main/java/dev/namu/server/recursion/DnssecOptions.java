package dev.namu.server.recursion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Option;

/** namud's flags for DNSSEC validation, mixed into the recursion flags. */
public final class DnssecOptions {
  @Option(names = "--dnssec", paramLabel = "on|off",
      description = "Validate answers (DNSSEC): DO upstream, AD on secure answers, SERVFAIL for bogus ones;"
          + " off does none of it (default on).")
  String dnssec;

  @Option(names = "--trust-anchor", paramLabel = "FILE",
      description = "Start the chains of trust at the DS or DNSKEY records of this file (zone-file lines),"
          + " in every mode, forwarding too; repeatable. Default: the root's keys, when iterating from the"
          + " IANA root.")
  List<Path> trustAnchors;

  @Option(names = "--negative-trust-anchor", paramLabel = "DOMAIN",
      description = "Treat names at or below DOMAIN as insecure, however they are signed (RFC 7646);"
          + " repeatable.")
  List<String> negativeTrustAnchors;

  /** True when one of these flags was given. */
  boolean given() {
    return dnssec != null || trustAnchors != null || negativeTrustAnchors != null;
  }

  /** @throws IllegalArgumentException with a one-line message for a bad value */
  DnssecSettings toSettings() {
    boolean on = true;
    if (dnssec != null) {
      switch (dnssec.trim().toLowerCase(Locale.ROOT)) {
        case "on", "yes", "true" -> on = true;
        case "off", "no", "false" -> on = false;
        default -> throw new IllegalArgumentException("--dnssec " + dnssec + ": expected on|off");
      }
    }
    List<Path> files = trustAnchors == null ? List.of() : trustAnchors;
    List<Name> negative = new ArrayList<>();
    for (String d : negativeTrustAnchors == null ? List.<String>of() : negativeTrustAnchors) {
      try {
        negative.add(Name.fromString(d, Name.root));
      } catch (TextParseException e) {
        throw new IllegalArgumentException("--negative-trust-anchor " + d + ": bad domain name: " + e.getMessage());
      }
    }
    if (!on && (!files.isEmpty() || !negative.isEmpty())) {
      throw new IllegalArgumentException("--dnssec off contradicts --trust-anchor and --negative-trust-anchor");
    }
    return new DnssecSettings(on, files, negative);
  }
}
