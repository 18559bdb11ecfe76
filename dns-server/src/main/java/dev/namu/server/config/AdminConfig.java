package dev.namu.server.config;

import dev.namu.server.api.ApiLimits;
import dev.namu.server.sources.SourcesConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of live editing: the data directory (store and API token), the store's JDBC URL when not
 * the embedded H2 file, and where the admin API listens. A data directory namud cannot use ends it,
 * given or not (its store holds the zones and keys: running without it would lose edits, as Knot and
 * BIND refuse to). {@code dataGiven}/{@code apiGiven} tell an explicit flag from a default for the
 * admin API: a default address that cannot be bound is a warning, an explicit one an error.
 * {@code apiLimits} bounds what one API client may cost; {@code sources} names the hosts and lease
 * files whose names of LAN devices are served.
 */
public record AdminConfig(
    Path dataDir,
    boolean dataGiven,
    Optional<String> storeUrl,
    Optional<InetSocketAddress> api,
    boolean apiGiven,
    ApiLimits apiLimits,
    SourcesConfig sources) {

  public static final Path DEFAULT_DATA = Path.of("data");
  public static final InetSocketAddress DEFAULT_API = new InetSocketAddress("127.0.0.1", 8053);

  public AdminConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(storeUrl, "storeUrl");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(apiLimits, "apiLimits");
    Objects.requireNonNull(sources, "sources");
  }

  /** Without names of LAN devices. */
  public AdminConfig(Path dataDir, boolean dataGiven, Optional<String> storeUrl, Optional<InetSocketAddress> api,
      boolean apiGiven, ApiLimits apiLimits) {
    this(dataDir, dataGiven, storeUrl, api, apiGiven, apiLimits, SourcesConfig.none());
  }

  /** With the API's default limits. */
  public AdminConfig(Path dataDir, boolean dataGiven, Optional<String> storeUrl, Optional<InetSocketAddress> api,
      boolean apiGiven) {
    this(dataDir, dataGiven, storeUrl, api, apiGiven, ApiLimits.defaults());
  }

  /** ./data and 127.0.0.1:8053, as for a namud started without these flags. */
  public static AdminConfig defaults() {
    return new AdminConfig(DEFAULT_DATA, false, Optional.empty(), Optional.of(DEFAULT_API), false);
  }
}
