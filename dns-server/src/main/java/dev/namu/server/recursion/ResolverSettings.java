package dev.namu.server.recursion;

import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.RootHints;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;

/** Turns namud's recursion flags into the resolver's configuration. */
public final class ResolverSettings {
  private static final int DNS_PORT = 53;

  private ResolverSettings() {}

  /**
   * @throws IllegalArgumentException with a one-line message when the root hints file cannot be
   *     read or lists no server
   */
  public static ResolverConfig of(RecursionConfig config) {
    ResolverConfig.Builder b = ResolverConfig.builder();
    RootHints hints = RootHints.iana();
    if (config.rootHints().isPresent()) {
      try {
        hints = RootHints.parse(config.rootHints().get());
      } catch (IOException e) {
        String why =
            e instanceof java.nio.file.NoSuchFileException
                ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
        throw new IllegalArgumentException(
            "--root-hints " + config.rootHints().get() + ": " + why, e);
      }
    }
    b.rootHints(hints);
    // In test mode a forwarder without a port is on the test port too.
    int forwardPort = config.upstreamPort() != 0 ? config.upstreamPort() : DNS_PORT;
    b.forwarders(config.forwarders().stream().map(u -> u.socketAddress(forwardPort)).toList());
    for (Map.Entry<Name, List<Upstream>> z : config.forwardZones().entrySet()) {
      b.forwardZone(z.getKey(), z.getValue().stream().map(u -> u.socketAddress(forwardPort)).toList());
    }
    if (config.upstreamPort() != 0) {
      b.upstreamPort(config.upstreamPort());
    }
    // Unbound's do-not-query-localhost stops a delegation to 127.0.0.1 from turning the resolver
    // on itself; a hierarchy that is itself on loopback (test mode, or root hints on loopback)
    // needs it off, or no referral could be followed.
    boolean loopbackHierarchy =
        config.upstreamPort() != 0
            || hints.addresses().stream().anyMatch(InetAddress::isLoopbackAddress);
    b.doNotQueryLocalhost(!loopbackHierarchy);
    b.cacheMaxEntries(config.cacheMaxEntries());
    b.cacheMaxBytes(config.resolverCacheBytes());
    config.tuning().applyTo(b);
    b.dnssec(config.dnssec().toConfig());
    return b.build();
  }
}
