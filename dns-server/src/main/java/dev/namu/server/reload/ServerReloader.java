package dev.namu.server.reload;

import dev.namu.server.api.ServerControl.ReloadRefused;
import dev.namu.server.api.ServerControl.ReloadReport;
import dev.namu.server.config.ConfigFileException;
import dev.namu.server.config.ConfigKey;
import dev.namu.server.config.ConfigSource;
import dev.namu.server.config.EffectiveConfig;
import dev.namu.server.config.ListenAddress;
import dev.namu.server.config.LogLevels;
import dev.namu.server.config.ServerConfig;
import dev.namu.server.recursion.CurrentRecursion;
import dev.namu.server.recursion.ResolverRecursion;
import dev.namu.server.transport.ListenFailure;
import dev.namu.server.tls.ServerTls;
import dev.namu.server.transport.Listeners;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reload of namud's settings (SIGHUP, {@code POST /api/v1/reload}): the config file and the
 * command line read again, then the zone files. What can change while namud runs is applied:
 * new listen addresses are bound before anything else changes (one that cannot be bound refuses
 * the whole reload), then the zone files, then the recursion (ACL, forwarders, root hints: the
 * same cache), then the addresses left out stop. A setting read that cannot be used refuses the
 * reload and nothing changes; the other settings are reported as needing a restart.
 *
 * <p>The resolver keeps its cache when its upstreams change, as Unbound's fast_reload does: the
 * entries are answers the old upstreams gave, true for their TTL; {@code namuctl cache flush}
 * drops them when they must go at once.
 */
public final class ServerReloader {
  private static final Logger log = LoggerFactory.getLogger(ServerReloader.class);

  /**
   * Keys applied by a reload; every other key (the data directory, the store, the admin API,
   * threads, TCP limits, the cache size, the upstream sockets, recursion on or off) is bound at
   * start.
   */
  private static final Set<ConfigKey> APPLIED = EnumSet.of(ConfigKey.LISTEN, ConfigKey.ZONES,
      ConfigKey.LOG_LEVEL, ConfigKey.RECURSION_ROOT_HINTS, ConfigKey.RECURSION_FORWARD,
      ConfigKey.RECURSION_FORWARD_ZONES, ConfigKey.RECURSION_UPSTREAM_PORT, ConfigKey.RECURSION_ALLOW,
      // the resolver's options: the same cache, the new bounds for what enters it from now on
      ConfigKey.RECURSION_CACHE_MIN_TTL, ConfigKey.RECURSION_CACHE_MAX_TTL,
      ConfigKey.RECURSION_CACHE_MAX_NEGATIVE_TTL, ConfigKey.RECURSION_QNAME_MINIMISATION,
      ConfigKey.RECURSION_HARDEN_GLUE, ConfigKey.RECURSION_SERVE_STALE, ConfigKey.RECURSION_SERVE_STALE_TTL,
      ConfigKey.RECURSION_SERVE_STALE_WINDOW, ConfigKey.RECURSION_PREFETCH, ConfigKey.RECURSION_EDNS_BUFFER_SIZE,
      ConfigKey.RECURSION_NAT64, ConfigKey.RECURSION_IN_FLIGHT_PER_CLIENT, ConfigKey.RECURSION_IN_FLIGHT_TOTAL,
      ConfigKey.RECURSION_IN_FLIGHT_PER_ZONE, ConfigKey.RECURSION_LOCAL_ZONES,
      ConfigKey.RECURSION_LOCAL_ZONES_DISABLED, ConfigKey.RECURSION_USE_CAPS_FOR_ID,
      ConfigKey.RECURSION_UPSTREAM_COOKIES,
      // validation's settings: the anchor files read again, the verdicts reached before dropped
      ConfigKey.RECURSION_DNSSEC, ConfigKey.RECURSION_TRUST_ANCHORS, ConfigKey.RECURSION_NEGATIVE_TRUST_ANCHORS,
      // the certificate and key are read again on every reload, as a renewal keeps their names;
      // connections open keep the certificate they began with
      ConfigKey.TLS_CERT, ConfigKey.TLS_KEY);

