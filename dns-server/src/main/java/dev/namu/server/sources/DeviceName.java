package dev.namu.server.sources;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * One device's name and address, from a hosts-file line or a DHCP lease.
 *
 * @param expires when a lease ends (empty: a hosts-file line, or a lease that never ends)
 */
record DeviceName(Name name, InetAddress address, Optional<Instant> expires) {
  DeviceName {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(expires, "expires");
  }

  /**
   * The owner name a host name stands for under {@code domain}: a single label ({@code nas}) is
   * taken in the domain, a name with dots must be in it already ({@code nas.home.lan}); anything
   * else (another domain, a bad name) is empty.
   */
  static Optional<Name> owner(String host, Name domain) {
    String text = host.endsWith(".") ? host : host + ".";
    try {
      Name name = host.contains(".") ? Name.fromString(text) : Name.fromString(host, domain);
      return name.subdomain(domain) && !name.equals(domain) ? Optional.of(name.canonicalize()) : Optional.empty();
    } catch (org.xbill.DNS.TextParseException e) {
      return Optional.empty();
    }
  }

  boolean liveAt(Instant now) {
    return expires.isEmpty() || expires.get().isAfter(now);
  }
}
