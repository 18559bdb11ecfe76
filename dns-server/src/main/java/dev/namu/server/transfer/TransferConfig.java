package dev.namu.server.transfer;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * The transfer settings of zones served from files, from the config file and the command line
 * ({@code transfer.allow}, {@code transfer.also-notify}); stored zones keep theirs in the store. And
 * the name of the catalog zone (RFC 9432) namud publishes of its stored zones, if any
 * ({@code catalog.zone}), whose settings are among the file zones'.
 */
public record TransferConfig(Map<Name, ZoneTransferPolicy> zones, Optional<Name> catalog) {
  public static final TransferConfig NONE = new TransferConfig(Map.of());

  public TransferConfig {
    zones = Map.copyOf(zones);
    Objects.requireNonNull(catalog, "catalog");
  }

  /** Without a catalog zone. */
  public TransferConfig(Map<Name, ZoneTransferPolicy> zones) {
    this(zones, Optional.empty());
  }
}