  private final ConfigSource source;
  private final ServerConfig started;
  private final Listeners listeners;
  private final Optional<CurrentRecursion> recursion;
  private final Optional<ServerTls> tls;
  private final BiPredicate<ListenFailure, ServerConfig> mayFail;
  private final Function<ListenFailure, String> describe;
  /** The settings in effect for the keys a reload applies; guarded by this. */
  private ServerConfig running;

  /**
   * @param started the settings namud started with
   * @param mayFail listen failures skipped with a warning (::1 on a host without IPv6), as at start
   * @param describe the one line that says why an address cannot be bound and what to do
   */
  public ServerReloader(ConfigSource source, ServerConfig started, Listeners listeners,
      Optional<CurrentRecursion> recursion, Optional<ServerTls> tls,
      BiPredicate<ListenFailure, ServerConfig> mayFail, Function<ListenFailure, String> describe) {
    this.source = source;
    this.started = started;
    this.running = started;
    this.listeners = listeners;
    this.recursion = recursion;
    this.tls = tls;
    this.mayFail = mayFail;
    this.describe = describe;
  }

  /**
   * Reads the settings again and applies them, with the zone files through {@code zones}.
   *
   * @throws ReloadRefused with the one-line reason when the settings cannot be used; nothing changed
   */
  public synchronized ReloadReport reload(ZoneReloader zones) {
    ServerConfig next;
    try {
      next = source.read();
    } catch (ConfigFileException | IllegalArgumentException e) {
      throw refused(e.getMessage());
    }
    Set<ConfigKey> changed = changedKeys(running, next);
    List<String> needsRestart = changedKeys(started, next).stream()
        .filter(k -> !appliable(k, next))
        .map(ConfigKey::path)
        .toList();
    List<String> applied = new ArrayList<>();

    // 1. What may fail, prepared before anything changes: the resolver's new settings, the new
    // addresses bound (they answer at once, from the zones and recursion now in use).
    Optional<ResolverRecursion> nextRecursion = Optional.empty();
    boolean recursing = started.recursion().enabled() && next.recursion().enabled();
    if (recursing && recursion.isPresent()) {
      try {
        // always: the root hints file may have changed under the same name
        nextRecursion = Optional.of(recursion.get().prepare(next.recursion()));
      } catch (IllegalArgumentException e) {
        throw refused(e.getMessage());
      }
    }
    List<InetSocketAddress> wanted = addresses(next.listen());
    List<InetSocketAddress> before = addresses(running.listen());
    List<InetSocketAddress> added = wanted.stream().filter(a -> !before.contains(a)).toList();
    List<InetSocketAddress> removed = before.stream().filter(a -> !wanted.contains(a)).toList();
    try {
      listeners.add(added, failure -> mayFail.test(failure, next));
    } catch (ListenFailure failure) {
      throw refused(describe.apply(failure));
    }
    // last of what may fail: new connections get the files as soon as they are read
    if (tls.isPresent() && next.tls().enabled()) {
      try {
        tls.get().reload(next.tls().cert().get(), next.tls().key().get());
      } catch (IllegalArgumentException e) {
        listeners.remove(added);
        throw refused(e.getMessage());
      }
    }

    // 2. Applied: nothing below refuses the reload.
    boolean zonesAppliable = appliable(ConfigKey.ZONES, next);
    ReloadReport zoneReport = zones.reload(zonesAppliable ? next.zonesDir() : running.zonesDir(),
        next.recursion().localZones());
    nextRecursion.ifPresent(r -> recursion.get().publish(r));
    if (nextRecursion.isPresent() && (changed.contains(ConfigKey.RECURSION_DNSSEC)
        || changed.contains(ConfigKey.RECURSION_TRUST_ANCHORS))) {
      // data cached with validation off came without its signatures (no DO upstream), and copies
      // of replies carry the AD bits and SERVFAILs of the old anchors: both are made again
      recursion.get().flush(Optional.empty());
    }
    listeners.remove(removed);
    if (changed.contains(ConfigKey.LOG_LEVEL)) {
      LogLevels.applyRoot(next.logLevel().orElse("INFO"));
    }
    for (ConfigKey key : changed) {
      if (key == ConfigKey.LISTEN) {
        if (!added.isEmpty() || !removed.isEmpty()) {
          applied.add(listenChange(added, removed));
        }
      } else if (appliable(key, next)) {
        applied.add(key.path());
      }
    }
    running = next;
    log.info("reload: {}{}; {} file zones loaded, {} problems",
        applied.isEmpty() ? "no setting changed" : "applied " + String.join(", ", applied),
        needsRestart.isEmpty() ? "" : "; needs a restart: " + String.join(", ", needsRestart),
        zoneReport.zonesLoaded(), zoneReport.problems().size());
    return new ReloadReport(zoneReport.zonesLoaded(), zoneReport.problems(), applied, needsRestart);
  }

