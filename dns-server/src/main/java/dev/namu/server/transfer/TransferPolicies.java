package dev.namu.server.transfer;

import dev.namu.server.update.TsigKeyring;
import dev.namu.zones.store.JournalEntry;
import dev.namu.zones.store.StoredKey;
import dev.namu.zones.store.TransferSettings;
import dev.namu.zones.store.ZoneStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * Every zone's transfer policy: a stored zone's from the zone store (set with {@code namuctl zone
 * update}), else the config file's for the zone (file zones), else none (refused, nobody notified).
 * Held as immutable maps swapped whole, so a transfer request reads them without locking; and the
 * store's journal, which IXFR reads, once the store is open.
 */
public final class TransferPolicies {
  private static final Logger log = LoggerFactory.getLogger(TransferPolicies.class);

  private final Map<Name, ZoneTransferPolicy> configured;
  private final AtomicReference<Map<Name, ZoneTransferPolicy>> stored = new AtomicReference<>(Map.of());
  private volatile ZoneStore store;

  /** @param configured the config file's policies, by zone */
  public TransferPolicies(Map<Name, ZoneTransferPolicy> configured) {
    this.configured = Map.copyOf(configured);
  }

  /** No zone may be transferred, until a store with settings opens. */
  public static TransferPolicies none() {
    return new TransferPolicies(Map.of());
  }

  /** The policy of the zone at {@code origin}. */
  public ZoneTransferPolicy policy(Name origin) {
    ZoneTransferPolicy p = stored.get().get(origin);
    if (p != null) {
      return p;
    }
    return configured.getOrDefault(origin, ZoneTransferPolicy.NONE);
  }

  /**
   * The zone store is open: its settings are read now, and again after each change made through
   * the returned store (which is {@code opened}, watched).
   */
  public ZoneStore watch(ZoneStore opened) {
    this.store = opened;
    refresh(opened);
    Set<Name> held = new java.util.HashSet<>();
    opened.keys().forEach(k -> held.add(k.name()));
    configured.forEach((zone, policy) -> policy.allow().keys().stream().filter(k -> !held.contains(k)).forEach(k ->
        // a request signed with a key namud does not hold fails its TSIG check (BADKEY) before the ACL
        log.error("zone {}: transfer.allow names TSIG key {}, which namud's keyring does not hold: no transfer"
            + " with it succeeds; add it with namuctl key add {}", zone, k, k)));
    return new TransferSettingsStore(opened, this::refresh);
  }

  /**
   * The newest {@code limit} journal entries of a stored zone, oldest first; none without a store.
   * Reads the database: never call it on an event loop.
   */
  public List<JournalEntry> journal(Name origin, int limit) {
    ZoneStore s = store;
    return s == null ? List.of() : s.journal(origin, limit);
  }

  /**
   * The key a zone's NOTIFYs are signed with: the first TSIG key its allow-transfer names that the
   * store holds, as the secondaries that transfer with a key expect NOTIFY signed with it. Reads
   * the database: never call it on an event loop.
   */
  public Optional<TSIG> signingKey(Name origin) {
    ZoneStore s = store;
    Set<Name> names = policy(origin).allow().keys();
    if (s == null || names.isEmpty()) {
      return Optional.empty();
    }
    for (StoredKey k : s.keys()) {
      if (names.contains(k.name()) && TsigKeyring.algorithm(k.algorithm()).isPresent()) {
        return Optional.of(new TSIG(TSIG.algorithmToName(k.algorithm()), k.name(), k.secret()));
      }
    }
    return Optional.empty();
  }

  /**
   * Reads the stored settings again: set through another namud sharing the store, which this one's
   * store does not see written. Reads the database: never call it on an event loop.
   */
  public void reread() {
    ZoneStore s = store;
    if (s != null) {
      refresh(s);
    }
  }

  private void refresh(ZoneStore from) {
    Map<Name, ZoneTransferPolicy> next = new HashMap<>();
    for (Map.Entry<Name, TransferSettings> e : from.transferSettings().entrySet()) {
      try {
        next.put(e.getKey(), ZoneTransferPolicy.of(e.getValue()));
      } catch (IllegalArgumentException bad) {
        // written by an older namud or by hand: the zone stays refused rather than half-open
        log.warn("zone {}: stored transfer settings ignored ({}); set them again with namuctl zone update",
            e.getKey(), bad.getMessage());
      }
    }
    stored.set(Map.copyOf(next));
  }
}
