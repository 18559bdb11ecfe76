package dev.namu.server.secondary;

import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/** The zones namud serves as a secondary, by origin (lower case); none by default. */
public record SecondaryConfig(Map<Name, SecondaryZoneConfig> zones) {
  private static final SecondaryConfig NONE = new SecondaryConfig(Map.of());

  public SecondaryConfig {
    zones = Map.copyOf(zones);
  }

  public static SecondaryConfig none() {
    return NONE;
  }

  public Optional<SecondaryZoneConfig> zone(Name origin) {
    return Optional.ofNullable(zones.get(origin));
  }
}
