package dev.namu.resolver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * Everything that shapes the resolver. Build with {@link #builder()}; every field has a default.
 *
 * @param rootHints where iteration starts (IANA roots by default)
 * @param forwarders when non-empty, every name not covered by a more specific zone is sent to
 *     these resolvers (RD set) instead of iterating
 * @param forwardZones conditional forwarding: names at or below a key go to its resolvers
 * @param stubZones names at or below a key are iterated starting at its servers (authoritative
 *     servers, RD clear) instead of at the root
 * @param upstreamPort when non-zero, every iterated upstream query goes to this port instead of
 *     53 (test hierarchies on 127.0.0.x without root rights); forwarders keep their own port
 * @param cacheMaxEntries upper bound on entries of the answer and RRset caches (each)
 * @param cacheMaxBytes when non-zero, bound the caches by estimated bytes instead of entries
 * @param minTtl TTL floor applied when caching positive data (seconds)
 * @param maxTtl TTL cap applied when caching positive data (seconds)
 * @param maxNegativeTtl cap for negative answers (RFC 2308 section 5: 1-3 hours is sensible)
 * @param serverTimeout how long one UDP/TCP query to one server may take
 * @param clientTimeout no client waits longer than this for its reply (SERVFAIL then)
 * @param limits per-question budgets (see {@link Limits})
 * @param serveStale answer from expired entries when every upstream fails (RFC 8767)
 * @param staleWindow how long past expiry an entry may still be served stale (RFC 8767 4)
 * @param prefetch refresh popular entries shortly before they expire
 * @param qnameMinimisation send only as many labels as each server needs (RFC 9156)
 * @param minimalResponses leave authority NS and glue out of positive replies
 * @param ednsBufferSize the UDP payload size advertised upstream (1232, DNS flag day 2020)
 * @param useIpv4 query servers over IPv4
 * @param useIpv6 query servers over IPv6
 * @param fallbackZones forward or stub zones whose configured servers, when all of them fail,
 *     are bypassed and the name is iterated as usual (Unbound forward-first, stub-first)
 * @param privateAddresses address ranges (CIDR) that upstream answers for public names may not
 *     contain: such A/AAAA RRsets are removed (DNS rebinding protection, Unbound
 *     private-address); empty by default
 * @param privateDomains names at or below these may resolve to private addresses (the LAN's
 *     own domains, Unbound private-domain)
 * @param scrubPromiscuous ignore the authority NS and glue that come with positive answers
 *     (Unbound iter-scrub-promiscuous, default on): a server answering one name may not
 *     re-point its zone's delegation as a side effect, which closes a cache-poisoning path
 * @param maxNsPerRrset NS records kept from one NS set in a reply, the rest (and their glue)
 *     dropped (Unbound iter-scrub-ns, default 20): a referral listing hundreds of names cannot
 *     fan out (with {@link Limits#maxNsNamesPerQuestion()} against the NXNSAttack)
 * @param localDelegations delegations in the zones the server serves: names below one are
 *     iterated from its NS and glue, not from the root (which does not know the server's zones)
 * @param forwardOverTcp queries to forwarders go over TCP (Unbound forward-tcp-upstream)
 * @param doNotQueryLocalhost never send queries to loopback addresses learnt from referrals or
 *     glue (a delegation to 127.0.0.1 would make the resolver query itself or a local service,
 *     Unbound do-not-query-localhost); configured hints, stubs and forwarders are always used.
 *     Test hierarchies on 127.0.0.x need {@code false}
 * @param qnameMinimisationStrict with {@code qnameMinimisation}: never fall back to the full name
 *     when a server fails a minimised query or denies a name (RFC 9156 section 2.3 leaves the
 *     fallback to the resolver; Unbound qname-minimisation-strict)
 * @param hardenGlue addresses a server gives for names outside its zone are never used (RFC 5452
 *     section 6, Unbound harden-glue); when false, such glue of a referral's NS names is cached
 *     and used to reach them, as Unbound does with harden-glue: no
 * @param staleAnswerTtl the TTL of the records of an answer served stale (RFC 8767 section 4
 *     recommends 30 seconds)
 * @param outgoingPorts the UDP sockets upstream queries leave from and the ports they bind
 * @param nat64 reach servers known only by an IPv4 address at the IPv6 address {@code
 *     nat64Prefix} synthesises from it (RFC 6052), for a resolver on an IPv6-only network behind
 *     NAT64 (Unbound do-nat64); off by default. Forwarders and stub servers given by IPv4
 *     address go the same way; do-not-query-localhost judges the IPv4 address, the one the
 *     delegation names, as Unbound's do-not-query-address does
 * @param nat64Prefix the NAT64 prefix, 64:ff9b::/96 by default (Unbound nat64-prefix)
 * @param inFlight bounds on the resolutions and upstream queries running at once (see {@link
 *     InFlightLimits})
 * @param useCapsForId send each upstream question with its letters in random case and accept
 *     only a reply that repeats them (draft-vixie-dnsext-dns0x20, Unbound use-caps-for-id): a
 *     forger must guess a bit per letter on top of ID and port. On by default, unlike Unbound's,
 *     because a server that does not keep case costs only one server timeout: it is then asked
 *     without 0x20 for a while
 * @param upstreamCookies send DNS cookies to upstream servers and check them in their replies
 *     (RFC 7873): a reply whose cookie is not ours, or without one from a server that returned
 *     one before, is ignored as a forgery; on by default
 * @param dnssec DNSSEC validation: on by default, see {@link DnssecConfig}
 */
public record ResolverConfig(
    RootHints rootHints,
    List<InetSocketAddress> forwarders,
    Map<Name, List<InetSocketAddress>> forwardZones,
    Map<Name, List<InetSocketAddress>> stubZones,
    int upstreamPort,
    long cacheMaxEntries,
    long cacheMaxBytes,
    long minTtl,
    long maxTtl,
    long maxNegativeTtl,
    Duration serverTimeout,
    Duration clientTimeout,
    Limits limits,
    boolean serveStale,
    Duration staleWindow,
    boolean prefetch,
    boolean qnameMinimisation,
    boolean minimalResponses,
    int ednsBufferSize,
    boolean useIpv4,
    boolean useIpv6,
    boolean doNotQueryLocalhost,
    java.util.Set<Name> fallbackZones,
    List<String> privateAddresses,
    java.util.Set<Name> privateDomains,
    boolean forwardOverTcp,
    boolean scrubPromiscuous,
    int maxNsPerRrset,
    LocalDelegations localDelegations,
    boolean qnameMinimisationStrict,
    boolean hardenGlue,
    long staleAnswerTtl,
    dev.namu.resolver.transport.OutgoingPorts outgoingPorts,
    boolean nat64,
    Nat64Prefix nat64Prefix,
    InFlightLimits inFlight,
    boolean useCapsForId,
    boolean upstreamCookies,
    DnssecConfig dnssec) {

  public static final long DEFAULT_CACHE_MAX_ENTRIES = 200_000;
  public static final long DEFAULT_MAX_TTL = 86_400;
  public static final long DEFAULT_MAX_NEGATIVE_TTL = 3_600;
  public static final Duration DEFAULT_SERVER_TIMEOUT = Duration.ofMillis(800);
  public static final Duration DEFAULT_CLIENT_TIMEOUT = Duration.ofSeconds(10);
  /** RFC 8767 section 4 suggests 1 to 3 days. */
  public static final Duration DEFAULT_STALE_WINDOW = Duration.ofDays(1);
  public static final int DEFAULT_EDNS_BUFFER = 1232;
  /** Unbound's iter-scrub-ns default. */
  public static final int DEFAULT_MAX_NS_PER_RRSET = 20;
  /** RFC 8767 section 4: "a default of 30 seconds is RECOMMENDED". */
  public static final long DEFAULT_STALE_ANSWER_TTL = 30;

  public ResolverConfig {
    Objects.requireNonNull(rootHints, "rootHints");
    Objects.requireNonNull(localDelegations, "localDelegations");
    Objects.requireNonNull(nat64Prefix, "nat64Prefix");
    Objects.requireNonNull(inFlight, "inFlight");
    Objects.requireNonNull(dnssec, "dnssec");
    forwarders = List.copyOf(forwarders);
    forwardZones = Map.copyOf(forwardZones);
    stubZones = Map.copyOf(stubZones);
    fallbackZones = java.util.Set.copyOf(fallbackZones);
    privateAddresses = List.copyOf(privateAddresses);
    privateDomains = java.util.Set.copyOf(privateDomains);
    for (String range : privateAddresses) {
      dev.namu.resolver.scrub.PrivateAddressFilter.Range.parse(range); // fails early with the bad range
    }
    Objects.requireNonNull(serverTimeout, "serverTimeout");
    Objects.requireNonNull(clientTimeout, "clientTimeout");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(staleWindow, "staleWindow");
    Objects.requireNonNull(outgoingPorts, "outgoingPorts");
    if (staleAnswerTtl < 1) {
      throw new IllegalArgumentException("stale answer TTL must be at least 1: " + staleAnswerTtl);
    }
    if (upstreamPort < 0 || upstreamPort > 65535) {
      throw new IllegalArgumentException("upstream port out of range: " + upstreamPort);
    }
    if (cacheMaxEntries < 1 || cacheMaxBytes < 0) {
      throw new IllegalArgumentException("cache bounds must be positive");
    }
    if (minTtl < 0 || maxTtl < minTtl || maxNegativeTtl < 0) {
      throw new IllegalArgumentException("TTL floor/cap invalid: floor " + minTtl + ", cap " + maxTtl);
    }
    if (serverTimeout.isNegative() || serverTimeout.isZero() || clientTimeout.isNegative()
        || clientTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (ednsBufferSize < 512 || ednsBufferSize > 65535) {
      throw new IllegalArgumentException("EDNS buffer size must be 512..65535: " + ednsBufferSize);
    }
    if (maxNsPerRrset < 1) {
      throw new IllegalArgumentException("maxNsPerRrset must be at least 1: " + maxNsPerRrset);
    }
    if (!useIpv4 && !useIpv6) {
      throw new IllegalArgumentException("at least one of IPv4 and IPv6 must be enabled");
    }
    if (nat64 && !useIpv6) {
      throw new IllegalArgumentException("NAT64 sends queries over IPv6: IPv6 must be enabled");
    }
  }

  public static ResolverConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.rootHints = rootHints;
    b.forwarders = forwarders;
    b.forwardZones = new LinkedHashMap<>(forwardZones);
    b.stubZones = new LinkedHashMap<>(stubZones);
    b.upstreamPort = upstreamPort;
    b.cacheMaxEntries = cacheMaxEntries;
    b.cacheMaxBytes = cacheMaxBytes;
    b.minTtl = minTtl;
    b.maxTtl = maxTtl;
    b.maxNegativeTtl = maxNegativeTtl;
    b.serverTimeout = serverTimeout;
    b.clientTimeout = clientTimeout;
    b.limits = limits;
    b.serveStale = serveStale;
    b.staleWindow = staleWindow;
    b.prefetch = prefetch;
    b.qnameMinimisation = qnameMinimisation;
    b.minimalResponses = minimalResponses;
    b.ednsBufferSize = ednsBufferSize;
    b.useIpv4 = useIpv4;
    b.useIpv6 = useIpv6;
    b.doNotQueryLocalhost = doNotQueryLocalhost;
    b.fallbackZones = new java.util.LinkedHashSet<>(fallbackZones);
    b.privateAddresses = new java.util.ArrayList<>(privateAddresses);
    b.privateDomains = new java.util.LinkedHashSet<>(privateDomains);
    b.forwardOverTcp = forwardOverTcp;
    b.scrubPromiscuous = scrubPromiscuous;
    b.maxNsPerRrset = maxNsPerRrset;
    b.localDelegations = localDelegations;
    b.qnameMinimisationStrict = qnameMinimisationStrict;
    b.hardenGlue = hardenGlue;
    b.staleAnswerTtl = staleAnswerTtl;
    b.outgoingPorts = outgoingPorts;
    b.nat64 = nat64;
    b.nat64Prefix = nat64Prefix;
    b.inFlight = inFlight;
    b.useCapsForId = useCapsForId;
    b.upstreamCookies = upstreamCookies;
    b.dnssec = dnssec;
    return b;
  }

  /** True when servers known by an IPv4 address are queried, directly or through NAT64. */
  public boolean queriesIpv4Servers() {
    return useIpv4 || nat64;
  }

  /** True when this configuration forwards every name (no iteration at the root). */
  public boolean forwardsEverything() {
    return !forwarders.isEmpty();
  }

  /** Mutable builder; not shared between threads. */
  public static final class Builder {
    private RootHints rootHints = RootHints.iana();
    private List<InetSocketAddress> forwarders = List.of();
    private Map<Name, List<InetSocketAddress>> forwardZones = new LinkedHashMap<>();
    private Map<Name, List<InetSocketAddress>> stubZones = new LinkedHashMap<>();
    private int upstreamPort;
    private long cacheMaxEntries = DEFAULT_CACHE_MAX_ENTRIES;
    private long cacheMaxBytes;
    private long minTtl;
    private long maxTtl = DEFAULT_MAX_TTL;
    private long maxNegativeTtl = DEFAULT_MAX_NEGATIVE_TTL;
    private Duration serverTimeout = DEFAULT_SERVER_TIMEOUT;
    private Duration clientTimeout = DEFAULT_CLIENT_TIMEOUT;
    private Limits limits = Limits.defaults();
    private boolean serveStale = true;
    private Duration staleWindow = DEFAULT_STALE_WINDOW;
    private boolean prefetch = true;
    private boolean qnameMinimisation = true;
    private boolean minimalResponses = true;
    private int ednsBufferSize = DEFAULT_EDNS_BUFFER;
    private boolean useIpv4 = true;
    private boolean useIpv6 = true;
    private boolean doNotQueryLocalhost = true;
    private java.util.Set<Name> fallbackZones = new java.util.LinkedHashSet<>();
    private List<String> privateAddresses = new java.util.ArrayList<>();
    private java.util.Set<Name> privateDomains = new java.util.LinkedHashSet<>();
    private boolean forwardOverTcp;
    private boolean scrubPromiscuous = true;
    private int maxNsPerRrset = DEFAULT_MAX_NS_PER_RRSET;
    private LocalDelegations localDelegations = LocalDelegations.NONE;
    private boolean qnameMinimisationStrict;
    private boolean hardenGlue = true;
    private long staleAnswerTtl = DEFAULT_STALE_ANSWER_TTL;
    private dev.namu.resolver.transport.OutgoingPorts outgoingPorts =
        dev.namu.resolver.transport.OutgoingPorts.defaults();
    private boolean nat64;
    private Nat64Prefix nat64Prefix = Nat64Prefix.WELL_KNOWN;
    private InFlightLimits inFlight = InFlightLimits.defaults();
    private boolean useCapsForId = true;
    private boolean upstreamCookies = true;
    private DnssecConfig dnssec = DnssecConfig.defaults();

    public Builder rootHints(RootHints v) { rootHints = v; return this; }
    public Builder forwarders(List<InetSocketAddress> v) { forwarders = List.copyOf(v); return this; }
    public Builder forwardZone(Name zone, List<InetSocketAddress> servers) { forwardZones.put(zone, List.copyOf(servers)); return this; }
    public Builder stubZone(Name zone, List<InetSocketAddress> servers) { stubZones.put(zone, List.copyOf(servers)); return this; }
    public Builder upstreamPort(int v) { upstreamPort = v; return this; }
    public Builder cacheMaxEntries(long v) { cacheMaxEntries = v; return this; }
    public Builder cacheMaxBytes(long v) { cacheMaxBytes = v; return this; }
    public Builder minTtl(long v) { minTtl = v; return this; }
    public Builder maxTtl(long v) { maxTtl = v; return this; }
    public Builder maxNegativeTtl(long v) { maxNegativeTtl = v; return this; }
    public Builder serverTimeout(Duration v) { serverTimeout = v; return this; }
    public Builder clientTimeout(Duration v) { clientTimeout = v; return this; }
    public Builder limits(Limits v) { limits = v; return this; }
    public Builder serveStale(boolean v) { serveStale = v; return this; }
    public Builder staleWindow(Duration v) { staleWindow = v; return this; }
    public Builder prefetch(boolean v) { prefetch = v; return this; }
    public Builder qnameMinimisation(boolean v) { qnameMinimisation = v; return this; }
    public Builder minimalResponses(boolean v) { minimalResponses = v; return this; }
    public Builder ednsBufferSize(int v) { ednsBufferSize = v; return this; }
    public Builder useIpv4(boolean v) { useIpv4 = v; return this; }
    public Builder useIpv6(boolean v) { useIpv6 = v; return this; }
    public Builder doNotQueryLocalhost(boolean v) { doNotQueryLocalhost = v; return this; }
    /** When every configured server of this forward/stub zone fails, iterate instead. */
    public Builder fallbackToIteration(Name zone) { fallbackZones.add(zone); return this; }
    /** Adds a CIDR range that upstream answers may not contain (RFC 1918 etc.). */
    public Builder privateAddress(String cidr) { privateAddresses.add(cidr); return this; }
    /** Names at or below {@code domain} may resolve to private addresses. */
    public Builder privateDomain(Name domain) { privateDomains.add(domain); return this; }
    public Builder forwardOverTcp(boolean v) { forwardOverTcp = v; return this; }
    public Builder scrubPromiscuous(boolean v) { scrubPromiscuous = v; return this; }
    public Builder maxNsPerRrset(int v) { maxNsPerRrset = v; return this; }
    /** Query IPv4-only servers through NAT64 at {@link #nat64Prefix} (Unbound do-nat64). */
    public Builder nat64(boolean v) { nat64 = v; return this; }
    /** The RFC 6052 prefix NAT64 addresses are made with (Unbound nat64-prefix). */
    public Builder nat64Prefix(Nat64Prefix v) { nat64Prefix = v; return this; }
    /** Bounds on the resolutions and upstream queries running at once. */
    public Builder inFlight(InFlightLimits v) { inFlight = v; return this; }

    /** Delegations in the server's own zones, where iteration below them starts. */
    public Builder localDelegations(LocalDelegations delegations) { localDelegations = delegations; return this; }

    /** With QNAME minimisation on: no fallback to the full name (RFC 9156 strict mode). */
    public Builder qnameMinimisationStrict(boolean v) { qnameMinimisationStrict = v; return this; }
    public Builder hardenGlue(boolean v) { hardenGlue = v; return this; }
    public Builder staleAnswerTtl(long v) { staleAnswerTtl = v; return this; }
    public Builder outgoingPorts(dev.namu.resolver.transport.OutgoingPorts v) { outgoingPorts = v; return this; }
    /** Question names upstream in random case, checked in the reply (0x20, Unbound use-caps-for-id). */
    public Builder useCapsForId(boolean v) { useCapsForId = v; return this; }
    /** DNS cookies sent upstream and checked in the replies (RFC 7873). */
    public Builder upstreamCookies(boolean v) { upstreamCookies = v; return this; }
    /** DNSSEC validation (on by default, see {@link DnssecConfig}). */
    public Builder dnssec(DnssecConfig v) { dnssec = v; return this; }

    public ResolverConfig build() {
      return new ResolverConfig(rootHints, forwarders, forwardZones, stubZones, upstreamPort,
          cacheMaxEntries, cacheMaxBytes, minTtl, maxTtl, maxNegativeTtl, serverTimeout,
          clientTimeout, limits, serveStale, staleWindow, prefetch, qnameMinimisation,
          minimalResponses, ednsBufferSize, useIpv4, useIpv6, doNotQueryLocalhost, fallbackZones,
          privateAddresses, privateDomains, forwardOverTcp, scrubPromiscuous, maxNsPerRrset,
          localDelegations, qnameMinimisationStrict, hardenGlue, staleAnswerTtl, outgoingPorts,
          nat64, nat64Prefix, inFlight, useCapsForId, upstreamCookies, dnssec);
    }
  }
}
