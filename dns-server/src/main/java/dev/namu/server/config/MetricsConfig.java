package dev.namu.server.config;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where namud serves its Prometheus metrics and health checks, or empty when they are off.
 * {@code given} tells an explicit address from the default: a default address that cannot be bound
 * (a second namud on the host) is a warning, an explicit one an error, as for the admin API.
 */
public record MetricsConfig(Optional<InetSocketAddress> listen, boolean given) {

  /** 9153 is the port Prometheus exporters for DNS servers commonly take (CoreDNS's). */
  public static final InetSocketAddress DEFAULT_LISTEN = new InetSocketAddress("127.0.0.1", 9153);

  public MetricsConfig {
    Objects.requireNonNull(listen, "listen");
  }

  /** Off: for servers built in code (tests, benchmarks) that ask for no listener. */
  public static MetricsConfig off() {
    return new MetricsConfig(Optional.empty(), false);
  }

  /** On, at the default address, as for a namud started without the metrics flags. */
  public static MetricsConfig defaults() {
    return new MetricsConfig(Optional.of(DEFAULT_LISTEN), false);
  }
}
