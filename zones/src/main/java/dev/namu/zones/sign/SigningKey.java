package dev.namu.zones.sign;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * One DNSSEC key of a zone: its role, algorithm, the public key as the DNSKEY carries it, the private
 * key (PKCS#8 DER), its state and since when it is in that state (the rollover schedule counts from
 * there).
 */
public record SigningKey(
    KeyRole role, SigningAlgorithm algorithm, byte[] publicKey, byte[] privateKey, KeyState state,
    Instant since, Instant created) {

  /** DNSKEY protocol field, always 3 (RFC 4034 2.1.2). */
  private static final int PROTOCOL = 3;

  public SigningKey {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(created, "created");
    publicKey = publicKey.clone();
    privateKey = privateKey.clone();
    // whole seconds: what every store keeps, and more than the schedule needs
    since = since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    created = created.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /** A new key in {@code state} as of {@code now}. */
  public static SigningKey generate(Name origin, KeyRole role, SigningAlgorithm algorithm, KeyState state,
      Instant now) {
    KeyPair pair = algorithm.generate();
    try {
      DNSKEYRecord dnskey = new DNSKEYRecord(origin, DClass.IN, 0, role.flags(), PROTOCOL, algorithm.number(),
          pair.getPublic());
      return new SigningKey(role, algorithm, dnskey.getKey(), pair.getPrivate().getEncoded(), state, now, now);
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("cannot encode a " + algorithm.mnemonic() + " key: " + e.getMessage(), e);
    }
  }

  /** This key as the zone's DNSKEY record. */
  public DNSKEYRecord dnskey(Name origin, long ttl) {
    return new DNSKEYRecord(origin, DClass.IN, ttl, role.flags(), PROTOCOL, algorithm.number(), publicKey);
  }

  /** The key tag (RFC 4034 Appendix B). */
  public int tag(Name origin) {
    return dnskey(origin, 0).getFootprint();
  }

  /** The DS the parent publishes for this key, SHA-256 (digest type 2, RFC 4509). */
  public DSRecord ds(Name origin, long ttl) {
    return new DSRecord(origin, DClass.IN, ttl, DSRecord.SHA256_DIGEST_ID, dnskey(origin, ttl));
  }

  /** The private key, for signing. */
  public PrivateKey privateKeyObject() {
    try {
      String family = algorithm == SigningAlgorithm.ED25519 ? "Ed25519" : "EC";
      return KeyFactory.getInstance(family).generatePrivate(new PKCS8EncodedKeySpec(privateKey));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("stored " + algorithm.mnemonic() + " private key is unreadable: "
          + e.getMessage(), e);
    }
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] privateKey() {
    return privateKey.clone();
  }

  /** The same key in another state, as of {@code now}. */
  public SigningKey withState(KeyState next, Instant now) {
    return new SigningKey(role, algorithm, publicKey, privateKey, next, now, created);
  }

  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(publicKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SigningKey k && role == k.role && algorithm == k.algorithm
        && java.util.Arrays.equals(publicKey, k.publicKey) && state == k.state && since.equals(k.since);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(publicKey) * 31 + state.hashCode();
  }

  @Override
  public String toString() {
    // never print the private key in logs
    return "SigningKey[" + role + " " + algorithm.mnemonic() + " " + state + " since " + since + "]";
  }
}
