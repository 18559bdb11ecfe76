package dev.namu.zones.store;

import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * A TSIG key (RFC 8945): its name, algorithm (as in BIND key files, e.g. {@code hmac-sha256}) and the
 * shared secret in base64, and what an UPDATE signed with it may change.
 */
public record StoredKey(Name name, String algorithm, String secret, Instant created, EditScope scope) {
  /** A key that may change any zone, name and type. */
  public StoredKey(Name name, String algorithm, String secret, Instant created) {
    this(name, algorithm, secret, created, EditScope.ANY);
  }

  public StoredKey {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(created, "created");
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException("key name must be absolute: " + name);
    }
    try {
      Base64.getDecoder().decode(secret);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key secret is not base64: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    // never print the secret in logs
    return "StoredKey[" + name + " " + algorithm + "]";
  }
}
