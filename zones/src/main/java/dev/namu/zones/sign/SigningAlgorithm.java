package dev.namu.zones.sign;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;
import java.util.Optional;
import org.xbill.DNS.DNSSEC;

/**
 * The algorithms namud signs with: ECDSA P-256 with SHA-256 (RFC 6605), the default, as Knot's and
 * BIND's, and Ed25519 (RFC 8080). Both are "MUST implement" for validators (RFC 8624 3.1).
 */
public enum SigningAlgorithm {
  ECDSAP256SHA256(DNSSEC.Algorithm.ECDSAP256SHA256),
  ED25519(DNSSEC.Algorithm.ED25519);

  private final int number;

  SigningAlgorithm(int number) {
    this.number = number;
  }

  /** The DNSSEC algorithm number (RFC 4034 A.1): 13 or 15. */
  public int number() {
    return number;
  }

  /** The lower-case mnemonic, as {@code dnssec-keygen -a} and Knot's policy take it. */
  public String mnemonic() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<SigningAlgorithm> byMnemonic(String text) {
    for (SigningAlgorithm a : values()) {
      if (a.mnemonic().equalsIgnoreCase(text)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public static Optional<SigningAlgorithm> byNumber(int number) {
    for (SigningAlgorithm a : values()) {
      if (a.number == number) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** A new key pair for this algorithm. */
  public KeyPair generate() {
    try {
      if (this == ED25519) {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      }
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot make " + mnemonic() + " keys: " + e.getMessage(), e);
    }
  }
}