  /** A key a reload applies, from the settings namud started with to {@code next}. */
  private boolean appliable(ConfigKey key, ServerConfig next) {
    if (!APPLIED.contains(key)) {
      return false;
    }
    if (key == ConfigKey.ZONES) {
      // the zones built into namud are not files: serving them instead of a directory, or a
      // directory instead of them, is a restart
      return started.zonesDir().isPresent() == next.zonesDir().isPresent();
    }
    if (key.group().filter("recursion"::equals).isPresent()) {
      return started.recursion().enabled() && next.recursion().enabled();
    }
    if (key == ConfigKey.TLS_CERT || key == ConfigKey.TLS_KEY) {
      // TLS turned on or off is a restart: its listeners are bound at start
      return started.tls().enabled() && next.tls().enabled();
    }
    return true;
  }

  /** The keys whose values differ, as {@code namud --check --json} would show them. */
  private static Set<ConfigKey> changedKeys(ServerConfig a, ServerConfig b) {
    Map<String, Object> left = flat(a);
    Map<String, Object> right = flat(b);
    Set<ConfigKey> changed = EnumSet.noneOf(ConfigKey.class);
    for (ConfigKey key : ConfigKey.values()) {
      if (!Objects.equals(left.get(key.path()), right.get(key.path()))) {
        changed.add(key);
      }
    }
    return changed;
  }

  private static Map<String, Object> flat(ServerConfig config) {
    Map<String, Object> flat = new java.util.HashMap<>();
    EffectiveConfig.of(config).forEach((k, v) -> {
      if (v instanceof Map<?, ?> group && ConfigKey.groups().contains(k)) {
        group.forEach((leaf, value) -> flat.put(k + "." + leaf, value));
      } else {
        flat.put(k, v);
      }
    });
    return flat;
  }

  private static List<InetSocketAddress> addresses(List<ListenAddress> listen) {
    return listen.stream().map(ListenAddress::socketAddress).toList();
  }

  private static String listenChange(List<InetSocketAddress> added, List<InetSocketAddress> removed) {
    String plus = added.stream().map(a -> "+" + ListenAddress.format(a.getAddress(), a.getPort()))
        .collect(Collectors.joining(" "));
    String minus = removed.stream().map(a -> "-" + ListenAddress.format(a.getAddress(), a.getPort()))
        .collect(Collectors.joining(" "));
    return ConfigKey.LISTEN.path() + " (" + (plus + " " + minus).trim() + ")";
  }

  private static ReloadRefused refused(String reason) {
    log.warn("reload refused, the running configuration is kept: {}", reason);
    return new ReloadRefused(reason);
  }
}
