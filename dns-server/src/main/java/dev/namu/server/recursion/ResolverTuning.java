package dev.namu.server.recursion;

import dev.namu.resolver.InFlightLimits;
import dev.namu.resolver.Nat64Prefix;
import dev.namu.resolver.ResolverConfig;
import dev.namu.resolver.transport.OutgoingPorts;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How namud's resolver caches and asks, in the terms of Unbound's options of the same names.
 *
 * @param cacheMinTtl floor of the TTL of cached positive data, seconds
 * @param cacheMaxTtl cap of the TTL of cached positive data, seconds
 * @param cacheMaxNegativeTtl cap of the TTL of cached negative answers, seconds (RFC 2308 5)
 * @param qnameMinimisation how much of a name each server is shown (RFC 9156)
 * @param hardenGlue addresses a server gives for names outside its zone are never used
 * @param serveStale answer from expired entries when the upstreams fail (RFC 8767)
 * @param serveStaleTtl the TTL of a stale answer's records, seconds
 * @param serveStaleWindow how long past its expiry an entry may be served stale, seconds
 * @param prefetch refresh an entry asked for in the last tenth of its TTL
 * @param ednsBufferSize the UDP payload size advertised upstream (RFC 6891)
 * @param outgoingRange the sockets upstream queries leave from and the ports they bind
 * @param nat64 the NAT64 prefix IPv4-only servers are reached through (RFC 6052), or none
 * @param useCapsForId upstream questions in random case, a reply taken only when it repeats it
 *     (0x20, draft-vixie-dnsext-dns0x20)
 * @param upstreamCookies DNS cookies sent to upstream servers and checked in their replies (RFC 7873)
 * @param inFlight the bounds on resolutions and upstream queries running at once
 * @param warmUp the first recursive questions wait for the JIT's warm-up of the resolver
 *     ({@link dev.namu.resolver.warmup.WarmingResolver}); applies at start only
 */
public record ResolverTuning(
    long cacheMinTtl,
    long cacheMaxTtl,
    long cacheMaxNegativeTtl,
    QnameMinimisation qnameMinimisation,
    boolean hardenGlue,
    boolean serveStale,
    long serveStaleTtl,
    long serveStaleWindow,
    boolean prefetch,
    int ednsBufferSize,
    OutgoingPorts outgoingRange,
    Optional<Nat64Prefix> nat64,
    boolean useCapsForId,
    boolean upstreamCookies,
    InFlightLimits inFlight,
    boolean warmUp) {

  /** RFC 9156 section 2.3: relaxed mode falls back to the full name, strict never does. */
  public enum QnameMinimisation {
    ON, STRICT, OFF
  }

  public ResolverTuning {
    Objects.requireNonNull(qnameMinimisation, "qnameMinimisation");
    Objects.requireNonNull(outgoingRange, "outgoingRange");
    Objects.requireNonNull(nat64, "nat64");
    Objects.requireNonNull(inFlight, "inFlight");
  }

  /** The resolver's own defaults. */
  public static ResolverTuning defaults() {
    ResolverConfig d = ResolverConfig.defaults();
    return new ResolverTuning(d.minTtl(), d.maxTtl(), d.maxNegativeTtl(), QnameMinimisation.ON,
        d.hardenGlue(), d.serveStale(), d.staleAnswerTtl(), d.staleWindow().toSeconds(), d.prefetch(),
        d.ednsBufferSize(), d.outgoingPorts(), d.nat64() ? Optional.of(d.nat64Prefix()) : Optional.empty(),
        d.useCapsForId(), d.upstreamCookies(), d.inFlight(), false);
  }

  /** Sets these options on the resolver's configuration. */
  public ResolverConfig.Builder applyTo(ResolverConfig.Builder b) {
    return b.minTtl(cacheMinTtl)
        .maxTtl(cacheMaxTtl)
        .maxNegativeTtl(cacheMaxNegativeTtl)
        .qnameMinimisation(qnameMinimisation != QnameMinimisation.OFF)
        .qnameMinimisationStrict(qnameMinimisation == QnameMinimisation.STRICT)
        .hardenGlue(hardenGlue)
        .serveStale(serveStale)
        .staleAnswerTtl(serveStaleTtl)
        .staleWindow(Duration.ofSeconds(serveStaleWindow))
        .prefetch(prefetch)
        .ednsBufferSize(ednsBufferSize)
        .outgoingPorts(outgoingRange)
        .nat64(nat64.isPresent())
        .nat64Prefix(nat64.orElse(Nat64Prefix.WELL_KNOWN))
        .useCapsForId(useCapsForId)
        .upstreamCookies(upstreamCookies)
        .inFlight(inFlight);
  }
}
