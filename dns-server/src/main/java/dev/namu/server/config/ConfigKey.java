package dev.namu.server.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The keys of namud's config file, one for each flag: where the key sits in the file, the flag it
 * stands for, the kind of value it takes and the flags that override it. A value from the file
 * becomes its flag and goes through the flag's own checks, so a value means the same thing written
 * either way.
 */
public enum ConfigKey {
  LISTEN("listen", "--listen", Kind.NON_EMPTY_LIST),
  ZONES("zones", "--zones", Kind.TEXT),
  DATA("data", "--data", Kind.TEXT),
  STORE_URL("store-url", "--store-url", Kind.TEXT),
  LOG_LEVEL("log-level", "--log-level", Kind.TEXT),
  THREADS("threads", "--threads", Kind.WHOLE_NUMBER),
  TCP_IDLE_TIMEOUT("tcp.idle-timeout", "--tcp-idle-timeout", Kind.NUMBER),
  TCP_MAX_CONNECTIONS("tcp.max-connections", "--tcp-max-connections", Kind.WHOLE_NUMBER),
  TCP_MAX_PER_CLIENT(
      "tcp.max-connections-per-client", "--tcp-max-connections-per-client", Kind.WHOLE_NUMBER),
  API_ENABLED("api.enabled", "--no-api", Kind.ENABLED, "--api", "--api-max-body"),
  API_LISTEN("api.listen", "--api", Kind.TEXT, "--no-api"),
  API_MAX_BODY("api.max-body", "--api-max-body", Kind.TEXT, "--no-api"),
  METRICS_ENABLED("metrics.enabled", "--no-metrics", Kind.ENABLED, "--metrics"),
  METRICS_LISTEN("metrics.listen", "--metrics", Kind.TEXT, "--no-metrics"),
  RECURSION_ENABLED("recursion.enabled", "--no-recursion", Kind.ENABLED, "--root-hints",
      "--forward", "--forward-zone", "--upstream-port", "--allow-recursion", "--cache-size",
      "--cache-min-ttl", "--cache-max-ttl", "--cache-max-negative-ttl", "--qname-minimisation",
      "--harden-glue", "--serve-stale", "--serve-stale-ttl", "--serve-stale-window", "--prefetch",
      "--edns-buffer-size", "--outgoing-range", "--nat64", "--use-caps-for-id", "--upstream-cookies",
      "--in-flight-per-client", "--in-flight-total", "--in-flight-per-zone", "--warm-up",
      "--no-local-zones", "--no-local-zone", "--dnssec", "--trust-anchor", "--negative-trust-anchor"),
  RECURSION_ROOT_HINTS("recursion.root-hints", "--root-hints", Kind.TEXT, "--no-recursion"),
  RECURSION_FORWARD("recursion.forward", "--forward", Kind.LIST, "--no-recursion"),
  RECURSION_FORWARD_ZONES(
      "recursion.forward-zones", "--forward-zone", Kind.ZONE_MAP, "--no-recursion"),
  RECURSION_UPSTREAM_PORT(
      "recursion.upstream-port", "--upstream-port", Kind.WHOLE_NUMBER, "--no-recursion"),
  RECURSION_ALLOW("recursion.allow", "--allow-recursion", Kind.NON_EMPTY_LIST, "--no-recursion"),
  RECURSION_CACHE_SIZE("recursion.cache-size", "--cache-size", Kind.TEXT, "--no-recursion"),
  RECURSION_CACHE_MIN_TTL(
      "recursion.cache-min-ttl", "--cache-min-ttl", Kind.WHOLE_NUMBER, "--no-recursion"),
  RECURSION_CACHE_MAX_TTL(
      "recursion.cache-max-ttl", "--cache-max-ttl", Kind.WHOLE_NUMBER, "--no-recursion"),
  RECURSION_CACHE_MAX_NEGATIVE_TTL(
      "recursion.cache-max-negative-ttl", "--cache-max-negative-ttl", Kind.WHOLE_NUMBER, "--no-recursion"),
  RECURSION_QNAME_MINIMISATION(
      "recursion.qname-minimisation", "--qname-minimisation", Kind.TEXT, "--no-recursion"),
  RECURSION_HARDEN_GLUE("recursion.harden-glue", "--harden-glue", Kind.TEXT, "--no-recursion"),
  RECURSION_SERVE_STALE("recursion.serve-stale", "--serve-stale", Kind.TEXT, "--no-recursion"),
  RECURSION_SERVE_STALE_TTL(
      "recursion.serve-stale-ttl", "--serve-stale-ttl", Kind.WHOLE_NUMBER, "--no-recursion"),
  RECURSION_SERVE_STALE_WINDOW(
      "recursion.serve-stale-window", "--serve-stale-window", Kind.WHOLE_NUMBER, "--no-recursion"),
  RECURSION_PREFETCH("recursion.prefetch", "--prefetch", Kind.TEXT, "--no-recursion"),
  RECURSION_EDNS_BUFFER_SIZE(
      "recursion.edns-buffer-size", "--edns-buffer-size", Kind.WHOLE_NUMBER, "--no-recursion"),
  RECURSION_OUTGOING_RANGE("recursion.outgoing-range", "--outgoing-range", Kind.TEXT, "--no-recursion"),
  RECURSION_NAT64("recursion.nat64", "--nat64", Kind.TEXT, "--no-recursion"),
  RECURSION_USE_CAPS_FOR_ID("recursion.use-caps-for-id", "--use-caps-for-id", Kind.TEXT, "--no-recursion"),
  RECURSION_UPSTREAM_COOKIES("recursion.upstream-cookies", "--upstream-cookies", Kind.TEXT, "--no-recursion"),
  RECURSION_WARM_UP("recursion.warm-up", "--warm-up", Kind.TEXT, "--no-recursion"),
  RECURSION_IN_FLIGHT_PER_CLIENT(
      "recursion.in-flight-per-client", "--in-flight-per-client", Kind.WHOLE_NUMBER, "--no-recursion"),
  RECURSION_IN_FLIGHT_TOTAL("recursion.in-flight-total", "--in-flight-total", Kind.WHOLE_NUMBER, "--no-recursion"),
  RECURSION_IN_FLIGHT_PER_ZONE(
      "recursion.in-flight-per-zone", "--in-flight-per-zone", Kind.WHOLE_NUMBER, "--no-recursion"),
  RECURSION_LOCAL_ZONES(
      "recursion.local-zones", "--no-local-zones", Kind.ENABLED, "--no-recursion", "--no-local-zone"),
  RECURSION_LOCAL_ZONES_DISABLED(
      "recursion.local-zones-disabled", "--no-local-zone", Kind.LIST, "--no-recursion", "--no-local-zones"),
  RECURSION_DNSSEC("recursion.dnssec", "--dnssec", Kind.TEXT, "--no-recursion"),
  RECURSION_TRUST_ANCHORS("recursion.trust-anchors", "--trust-anchor", Kind.LIST, "--no-recursion"),
  RECURSION_NEGATIVE_TRUST_ANCHORS(
      "recursion.negative-trust-anchors", "--negative-trust-anchor", Kind.LIST, "--no-recursion"),
  SOURCES_HOSTS_FILE("sources.hosts-file", "--hosts-file", Kind.TEXT),
  SOURCES_HOSTS_DOMAIN("sources.hosts-domain", "--hosts-domain", Kind.TEXT),
  SOURCES_DHCP_LEASES("sources.dhcp-leases", "--dhcp-leases", Kind.TEXT),
  SOURCES_DHCP_LEASES_FORMAT("sources.dhcp-leases-format", "--dhcp-leases-format", Kind.TEXT),
  QUERY_LOG_FILE("query-log.file", "--query-log", Kind.TEXT),
  QUERY_LOG_MAX_SIZE("query-log.max-size", "--query-log-max-size", Kind.TEXT),
  QUERY_LOG_KEEP("query-log.keep", "--query-log-keep", Kind.WHOLE_NUMBER),
  RRL_RATE("rate-limit.rate", "--rrl-rate", Kind.WHOLE_NUMBER),
  RRL_SLIP("rate-limit.slip", "--rrl-slip", Kind.WHOLE_NUMBER),
  RRL_WINDOW("rate-limit.window", "--rrl-window", Kind.WHOLE_NUMBER),
  RRL_IPV4_PREFIX("rate-limit.ipv4-prefix", "--rrl-ipv4-prefix", Kind.WHOLE_NUMBER),
  RRL_IPV6_PREFIX("rate-limit.ipv6-prefix", "--rrl-ipv6-prefix", Kind.WHOLE_NUMBER),
  RRL_EXEMPT("rate-limit.exempt", "--rrl-exempt", Kind.LIST),
  SECONDARY_ZONES("secondary.zones", "--secondary", Kind.ZONE_MAP),
  SECONDARY_KEYS("secondary.keys", "--secondary-key", Kind.ZONE_MAP),
  SECONDARY_CATALOGS("secondary.catalogs", "--secondary-catalog", Kind.ZONE_MAP),
  TLS_LISTEN("tls.listen", "--listen-tls", Kind.LIST),
  TLS_LISTEN_HTTPS("tls.listen-https", "--listen-https", Kind.LIST),
  TLS_CERT("tls.cert", "--tls-cert", Kind.TEXT),
  TLS_KEY("tls.key", "--tls-key", Kind.TEXT),
  TRANSFER_ALLOW("transfer.allow", "--allow-transfer", Kind.ZONE_MAP),
  TRANSFER_ALSO_NOTIFY("transfer.also-notify", "--also-notify", Kind.ZONE_MAP),
  CATALOG_ZONE("catalog.zone", "--catalog-zone", Kind.TEXT),
  VIEWS("views", "--view", Kind.VIEW_MAP);

