package dev.namu.server.config;

import dev.namu.server.querylog.QueryLogConfig;
import dev.namu.server.recursion.RecursionConfig;
import dev.namu.server.secondary.SecondaryConfig;
import dev.namu.server.transfer.TransferConfig;
import dev.namu.server.views.ViewConfig;
import dev.namu.server.transport.TcpSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything namud needs to start, from the command line and the config file: one immutable value,
 * so settings read again can be compared with those in use.
 *
 * @param listen where to serve; never empty
 * @param listenGiven false when {@code listen} is the default (then a missing ::1 is only a warning)
 * @param zonesDir the zone directory, or empty for the example zones built into namud
 * @param logLevel the root log level, or empty to keep logback.xml's
 * @param tcp TCP idle timeout and connection limit
 * @param threads event loop threads, 0 for one per processor
 * @param admin live editing: data directory, zone store, admin API
 * @param recursion recursion for names outside the zones: resolver flags and who may use it
 * @param metrics the metrics and health listener
 * @param queryLog the query log's file and rotation, or off
 * @param rateLimit response rate limiting of UDP replies, or off
 * @param secondary the zones served as a secondary, transferred from their primaries
 * @param tls DNS over TLS and DNS over HTTPS listeners and their certificate, or off
 * @param transfers who may transfer each zone served from a file, and whom to notify of its changes
 * @param views the views of split horizon, or none
 */
public record ServerConfig(
    List<ListenAddress> listen,
    boolean listenGiven,
    Optional<Path> zonesDir,
    Optional<String> logLevel,
    TcpSettings tcp,
    int threads,
    AdminConfig admin,
    RecursionConfig recursion,
    MetricsConfig metrics,
    QueryLogConfig queryLog,
    RateLimitConfig rateLimit,
    SecondaryConfig secondary,
    TlsConfig tls,
    TransferConfig transfers,
    ViewConfig views) {

  /** Without --listen: the loopback addresses on the DNS port. */
  public static final List<ListenAddress> DEFAULT_LISTEN =
      List.of(ListenAddress.parse("127.0.0.1:53"), ListenAddress.parse("[::1]:53"));

  /** The same config with another query log. */
  public ServerConfig withQueryLog(QueryLogConfig log) {
    return new ServerConfig(listen, listenGiven, zonesDir, logLevel, tcp, threads, admin, recursion, metrics, log,
        rateLimit, secondary, tls, transfers, views);
  }

  public ServerConfig {
    java.util.Objects.requireNonNull(admin, "admin");
    java.util.Objects.requireNonNull(metrics, "metrics");
    java.util.Objects.requireNonNull(recursion, "recursion");
    java.util.Objects.requireNonNull(queryLog, "queryLog");
    java.util.Objects.requireNonNull(rateLimit, "rateLimit");
    java.util.Objects.requireNonNull(secondary, "secondary");
    java.util.Objects.requireNonNull(tls, "tls");
    java.util.Objects.requireNonNull(transfers, "transfers");
    java.util.Objects.requireNonNull(views, "views");
    listen = List.copyOf(listen);
    if (listen.isEmpty()) {
      throw new IllegalArgumentException("no address to listen on");
    }
    // found here, before binding: the bind would fail with "address in use" and blame another
    // program (UDP may even succeed twice, as its sockets share ports with SO_REUSEPORT)
    for (int i = 0; i < listen.size(); i++) {
      for (int j = i + 1; j < listen.size(); j++) {
        listen.get(i).conflictWith(listen.get(j)).ifPresent(why -> {
          throw new IllegalArgumentException(why);
        });
      }
    }
  }
}
