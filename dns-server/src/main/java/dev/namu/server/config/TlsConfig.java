package dev.namu.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * DNS over TLS and DNS over HTTPS: where to listen and the certificate and key to serve, or off
 * when no address is given.
 *
 * @param dot where to serve DNS over TLS (RFC 7858)
 * @param doh where to serve DNS over HTTPS (RFC 8484)
 * @param cert the PEM certificate chain, when a listener is given
 * @param key the PEM private key (PKCS#8) of the certificate, when a listener is given
 */
public record TlsConfig(List<ListenAddress> dot, List<ListenAddress> doh, Optional<Path> cert, Optional<Path> key) {
  public TlsConfig {
    dot = List.copyOf(dot);
    doh = List.copyOf(doh);
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
  }

  /** No encrypted listener. */
  public static TlsConfig off() {
    return new TlsConfig(List.of(), List.of(), Optional.empty(), Optional.empty());
  }

  /** True when namud serves DNS over TLS or HTTPS. */
  public boolean enabled() {
    return !dot.isEmpty() || !doh.isEmpty();
  }
}
