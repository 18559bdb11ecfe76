package dev.namu.server.sources;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Where the names of LAN devices come from: a hosts file and a DHCP lease file, published under one
 * domain.
 */
public record SourcesConfig(Optional<Path> hostsFile, Optional<Path> leases, String leasesFormat,
    Optional<Name> domain) {

  public SourcesConfig {
    Objects.requireNonNull(hostsFile, "hostsFile");
    Objects.requireNonNull(leases, "leases");
    Objects.requireNonNull(domain, "domain");
    LeaseFile.Format.parse(leasesFormat);
    if ((hostsFile.isPresent() || leases.isPresent()) && domain.isEmpty()) {
      throw new IllegalArgumentException(
          (hostsFile.isPresent() ? "--hosts-file" : "--dhcp-leases") + " needs --hosts-domain DOMAIN (home.lan)");
    }
    if (domain.isPresent() && hostsFile.isEmpty() && leases.isEmpty()) {
      throw new IllegalArgumentException("--hosts-domain goes with --hosts-file or --dhcp-leases");
    }
  }

  /** No hosts file, no leases. */
  public static SourcesConfig none() {
    return new SourcesConfig(Optional.empty(), Optional.empty(), "auto", Optional.empty());
  }

  public boolean enabled() {
    return domain.isPresent();
  }
}
