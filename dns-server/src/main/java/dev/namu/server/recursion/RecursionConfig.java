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
 * @param cacheMaxBytes when non-zero, the bytes of every cache of the resolver's together, split
 *     as {@link #resolverCacheBytes} and {@link #replyCopyBytes} say
 * @param tuning the resolver's TTL bounds, minimisation, glue, serve-stale, prefetch, EDNS size
 *     and source ports
 * @param localZones the empty zones answered to clients that may recurse instead of asked upstream
 *     (RFC 6303)
 * @param dnssec validation on or off, the trust anchor files, the negative trust anchors
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
    LocallyServedZones localZones,
    DnssecSettings dnssec) {

  public RecursionConfig {
    Objects.requireNonNull(localZones, "localZones");
    Objects.requireNonNull(rootHints, "rootHints");
    Objects.requireNonNull(acl, "acl");
    Objects.requireNonNull(tuning, "tuning");
    Objects.requireNonNull(dnssec, "dnssec");
    forwarders = List.copyOf(forwarders);
    forwardZones = Map.copyOf(forwardZones);
  }

  /**
   * The bytes each of the resolver's RRset and answer caches may hold: three eighths of {@code
   * --cache-size} each, the last quarter being the reply copies' ({@link #replyCopyBytes}); 0
   * when the cache is sized in entries.
   */
  public long resolverCacheBytes() {
    return cacheMaxBytes * 3 / 8;
  }

  /**
   * The bytes the wire copies of resolved replies may hold: a quarter of {@code --cache-size}
   * given in bytes; sized in entries, 32 MiB.
   */
  public long replyCopyBytes() {
    return cacheMaxBytes > 0 ? Math.max(1, cacheMaxBytes / 4)
        : dev.namu.server.resolved.ResolvedAnswers.DEFAULT_MAX_BYTES;
  }

  /** The copies held at most: a quarter of {@code --cache-size} given in entries (else no count). */
  public long replyCopyEntries() {
    return cacheMaxBytes > 0 ? Long.MAX_VALUE : Math.max(1, cacheMaxEntries / 4);
  }

  /** No recursion at all (servers built without flags in tests, {@code --no-recursion}). */
  public static RecursionConfig disabled() {
    return new RecursionConfig(
        false, Optional.empty(), List.of(), Map.of(), 0, RecursionAcl.defaults(),
        dev.namu.resolver.ResolverConfig.DEFAULT_CACHE_MAX_ENTRIES, 0, ResolverTuning.defaults(),
        LocallyServedZones.none(), DnssecSettings.defaults());
  }
}
