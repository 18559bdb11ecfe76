package dev.namu.zones.store.memory;

import dev.namu.zones.store.JournalEntry;
import dev.namu.zones.store.StoreConflictException;
import dev.namu.zones.sign.ZoneSigning;
import dev.namu.zones.store.StoredKey;
import dev.namu.zones.store.StoredToken;
import dev.namu.zones.store.StoredZone;
import dev.namu.zones.store.TransferSettings;
import dev.namu.zones.store.ViewOverlay;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneVersion;
import dev.namu.zones.store.ZoneWrite;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** A {@link ZoneStore} that forgets everything on close; same contract as the JDBC store. */
public final class MemoryZoneStore implements ZoneStore {

  private final Clock clock;
  private final TreeMap<Name, StoredZone> zones = new TreeMap<>();
  /** The journal id of the write that created each zone: its generation. */
  private final TreeMap<Name, Long> generations = new TreeMap<>();
  private final List<JournalEntry> journal = new ArrayList<>();
  private final TreeMap<Name, StoredKey> keys = new TreeMap<>();
  private final TreeMap<String, StoredToken> tokens = new TreeMap<>();
  private final TreeMap<Name, TransferSettings> transfers = new TreeMap<>();
  /** Each view's overlays, by view name then zone; insertion order is not kept (none is promised). */
  private final TreeMap<String, TreeMap<Name, ViewOverlay>> overlays = new TreeMap<>();
  private final TreeMap<Name, ZoneSigning> signing = new TreeMap<>();
  /** How many times each zone's signing was written: its version in {@link #versions()}. */
  private final TreeMap<Name, Long> signingVersions = new TreeMap<>();

  public MemoryZoneStore(Clock clock) {
    this.clock = clock;
  }

  public MemoryZoneStore() {
    this(Clock.systemUTC());
  }

  @Override
  public synchronized List<Name> zoneNames() {
    return List.copyOf(zones.keySet());
  }

  @Override
  public synchronized Optional<StoredZone> load(Name origin) {
    return Optional.ofNullable(zones.get(origin));
  }

  @Override
  public synchronized List<StoredZone> loadAll() {
    return List.copyOf(zones.values());
  }

  @Override
  public synchronized List<ZoneVersion> versions() {
    return zones.values().stream()
        .map(z -> new ZoneVersion(z.origin(), z.serial(), generations.get(z.origin()),
            signing.containsKey(z.origin()) ? signingVersions.getOrDefault(z.origin(), 0L) : 0L))
        .toList();
  }

  @Override
  public synchronized void commit(List<ZoneWrite> writes, String actor) {
    // Work on a copy so that a conflict in the second write leaves the first unapplied.
    TreeMap<Name, StoredZone> next = new TreeMap<>(zones);
    TreeMap<Name, Long> nextGenerations = new TreeMap<>(generations);
    List<JournalEntry> entries = new ArrayList<>();
    List<Name> dropped = new ArrayList<>();
    Map<Name, Optional<ZoneSigning>> signed = new HashMap<>();
    long id = journal.size();
    for (ZoneWrite write : writes) {
      StoredZone current = next.get(write.origin());
      if (write instanceof ZoneWrite.SigningExpected e) {
        Optional<ZoneSigning> now = signed.containsKey(e.origin()) ? signed.get(e.origin())
            : Optional.ofNullable(signing.get(e.origin()));
        if (!e.expected().equals(now)) {
          throw new StoreConflictException("zone " + e.origin() + " has other keys than expected: changed by another writer");
        }
        continue;
      }
      if (write instanceof ZoneWrite.Signing s) {
        if (current == null) {
          throw new StoreConflictException("zone " + s.origin() + " does not exist");
        }
        signed.put(s.origin(), s.signing());
        continue;
      }
      id++;
      if (write instanceof ZoneWrite.Put put) {
        if (put.serialBefore().isEmpty() && current != null) {
          throw new StoreConflictException("zone " + put.origin() + " exists already");
        }
        if (put.serialBefore().isPresent()) {
          expectSerial(current, put.origin(), put.serialBefore().getAsLong());
        }
        next.put(put.origin(), new StoredZone(put.origin(), put.serialAfter(), put.records()));
        if (current == null) {
          nextGenerations.put(put.origin(), id);
        }
        entries.add(new JournalEntry(id, put.origin(), put.serialBefore(), OptionalLong.of(put.serialAfter()),
            current == null ? List.of() : current.records(), put.records(), clock.instant(), actor));
      } else if (write instanceof ZoneWrite.Patch patch) {
        expectSerial(current, patch.origin(), patch.serialBefore());
        LinkedHashSet<Record> records = new LinkedHashSet<>(current.records());
        for (Record r : patch.removed()) {
          if (!records.remove(r)) {
            throw new StoreConflictException("zone " + patch.origin() + " has no record " + r);
          }
        }
        records.addAll(patch.added());
        next.put(patch.origin(), new StoredZone(patch.origin(), patch.serialAfter(), List.copyOf(records)));
        entries.add(new JournalEntry(id, patch.origin(), OptionalLong.of(patch.serialBefore()),
            OptionalLong.of(patch.serialAfter()), patch.removed(), patch.added(), clock.instant(), actor));
      } else if (write instanceof ZoneWrite.Drop drop) {
        expectSerial(current, drop.origin(), drop.serialBefore());
        next.remove(drop.origin());
        nextGenerations.remove(drop.origin());
        dropped.add(drop.origin());
        entries.add(new JournalEntry(id, drop.origin(), OptionalLong.of(drop.serialBefore()),
            OptionalLong.empty(), current.records(), List.of(), clock.instant(), actor));
      }
    }
    zones.clear();
    zones.putAll(next);
    generations.clear();
    generations.putAll(nextGenerations);
    journal.addAll(entries);
    // as the JDBC store's rows go with their zone
    dropped.forEach(transfers::remove);
    dropped.forEach(signing::remove);
    signed.forEach((origin, s) -> {
      signingVersions.merge(origin, 1L, Long::sum);
      if (s.isPresent()) {
        signing.put(origin, s.get());
      } else {
        signing.remove(origin);
      }
    });
  }

