package dev.namu.zones.store;

import dev.namu.zones.sign.ZoneSigning;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Where edited zones live between runs. Every write is one transaction: the records change and the
 * journal rows that describe the change commit together or not at all (STYLE habit 3, "persist, then
 * publish": callers publish a new snapshot only after {@link #commit} returned).
 *
 * <p>Implementations are thread-safe; serializing edits of one zone is the caller's job (the
 * {@code ZoneEditor}), the store only guards against lost updates by checking the serial a write expects.
 * A database several namud share orders their commits of one zone itself: the zone's row is locked
 * inside the commit's transaction and its serial checked there, so of two writers from the same
 * serial one commits and the other gets {@link StoreConflictException}.
 */
public interface ZoneStore extends AutoCloseable {

  /** Origins of all stored zones, in canonical order. */
  List<Name> zoneNames();

  /** The stored records of one zone, or empty when the store has no such zone. */
  Optional<StoredZone> load(Name origin);

  /** Every stored zone; used once at start. */
  List<StoredZone> loadAll();

  /**
   * The version of every stored zone, no records: cheap enough to ask a few times a second, which
   * is how a namud sharing the store with others sees their edits.
   */
  List<ZoneVersion> versions();

  /**
   * Applies all writes in one transaction with one journal entry per write. When any write fails
   * (a zone exists or is missing contrary to the write, or its stored serial is not the expected one),
   * nothing is written and {@link StoreConflictException} is thrown; I/O and database failures throw
   * {@link StoreException}. Returning normally means committed.
   */
  void commit(List<ZoneWrite> writes, String actor);

  /** Journal of one zone, oldest first, at most {@code limit} newest entries. */
  List<JournalEntry> journal(Name origin, int limit);

  /** TSIG keys, by name. */
  List<StoredKey> keys();

  /** Adds or replaces a TSIG key. */
  void putKey(StoredKey key);

  /** Deletes a TSIG key; false when there was none of that name. */
  boolean deleteKey(Name name);

  /** Scoped API tokens (their hashes), by name. */
  List<StoredToken> tokens();

  /** Adds a scoped API token; {@link StoreConflictException} when one of that name exists. */
  void addToken(StoredToken token);

  /** Deletes a scoped API token; false when there was none of that name. */
  boolean deleteToken(String name);

  /** The transfer settings of every stored zone that has some, by origin. */
  Map<Name, TransferSettings> transferSettings();

  /**
   * Replaces a stored zone's transfer settings.
   *
   * @throws StoreConflictException when the store has no such zone
   */
  void putTransferSettings(Name origin, TransferSettings settings);

  /** Every view's overlay of every zone (split horizon), none with no records. */
  List<ViewOverlay> viewOverlays();

  /**
   * Replaces the records {@code overlay.view()} lays over {@code overlay.zone()}, in one
   * transaction (no records: the view no longer changes that zone).
   */
  void putViewOverlay(ViewOverlay overlay);

  /**
   * The version of {@link #viewOverlays()}, cheap enough to ask a few times a second, which is how a
   * namud sharing the store with others sees their view edits. This default reads the overlays; a
   * store several namud share answers from an aggregate instead.
   */
  default ViewOverlaysVersion viewOverlaysVersion() {
    List<ViewOverlay> all = viewOverlays();
    return new ViewOverlaysVersion(all.stream().mapToLong(o -> o.records().size()).sum(), all.hashCode());
  }

  /**
   * The signing (keys, NSEC or NSEC3, ZSK lifetime) of every stored zone namud signs, by origin;
   * written by {@link ZoneWrite.Signing} in a {@link #commit}.
   */
  Map<Name, ZoneSigning> signing();

  @Override
  void close();
}
