package dev.namu.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate chain and its private key, read from PEM files and checked to belong together, so
 * a wrong file is found when it is read (at start, on reload) with a line that names it, not by
 * every client's failed handshake later.
 *
 * @param chain the server's certificate first, then its issuers as the file lists them
 * @param key the private key of {@code chain[0]}
 */
public record TlsKeyPair(List<X509Certificate> chain, PrivateKey key) {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

  /** The key algorithms JDK's KeyFactory reads from PKCS#8, tried in turn. */
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

  public TlsKeyPair {
    chain = List.copyOf(chain);
  }

  /**
   * Reads and checks both files.
   *
   * @throws IllegalArgumentException with one line naming the file and what is wrong with it
   */
  public static TlsKeyPair read(Path certFile, Path keyFile) {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    if (!matches(chain.get(0), key)) {
      throw new IllegalArgumentException("--tls-key " + keyFile + ": not the private key of the certificate in "
          + certFile);
    }
    return new TlsKeyPair(chain, key);
  }

  private static List<X509Certificate> certificates(Path file) {
    String text = text("--tls-cert", file);
    try {
      List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))
          .stream().map(X509Certificate.class::cast).toList();
      if (!chain.isEmpty()) {
        return chain;
      }
    } catch (CertificateException | RuntimeException e) {
      // below: the same line for every way a file is not PEM certificates
    }
    throw new IllegalArgumentException("--tls-cert " + file
        + ": no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)");
  }

  private static PrivateKey privateKey(Path file) {
    Matcher m = BLOCK.matcher(text("--tls-key", file));
    while (m.find()) {
      switch (m.group(1)) {
        case "PRIVATE KEY" -> {
          return pkcs8(file, m.group(2));
        }
        case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("--tls-key " + file
            + ": the key is encrypted; namud reads unencrypted keys (openssl pkcs8 -topk8 -nocrypt)");
        case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException("--tls-key " + file
            + ": an " + m.group(1).replace(" PRIVATE KEY", "") + " key in its old form; convert it to PKCS#8:"
            + " openssl pkcs8 -topk8 -nocrypt -in " + file + " -out KEYFILE");
        default -> {
          // a certificate or parameters before the key: look further
        }
      }
    }
    throw new IllegalArgumentException("--tls-key " + file
        + ": no PEM private key in it (expected -----BEGIN PRIVATE KEY-----)");
  }

  private static PrivateKey pkcs8(Path file, String base64) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tls-key " + file + ": the key is not valid base64");
    }
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // another algorithm, or none
      }
    }
    throw new IllegalArgumentException("--tls-key " + file + ": not a private key this Java can read (RSA, EC, Ed25519)");
  }

  /** True when {@code key} signs what the certificate's public key verifies. */
  private static boolean matches(X509Certificate cert, PrivateKey key) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm(); // Ed25519 and Ed448 sign under their own names
    };
    byte[] probe = "namud key check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // a key of another algorithm than the certificate's cannot even try
      return false;
    }
  }

  private static String text(String flag, Path file) {
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // a FIFO waits for a writer, a device may never end: the start would hang without a word
      throw new IllegalArgumentException(flag + " " + file + ": not a regular file (a device or a FIFO); a PEM file must be a regular file");
    }
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(flag + " " + file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(flag + " " + file + ": cannot read it (" + e.getMessage() + ")");
    }
  }
}
