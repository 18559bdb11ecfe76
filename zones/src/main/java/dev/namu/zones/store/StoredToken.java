package dev.namu.zones.store;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named admin API token limited to a scope: only the SHA-256 of the token is kept (as lower-case
 * hex), so the store's contents never let anyone call the API; the token itself is shown once, when
 * it is made.
 */
public record StoredToken(String name, String sha256, Instant created, EditScope scope) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public StoredToken {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(scope, "scope");
    if (!validName(name)) {
      throw new IllegalArgumentException("bad token name '" + name
          + "': 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    if (!HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("token hash is not 64 lower-case hex digits");
    }
  }

  /** True when {@code name} may name a token. */
  public static boolean validName(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}
