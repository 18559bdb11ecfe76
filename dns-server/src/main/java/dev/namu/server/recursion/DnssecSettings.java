package dev.namu.server.recursion;

import dev.namu.resolver.DnssecConfig;
import dev.namu.resolver.validate.TrustAnchors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * How namud's resolver validates (DNSSEC), from the command line.
 *
 * @param enabled validate, send DO upstream and set AD (on by default)
 * @param trustAnchorFiles files of DS or DNSKEY records the chains of trust start from, in every
 *     mode (iterating, private root, forwarding); none: the root's built-in keys, which apply
 *     only when namud iterates from the IANA root
 * @param negativeTrustAnchors domains whose names are treated as insecure (RFC 7646)
 */
public record DnssecSettings(boolean enabled, List<Path> trustAnchorFiles, List<Name> negativeTrustAnchors) {

  public DnssecSettings {
    trustAnchorFiles = List.copyOf(trustAnchorFiles);
    negativeTrustAnchors = List.copyOf(negativeTrustAnchors);
  }

  /** Validation on, the built-in root keys, no negative anchor. */
  public static DnssecSettings defaults() {
    return new DnssecSettings(true, List.of(), List.of());
  }

  /**
   * The resolver's settings, with the trust anchor files read (each time: a reload reads them
   * again, as it does the root hints).
   *
   * @throws IllegalArgumentException with one line naming the file (and line) that cannot be used
   */
  public DnssecConfig toConfig() {
    if (!enabled) {
      return DnssecConfig.off();
    }
    List<Record> anchors = new ArrayList<>();
    for (Path file : trustAnchorFiles) {
      try {
        anchors.addAll(TrustAnchors.read(Objects.requireNonNull(file)));
      } catch (IOException e) {
        throw new IllegalArgumentException("--trust-anchor " + e.getMessage(), e);
      }
    }
    return DnssecConfig.defaults().withTrustAnchors(anchors)
        .withNegativeTrustAnchors(new LinkedHashSet<>(negativeTrustAnchors));
  }
}