  /** What a key's value may be in the file. */
  public enum Kind {
    /** A scalar (text or a number), given to the flag as written. */
    TEXT,
    /** A number, with a fraction or not. */
    NUMBER,
    /** A whole number. */
    WHOLE_NUMBER,
    /** A list of scalars (or one scalar): the flag once for each. */
    LIST,
    /**
     * As LIST, at least one: no flag at all is the default, so an empty list would say "none" and
     * mean the opposite ({@code allow: []} would let the private ranges recurse).
     */
    NON_EMPTY_LIST,
    /** true or false; false is the flag ({@code --no-api}). */
    ENABLED,
    /**
     * A mapping of zone name to one value (an address, a key name) or a list of them:
     * {@code ZONE=VALUE} for each.
     */
    ZONE_MAP,
    /**
     * A mapping of view name to its settings, {@code NAME: {match-clients: [VALUE, ...]}}:
     * {@code NAME=VALUE} for each, in the order written (the first view that matches a client wins).
     */
    VIEW_MAP
  }

  private final String path;
  private final String flag;
  private final Kind kind;
  private final Set<String> overriddenBy;

  ConfigKey(String path, String flag, Kind kind, String... alsoOverriddenBy) {
    this.path = path;
    this.flag = flag;
    this.kind = kind;
    this.overriddenBy = Stream.concat(Stream.of(flag), Arrays.stream(alsoOverriddenBy)).collect(Collectors.toUnmodifiableSet());
  }

  /** Where the key sits: {@code tcp.idle-timeout} is {@code idle-timeout} in the {@code tcp} group. */
  public String path() {
    return path;
  }

  public String flag() {
    return flag;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * True when {@code flag} on the command line replaces this key of the file: its own flag, and for
   * the switches a flag that turns the other way ({@code --api} turns the API on whatever
   * {@code api.enabled} says, {@code --no-api} leaves out the file's {@code api} keys).
   */
  public boolean overriddenBy(String flag) {
    return overriddenBy.contains(flag);
  }

  /** The group the key sits in, or empty for a key at the top of the file. */
  public Optional<String> group() {
    int dot = path.indexOf('.');
    return dot < 0 ? Optional.empty() : Optional.of(path.substring(0, dot));
  }

  /** Its name within its group. */
  public String leaf() {
    return path.substring(path.indexOf('.') + 1);
  }

  public static Optional<ConfigKey> at(String path) {
    return Arrays.stream(values()).filter(k -> k.path.equals(path)).findFirst();
  }

  /** The groups, in the order of the keys. */
  public static List<String> groups() {
    return Arrays.stream(values()).flatMap(k -> k.group().stream()).distinct().toList();
  }
}
