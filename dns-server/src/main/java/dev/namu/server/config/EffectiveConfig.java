package dev.namu.server.config;

import dev.namu.server.net.AddressRange;
import dev.namu.server.recursion.RecursionConfig;
import dev.namu.server.recursion.Upstream;
import dev.namu.server.transfer.NotifyTarget;
import dev.namu.server.transfer.ZoneTransferPolicy;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import org.xbill.DNS.Name;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link ServerConfig} written back as the keys of the config file, every key with its value,
 * defaults included ({@code namud --check --json}). Read back as a config file it gives the same
 * config: a key whose value is the default is written as it would be read, and one that does not
 * apply (the API's address with the API off) as null, which reads as left out.
 */
public final class EffectiveConfig {
  /** The root level namud's own logging starts at ({@link NamudLogConfigurator}). */
  private static final String DEFAULT_LOG_LEVEL = "INFO";

  private EffectiveConfig() {}

  /** The keys, grouped as in the file, in the order of {@link ConfigKey}. */
  public static Map<String, Object> of(ServerConfig config) {
    Map<String, Object> top = new LinkedHashMap<>();
    for (ConfigKey key : ConfigKey.values()) {
      Object value = value(key, config);
      if (key.group().isPresent()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> group =
            (Map<String, Object>) top.computeIfAbsent(key.group().get(), g -> new LinkedHashMap<>());
        group.put(key.leaf(), value);
      } else {
        top.put(key.path(), value);
      }
    }
    return top;
  }

  private static Object value(ConfigKey key, ServerConfig c) {
    RecursionConfig r = c.recursion();
    dev.namu.server.recursion.ResolverTuning t = r.tuning();
    boolean recursing = r.enabled();
    boolean api = c.admin().api().isPresent();
    return switch (key) {
      case LISTEN -> c.listen().stream().map(ListenAddress::toString).toList();
      case ZONES -> c.zonesDir().map(Path::toString).orElse(null);
      case DATA -> c.admin().dataDir().toString();
      case STORE_URL -> c.admin().storeUrl().orElse(null);
      case LOG_LEVEL -> c.logLevel().orElse(DEFAULT_LOG_LEVEL);
      case THREADS -> c.threads();
      case TCP_IDLE_TIMEOUT -> seconds(c.tcp().idleTimeout());
      case TCP_MAX_CONNECTIONS -> c.tcp().maxConnections();
      case TCP_MAX_PER_CLIENT -> c.tcp().maxConnectionsPerClient();
      case API_ENABLED -> api;
      case API_LISTEN -> c.admin().api().map(EffectiveConfig::address).orElse(null);
      case API_MAX_BODY -> api ? size(c.admin().apiLimits().maxBodyBytes()) : null;
      case METRICS_ENABLED -> c.metrics().listen().isPresent();
      case METRICS_LISTEN -> c.metrics().listen().map(EffectiveConfig::address).orElse(null);
      case RECURSION_ENABLED -> recursing;
      // with recursion off its other keys do not apply, and given they would contradict it
      case RECURSION_ROOT_HINTS -> recursing ? r.rootHints().map(Path::toString).orElse(null) : null;
      case RECURSION_FORWARD -> recursing ? upstreams(r.forwarders()) : null;
      case RECURSION_FORWARD_ZONES -> recursing ? forwardZones(r) : null;
      case RECURSION_UPSTREAM_PORT -> recursing && r.upstreamPort() != 0 ? r.upstreamPort() : null;
      case RECURSION_ALLOW -> recursing ? r.acl().allowed().stream().map(EffectiveConfig::range).toList() : null;
      case RECURSION_CACHE_SIZE ->
          !recursing ? null : r.cacheMaxBytes() > 0 ? size(r.cacheMaxBytes()) : (Object) r.cacheMaxEntries();
      case RECURSION_CACHE_MIN_TTL -> recursing ? t.cacheMinTtl() : null;
      case RECURSION_CACHE_MAX_TTL -> recursing ? t.cacheMaxTtl() : null;
      case RECURSION_CACHE_MAX_NEGATIVE_TTL -> recursing ? t.cacheMaxNegativeTtl() : null;
      case RECURSION_QNAME_MINIMISATION ->
          recursing ? t.qnameMinimisation().name().toLowerCase(java.util.Locale.ROOT) : null;
      case RECURSION_HARDEN_GLUE -> recursing ? (t.hardenGlue() ? "yes" : "no") : null;
      case RECURSION_SERVE_STALE -> recursing ? onOff(t.serveStale()) : null;
      case RECURSION_SERVE_STALE_TTL -> recursing ? t.serveStaleTtl() : null;
      case RECURSION_SERVE_STALE_WINDOW -> recursing ? t.serveStaleWindow() : null;
      case RECURSION_PREFETCH -> recursing ? onOff(t.prefetch()) : null;
      case RECURSION_EDNS_BUFFER_SIZE -> recursing ? t.ednsBufferSize() : null;
      case RECURSION_OUTGOING_RANGE -> !recursing ? null : t.outgoingRange().ranged()
          ? t.outgoingRange().low() + "-" + t.outgoingRange().high() : (Object) t.outgoingRange().sockets();
      case RECURSION_NAT64 -> !recursing ? null : t.nat64().map(Object::toString).orElse("off");
      case RECURSION_USE_CAPS_FOR_ID -> recursing ? onOff(t.useCapsForId()) : null;
      case RECURSION_UPSTREAM_COOKIES -> recursing ? onOff(t.upstreamCookies()) : null;
      case RECURSION_WARM_UP -> recursing ? onOff(t.warmUp()) : null;
      case RECURSION_IN_FLIGHT_PER_CLIENT -> recursing ? t.inFlight().perClient() : null;
      case RECURSION_IN_FLIGHT_TOTAL -> recursing ? t.inFlight().total() : null;
      case RECURSION_IN_FLIGHT_PER_ZONE -> recursing ? t.inFlight().perZone() : null;
      case RECURSION_LOCAL_ZONES -> recursing ? r.localZones().enabled() : null;
      case RECURSION_LOCAL_ZONES_DISABLED ->
          recursing ? r.localZones().disabled().stream().map(Name::toString).toList() : null;
      case RECURSION_DNSSEC -> recursing ? onOff(r.dnssec().enabled()) : null;
      case RECURSION_TRUST_ANCHORS ->
          recursing ? r.dnssec().trustAnchorFiles().stream().map(Path::toString).toList() : null;
      case RECURSION_NEGATIVE_TRUST_ANCHORS ->
          recursing ? r.dnssec().negativeTrustAnchors().stream().map(Name::toString).toList() : null;
      case SOURCES_HOSTS_FILE -> c.admin().sources().hostsFile().map(Path::toString).orElse(null);
      case SOURCES_HOSTS_DOMAIN -> c.admin().sources().domain().map(Name::toString).orElse(null);
      case SOURCES_DHCP_LEASES -> c.admin().sources().leases().map(Path::toString).orElse(null);
      case SOURCES_DHCP_LEASES_FORMAT -> c.admin().sources().leasesFormat();
      case QUERY_LOG_FILE -> c.queryLog().file().map(Path::toString).orElse(null);
      case QUERY_LOG_MAX_SIZE -> size(c.queryLog().maxBytes());
      case QUERY_LOG_KEEP -> c.queryLog().keep();
      case RRL_RATE -> c.rateLimit().rate();
      case RRL_SLIP -> c.rateLimit().slip();
      case RRL_WINDOW -> c.rateLimit().window();
      case RRL_IPV4_PREFIX -> c.rateLimit().ipv4Prefix();
      case RRL_IPV6_PREFIX -> c.rateLimit().ipv6Prefix();
      case RRL_EXEMPT -> c.rateLimit().exempt().stream().map(EffectiveConfig::range).toList();
      case SECONDARY_ZONES -> secondaryZones(c);
      case SECONDARY_KEYS -> secondaryKeys(c);
      case SECONDARY_CATALOGS -> secondaryCatalogs(c);
      case TLS_LISTEN -> c.tls().dot().stream().map(ListenAddress::toString).toList();
      case TLS_LISTEN_HTTPS -> c.tls().doh().stream().map(ListenAddress::toString).toList();
      case TLS_CERT -> c.tls().cert().map(Path::toString).orElse(null);
      case TLS_KEY -> c.tls().key().map(Path::toString).orElse(null);
      case TRANSFER_ALLOW -> transferZones(c, p -> p.allow().entries());
      case TRANSFER_ALSO_NOTIFY -> transferZones(c, p -> p.alsoNotify().stream().map(NotifyTarget::format).toList());
      case CATALOG_ZONE -> c.transfers().catalog().map(Name::toString).orElse(null);
      case VIEWS -> views(c);
    };
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }

  /** Whole seconds as a whole number, else with the fraction (2.5). */
  private static Object seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? (Object) (millis / 1000) : (Object) (millis / 1000.0);
  }

  /** Bytes as the size flags read them: with the largest k, m or g suffix that divides them. */
  static String size(long bytes) {
    for (String unit : new String[] {"g", "m", "k"}) {
      int shift = unit.equals("g") ? 30 : unit.equals("m") ? 20 : 10;
      if (bytes % (1L << shift) == 0) {
        return (bytes >> shift) + unit;
      }
    }
    return Long.toString(bytes);
  }

  private static String address(InetSocketAddress a) {
    return ListenAddress.format(a.getAddress(), a.getPort());
  }

  private static List<String> upstreams(List<Upstream> upstreams) {
    return upstreams.stream().map(EffectiveConfig::upstream).toList();
  }

  /** {@code ADDR}, {@code [V6]} or with {@code :PORT}, as {@code --forward} reads it. */
  private static String upstream(Upstream u) {
    if (u.port() != Upstream.DEFAULT) {
      return ListenAddress.format(u.address(), u.port());
    }
    String host = u.address().getHostAddress();
    return u.address() instanceof Inet6Address ? "[" + ListenAddress.compress(host) + "]" : host;
  }

  private static Map<String, List<String>> forwardZones(RecursionConfig r) {
    Map<String, List<String>> zones = new TreeMap<>();
    r.forwardZones().forEach((zone, upstreams) -> zones.put(zone.toString(), upstreams(upstreams)));
    return zones;
  }

  private static Map<String, List<String>> secondaryZones(ServerConfig c) {
    Map<String, List<String>> zones = new TreeMap<>();
    c.secondary().zones().forEach((zone, z) -> {
      if (!c.secondary().catalogs().contains(zone)) {
        zones.put(zone.toString(), z.primaries().stream().map(EffectiveConfig::address).toList());
      }
    });
    return zones.isEmpty() ? null : zones;
  }

  private static Map<String, List<String>> secondaryCatalogs(ServerConfig c) {
    Map<String, List<String>> catalogs = new TreeMap<>();
    c.secondary().catalogs().forEach(catalog -> catalogs.put(catalog.toString(),
        c.secondary().zones().get(catalog).primaries().stream().map(EffectiveConfig::address).toList()));
    return catalogs.isEmpty() ? null : catalogs;
  }

  private static Map<String, String> secondaryKeys(ServerConfig c) {
    Map<String, String> keys = new TreeMap<>();
    c.secondary().zones().forEach((zone, z) -> z.key().ifPresent(k -> keys.put(zone.toString(), k.toString())));
    return keys.isEmpty() ? null : keys;
  }

  /** Each view's match-clients, in the order the views are matched. */
  private static Map<String, Object> views(ServerConfig c) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    c.views().views().forEach(v -> out.put(v.name(), Map.of("match-clients", v.entries())));
    return out;
  }

  /** Each zone's entries of one transfer setting, zones without any left out. */
  private static Map<String, List<String>> transferZones(ServerConfig c,
      java.util.function.Function<ZoneTransferPolicy, List<String>> entries) {
    Map<String, List<String>> zones = new TreeMap<>();
    c.transfers().zones().forEach((zone, policy) -> {
      List<String> e = entries.apply(policy);
      if (!e.isEmpty()) {
        zones.put(zone.toString(), e);
      }
    });
    return zones;
  }

  private static String range(AddressRange range) {
    String text = range.toString();
    int slash = text.indexOf('/');
    String network = text.substring(0, slash);
    return (network.contains(":") ? ListenAddress.compress(network) : network) + text.substring(slash);
  }
}
