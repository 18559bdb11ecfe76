package dev.namu.server.api;

import dev.namu.zones.store.StoredToken;
import dev.namu.zones.store.ZoneStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The tokens the API takes: the admin token, and the named tokens of the store, known by the SHA-256
 * of each. The named ones are read from the store at start and after each change, and kept as one
 * immutable map, so checking a token on the event loop costs a hash and a lookup, never the store.
 */
final class ApiTokens {

  private final ApiToken admin;
  private final ZoneStore store;
  private final AtomicReference<Map<String, ApiCaller>> byHash = new AtomicReference<>(Map.of());

  ApiTokens(ApiToken admin, ZoneStore store) {
    this.admin = admin;
    this.store = store;
    refresh();
  }

  /** Reads the named tokens again; call after adding or deleting one. */
  void refresh() {
    byHash.set(store.tokens().stream().collect(Collectors.toUnmodifiableMap(StoredToken::sha256,
        t -> ApiCaller.scoped(t.name(), t.scope()), (a, b) -> a)));
  }

  /** Who {@code Authorization: Bearer TOKEN} names, or empty for no token or an unknown one. */
  Optional<ApiCaller> identify(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return Optional.empty();
    }
    String presented = authorization.substring(7).trim();
    if (admin.matches(presented)) {
      return Optional.of(ApiCaller.ADMIN);
    }
    // looked up by its hash: no timing of a comparison with the token itself to learn from
    return Optional.ofNullable(byHash.get().get(sha256(presented)));
  }

  /** The SHA-256 of a token, as the store keeps it (lower-case hex). */
  static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e); // every JVM has it
    }
  }

  @Override
  public String toString() {
    return "ApiTokens[hidden]";
  }
}
