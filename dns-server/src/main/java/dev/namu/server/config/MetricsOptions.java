package dev.namu.server.config;

import java.util.Optional;
import picocli.CommandLine.Option;

/** namud's flags for the metrics and health listener, mixed into its command line. */
public final class MetricsOptions {

  @Option(names = "--metrics", paramLabel = "ADDR:PORT",
      description = "Prometheus metrics (/metrics) and health checks (/health, /ready) address"
          + " (default 127.0.0.1:9153; port 0 picks a free port).")
  String metrics;

  @Option(names = "--no-metrics", description = "Do not start the metrics and health listener.")
  boolean noMetrics;

  /** @throws IllegalArgumentException with a one-line message for a bad value */
  public MetricsConfig toConfig() {
    if (noMetrics && metrics != null) {
      throw new IllegalArgumentException("--metrics and --no-metrics contradict each other");
    }
    if (noMetrics) {
      return MetricsConfig.off();
    }
    if (metrics == null) {
      return MetricsConfig.defaults();
    }
    // ListenAddress reads an address alone as port 53, which is never meant here
    if (!metrics.trim().matches(".*:[0-9]+")) {
      throw new IllegalArgumentException(
          "--metrics " + metrics + ": expected ADDR:PORT, e.g. 127.0.0.1:9153");
    }
    try {
      return new MetricsConfig(Optional.of(ListenAddress.parse(metrics).socketAddress()), true);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--metrics " + e.getMessage());
    }
  }
}
