package dev.namu.server.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of DNS over TLS and DNS over HTTPS: the certificate and key from their PEM files, as
 * one TLS context for each. Each new connection takes the contexts of the moment; a reload builds
 * new ones and swaps them in, so connections open at the time keep theirs and are not dropped.
 *
 * <p>The JDK's TLS provider: TLS 1.2 and 1.3 with ALPN since Java 9, nothing to install;
 * netty-tcnative (OpenSSL) is faster at handshakes but is a native library per platform that namud's
 * package would have to ship, for connections that DNS clients keep open and reuse (RFC 7858 3.4).
 */
public final class ServerTls implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  /** How often the files are looked at for a change: a renewed certificate is in use this soon. */
  public static final Duration WATCH_EVERY = Duration.ofSeconds(2);

  /** RFC 8310 / IANA ALPN id of DNS over TLS; offered back to a client that asks for it. */
  private static final String DOT_ALPN = "dot";

  /** The contexts of one reading of the files, the files, and when each was last changed then. */
  private record Loaded(SslContext dot, SslContext doh, X509Certificate leaf, Path certFile, Path keyFile,
      Stamp stamp) {}

  /** A file's change time and size: a certificate renewed in place changes one of them. */
  private record Stamp(FileTime certTime, long certSize, FileTime keyTime, long keySize) {}

  private volatile Loaded current;
  private ScheduledExecutorService watcher;

  private ServerTls(Loaded loaded) {
    this.current = loaded;
  }

  /**
   * Reads the certificate and key.
   *
   * @throws IllegalArgumentException with one line naming the file that is missing or wrong
   */
  public static ServerTls load(Path certFile, Path keyFile) {
    return new ServerTls(read(certFile, keyFile));
  }

  /** The context of a new DNS over TLS connection. */
  public SslContext dot() {
    return current.dot();
  }

  /** The context of a new DNS over HTTPS connection: ALPN h2, else HTTP/1.1. */
  public SslContext doh() {
    return current.doh();
  }

  /** The certificate served now. */
  public X509Certificate certificate() {
    return current.leaf();
  }

  /**
   * Reads these files (the same, or others a reload names) and serves them to new connections.
   *
   * @throws IllegalArgumentException with one line when they cannot be used; the ones in use stay
   */
  public synchronized void reload(Path certFile, Path keyFile) {
    current = read(certFile, keyFile);
    log.info("TLS certificate loaded from {}: {}", certFile, current.leaf().getSubjectX500Principal());
  }

  /** Reloads the files whenever they change, from now until {@link #close}, looking every {@code every}. */
  public synchronized void watch(Duration every) {
    if (watcher != null) {
      return;
    }
    watcher = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("namud-tls-watch", true));
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, every.toMillis(), every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private synchronized void reloadIfChanged() {
    Loaded loaded = current;
    Stamp now;
    try {
      now = stamp(loaded.certFile(), loaded.keyFile());
    } catch (IOException e) {
      return; // a file replaced by a rename is briefly missing; the next look finds the new one
    }
    if (now.equals(loaded.stamp())) {
      return;
    }
    try {
      reload(loaded.certFile(), loaded.keyFile());
    } catch (IllegalArgumentException e) {
      // half-written (the key copied before the certificate, say): looked at again next time
      log.warn("TLS files changed but cannot be used, still serving the previous certificate: {}", e.getMessage());
    }
  }

  private static Loaded read(Path certFile, Path keyFile) {
    Stamp stamp;
    try {
      // before the contents: a change made while they are read is seen by the next look
      stamp = stamp(certFile, keyFile);
    } catch (IOException e) {
      stamp = null;
    }
    TlsKeyPair pair = TlsKeyPair.read(certFile, keyFile);
    X509Certificate leaf = pair.chain().get(0);
    if (leaf.getNotAfter().before(new Date())) {
      log.warn("the TLS certificate in {} expired on {}; clients that check it will not connect", certFile,
          leaf.getNotAfter().toInstant());
    }
    return new Loaded(
        context(pair, new ApplicationProtocolConfig(Protocol.ALPN, SelectorFailureBehavior.NO_ADVERTISE,
            SelectedListenerFailureBehavior.ACCEPT, DOT_ALPN)),
        context(pair, new ApplicationProtocolConfig(Protocol.ALPN, SelectorFailureBehavior.NO_ADVERTISE,
            SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2,
            ApplicationProtocolNames.HTTP_1_1)),
        leaf, certFile, keyFile, stamp);
  }

  private static SslContext context(TlsKeyPair pair, ApplicationProtocolConfig alpn) {
    try {
      return SslContextBuilder.forServer(pair.key(), pair.chain().toArray(X509Certificate[]::new))
          .sslProvider(SslProvider.JDK)
          // RFC 8310 9 and RFC 8484 8 (via RFC 7525): TLS 1.2 at least
          .protocols("TLSv1.3", "TLSv1.2")
          .ciphers(null, SupportedCipherSuiteFilter.INSTANCE)
          .applicationProtocolConfig(alpn)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--tls-cert and --tls-key: cannot serve TLS with them ("
          + Objects.toString(e.getMessage(), e.getClass().getSimpleName()) + ")");
    }
  }

  private static Stamp stamp(Path cert, Path key) throws IOException {
    return new Stamp(Files.getLastModifiedTime(cert), Files.size(cert), Files.getLastModifiedTime(key),
        Files.size(key));
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.shutdownNow();
    }
  }
}
