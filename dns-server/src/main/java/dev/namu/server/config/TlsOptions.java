package dev.namu.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** namud's flags for DNS over TLS and DNS over HTTPS, mixed into its command line. */
public final class TlsOptions {

  @Option(names = "--listen-tls", paramLabel = "ADDR:PORT",
      description = "Serve DNS over TLS (RFC 7858) here, e.g. 0.0.0.0:853; repeat for more. Needs --tls-cert and"
          + " --tls-key.")
  List<String> dot;

  @Option(names = "--listen-https", paramLabel = "ADDR:PORT",
      description = "Serve DNS over HTTPS (RFC 8484, HTTP/2 and HTTP/1.1, path /dns-query) here, e.g."
          + " 0.0.0.0:443; repeat for more. Needs --tls-cert and --tls-key.")
  List<String> doh;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "PEM certificate (chain) for DNS over TLS and HTTPS; reloaded when it changes.")
  Path cert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "PEM private key (PKCS#8) of --tls-cert; reloaded when it changes.")
  Path key;

  /** @throws IllegalArgumentException with a one-line message for a bad value */
  public TlsConfig toConfig() {
    List<ListenAddress> tls = addresses("--listen-tls", dot);
    List<ListenAddress> https = addresses("--listen-https", doh);
    if (tls.isEmpty() && https.isEmpty()) {
      if (cert != null || key != null) {
        throw new IllegalArgumentException((cert != null ? "--tls-cert" : "--tls-key")
            + " is for --listen-tls or --listen-https; give one of them, or leave it out");
      }
      return TlsConfig.off();
    }
    String listener = tls.isEmpty() ? "--listen-https" : "--listen-tls";
    if (cert == null || key == null) {
      throw new IllegalArgumentException(listener + " needs " + (cert == null ? "--tls-cert" : "--tls-key")
          + " (a PEM " + (cert == null ? "certificate" : "private key") + " file)");
    }
    return new TlsConfig(tls, https, Optional.of(cert), Optional.of(key));
  }

  private static List<ListenAddress> addresses(String flag, List<String> values) {
    if (values == null) {
      return List.of();
    }
    return values.stream().map(v -> {
      // ListenAddress reads an address alone as port 53, which is never meant here
      if (!v.trim().matches(".*:[0-9]+")) {
        throw new IllegalArgumentException(flag + " " + v + ": expected ADDR:PORT, e.g. 127.0.0.1:"
            + (flag.equals("--listen-tls") ? "853" : "443"));
      }
      try {
        return ListenAddress.parse(v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(flag + " " + e.getMessage());
      }
    }).toList();
  }
}
