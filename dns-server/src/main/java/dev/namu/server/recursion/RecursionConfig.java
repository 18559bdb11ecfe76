package dev.namu.server.recursion;

import dev.namu.server.auth.LocallyServedZones;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * How namud recurses for names outside its zones, from the command line.
 *
 * @param enabled false with {@code --no-recursion}: other names get REFUSED
 * @param rootHints a named.root file replacing the IANA roots, or empty for the built-in roots
 * @param forwarders resolvers that get every other name instead of iterating ({@code --forward})
 * @param forwardZones conditional forwarding: names at or below a zone go to its resolvers
 * @param upstreamPort when non-zero, every iterated query goes to this port (test hierarchies)
 * @param acl the clients that may recurse
 * @param cacheMaxEntries bound on the entries of each resolver cache
 * @param cacheMaxBytes when non-zero, bound the caches by estimated bytes instead
 * @param tuning the resolver's TTL bounds, minimisation, glue, serve-stale, prefetch, EDNS size
 *     and source ports
 * @param localZones the empty zones answered to clients that may recurse instead of asked upstream
 *     (RFC 6303)
 */
public record RecursionConfig(
    boolean enabled,
    Optional<Path> rootHints,
    List<Upstream> forwarders,
    Map<Name, List<Upstream>> forwardZones,
    int upstreamPort,
    RecursionAcl acl,
    long cacheMaxEntries,
    long cacheMaxBytes,
    ResolverTuning tuning,
    LocallyServedZones localZones) {

  public RecursionConfig {
    Objects.requireNonNull(localZones, "localZones");
    Objects.requireNonNull(rootHints, "rootHints");
    Objects.requireNonNull(acl, "acl");
    Objects.requireNonNull(tuning, "tuning");
    forwarders = List.copyOf(forwarders);
    forwardZones = Map.copyOf(forwardZones);
  }

  /** No recursion at all (servers built without flags in tests, {@code --no-recursion}). */
  public static RecursionConfig disabled() {
    return new RecursionConfig(
        false, Optional.empty(), List.of(), Map.of(), 0, RecursionAcl.defaults(),
        dev.namu.resolver.ResolverConfig.DEFAULT_CACHE_MAX_ENTRIES, 0, ResolverTuning.defaults(),
        LocallyServedZones.none());
  }
}
