package dev.namu.server.update;

import dev.namu.zones.store.StoredKey;
import dev.namu.zones.store.ZoneStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * The TSIG keys UPDATE accepts, read from the store. Held as an immutable map swapped whole by
 * {@link #refresh} (after a key is added or deleted), so verifying never locks.
 */
public final class TsigKeyring {

  private static final Logger log = LoggerFactory.getLogger(TsigKeyring.class);

  /** Algorithms accepted for keys (RFC 8945 6: SHA-256 is mandatory; MD5 and SHA-1 are not offered). */
  public static final List<String> ALGORITHMS = List.of("hmac-sha256", "hmac-sha384", "hmac-sha512");

  private final ZoneStore store;
  private final AtomicReference<Map<Name, TSIG>> keys = new AtomicReference<>(Map.of());

  public TsigKeyring(ZoneStore store) {
    this.store = store;
    refresh();
  }

  /** Re-reads the keys from the store. */
  public void refresh() {
    Map<Name, TSIG> next = new HashMap<>();
    for (StoredKey k : store.keys()) {
      Name alg = TSIG.algorithmToName(k.algorithm());
      next.put(k.name(), new TSIG(alg, k.name(), java.util.Base64.getDecoder().decode(k.secret())));
    }
    keys.set(Map.copyOf(next));
    log.debug("{} TSIG keys loaded", next.size());
  }

  /** The key of this name, if any. Names compare case-insensitively (dnsjava Name equality). */
  public Optional<TSIG> key(Name name) {
    return Optional.ofNullable(keys.get().get(name));
  }

  /** The algorithm of a stored key, if it is one we accept; empty otherwise. */
  public static Optional<Name> algorithm(String name) {
    if (!ALGORITHMS.contains(name)) {
      return Optional.empty();
    }
    return Optional.of(TSIG.algorithmToName(name));
  }
}
