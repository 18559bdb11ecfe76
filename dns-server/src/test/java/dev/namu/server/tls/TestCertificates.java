package dev.namu.server.tls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.interop.ToolRun;
import dev.namu.server.peers.ToolLocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates for 127.0.0.1 and {@code namud.test}, made by {@code openssl req} as a
 * user would make one; a test that needs one skips when openssl is missing.
 */
public final class TestCertificates {
  /** The name in each certificate, for clients that check it (kdig +tls-hostname). */
  public static final String HOST = "namud.test";

  private TestCertificates() {}

  /** A certificate and its PKCS#8 key in {@code dir}, as {@code NAME.crt} and {@code NAME.key}. */
  public static Path[] make(Path dir, String name) throws IOException, InterruptedException {
    assumeTrue(ToolLocator.find("openssl").isPresent(), ToolLocator.missing("openssl", "openssl"));
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=" + HOST + " " + name,
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:" + HOST);
    return new Path[] {cert, key};
  }

  /** Runs openssl; fails the test when it fails. */
  public static void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ToolLocator.find("openssl").orElseThrow().toString());
    command.addAll(List.of(args));
    ToolRun run = ToolRun.run(Duration.ofSeconds(60), command);
    if (run.exitCode() != 0) {
      throw new IllegalStateException("openssl failed\n" + run.transcript());
    }
  }

  /** A client TLS context that trusts these certificates alone. */
  public static SSLContext trusting(Path... certs) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    for (int i = 0; i < certs.length; i++) {
      try (InputStream in = Files.newInputStream(certs[i])) {
        store.setCertificateEntry("c" + i, (X509Certificate) factory.generateCertificate(in));
      }
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
