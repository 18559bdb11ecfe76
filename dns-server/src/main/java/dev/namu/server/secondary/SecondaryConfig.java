package dev.namu.server.secondary;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The zones namud serves as a secondary, by origin (lower case); none by default. Those at
 * {@code catalogs} are catalog zones (RFC 9432): each of their members is served as a secondary
 * too, from the catalog's primaries with its key.
 */
public record SecondaryConfig(Map<Name, SecondaryZoneConfig> zones, Set<Name> catalogs) {
  private static final SecondaryConfig NONE = new SecondaryConfig(Map.of());

  public SecondaryConfig {
    zones = Map.copyOf(zones);
    catalogs = Set.copyOf(catalogs);
    if (!zones.keySet().containsAll(catalogs)) {
      throw new IllegalArgumentException("a catalog zone is no secondary zone");
    }
  }

  /** No catalog zones. */
  public SecondaryConfig(Map<Name, SecondaryZoneConfig> zones) {
    this(zones, Set.of());
  }

  public static SecondaryConfig none() {
    return NONE;
  }

  public Optional<SecondaryZoneConfig> zone(Name origin) {
    return Optional.ofNullable(zones.get(origin));
  }
}