  private static void expectSerial(StoredZone current, Name origin, long serial) {
    if (current == null) {
      throw new StoreConflictException("zone " + origin + " does not exist");
    }
    if (current.serial() != serial) {
      throw new StoreConflictException(
          "zone " + origin + " is at serial " + current.serial() + ", not " + serial);
    }
  }

  @Override
  public synchronized List<JournalEntry> journal(Name origin, int limit) {
    List<JournalEntry> mine = journal.stream().filter(e -> e.zone().equals(origin)).toList();
    return List.copyOf(mine.subList(Math.max(0, mine.size() - limit), mine.size()));
  }

  @Override
  public synchronized List<StoredKey> keys() {
    return List.copyOf(keys.values());
  }

  @Override
  public synchronized void putKey(StoredKey key) {
    keys.put(key.name(), key);
  }

  @Override
  public synchronized boolean deleteKey(Name name) {
    return keys.remove(name) != null;
  }

  @Override
  public synchronized List<StoredToken> tokens() {
    return List.copyOf(tokens.values());
  }

  @Override
  public synchronized void addToken(StoredToken token) {
    if (tokens.putIfAbsent(token.name(), token) != null) {
      throw new StoreConflictException("token " + token.name() + " exists already");
    }
  }

  @Override
  public synchronized Map<Name, TransferSettings> transferSettings() {
    return Map.copyOf(transfers);
  }

  @Override
  public synchronized void putTransferSettings(Name origin, TransferSettings settings) {
    if (!zones.containsKey(origin)) {
      throw new StoreConflictException("zone " + origin + " does not exist");
    }
    if (settings.isEmpty()) {
      transfers.remove(origin);
    } else {
      transfers.put(origin, settings);
    }
  }

  @Override
  public synchronized Map<Name, ZoneSigning> signing() {
    return Map.copyOf(signing);
  }

  @Override
  public synchronized boolean deleteToken(String name) {
    return tokens.remove(name) != null;
  }

  @Override
  public synchronized List<ViewOverlay> viewOverlays() {
    List<ViewOverlay> out = new ArrayList<>();
    overlays.values().forEach(byZone -> out.addAll(byZone.values()));
    return out;
  }

  @Override
  public synchronized void putViewOverlay(ViewOverlay overlay) {
    TreeMap<Name, ViewOverlay> byZone = overlays.computeIfAbsent(overlay.view(), v -> new TreeMap<>());
    if (overlay.records().isEmpty()) {
      byZone.remove(overlay.zone());
    } else {
      byZone.put(overlay.zone(), overlay);
    }
  }

  @Override
  public synchronized void close() {
    zones.clear();
  }

}
