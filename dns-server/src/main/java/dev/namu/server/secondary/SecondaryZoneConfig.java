package dev.namu.server.secondary;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * One zone namud serves as a secondary: its primaries, asked in order, and the TSIG key (by name,
 * from the keyring in the zone store) that signs the SOA queries and transfers and that a NOTIFY
 * must carry; and the catalog zone that lists it, for a member of a catalog (RFC 9432).
 */
public record SecondaryZoneConfig(Name origin, List<InetSocketAddress> primaries, Optional<Name> key,
    Optional<Name> catalog) {
  public SecondaryZoneConfig(Name origin, List<InetSocketAddress> primaries, Optional<Name> key) {
    this(origin, primaries, key, Optional.empty());
  }

  public SecondaryZoneConfig {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(catalog, "catalog");
    primaries = List.copyOf(primaries);
    if (primaries.isEmpty()) {
      throw new IllegalArgumentException("secondary zone " + origin + " has no primary");
    }
  }

  /** The same primaries and key for {@code member} of this catalog zone: RFC 9432 names no primaries. */
  public SecondaryZoneConfig member(Name member) {
    return new SecondaryZoneConfig(member, primaries, key, Optional.of(origin));
  }

  /** True when {@code address} is one of the primaries' (a NOTIFY may come from any port). */
  public boolean fromPrimary(java.net.InetAddress address) {
    return primaries.stream().anyMatch(p -> p.getAddress().equals(address));
  }
}
