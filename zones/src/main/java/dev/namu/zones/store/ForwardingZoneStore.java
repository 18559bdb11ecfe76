package dev.namu.zones.store;

import dev.namu.zones.sign.ZoneSigning;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * A {@link ZoneStore} that passes every call on to another store, so a store that adds to one call
 * (what a commit does, say) overrides that call alone.
 */
public abstract class ForwardingZoneStore implements ZoneStore {
  private final ZoneStore store;

  protected ForwardingZoneStore(ZoneStore store) {
    this.store = store;
  }

  @Override
  public List<Name> zoneNames() {
    return store.zoneNames();
  }

  @Override
  public Optional<StoredZone> load(Name origin) {
    return store.load(origin);
  }

  @Override
  public List<StoredZone> loadAll() {
    return store.loadAll();
  }

  @Override
  public List<ZoneVersion> versions() {
    return store.versions();
  }

  @Override
  public void commit(List<ZoneWrite> writes, String actor) {
    store.commit(writes, actor);
  }

  @Override
  public List<JournalEntry> journal(Name origin, int limit) {
    return store.journal(origin, limit);
  }

  @Override
  public List<StoredKey> keys() {
    return store.keys();
  }

  @Override
  public void putKey(StoredKey key) {
    store.putKey(key);
  }

  @Override
  public boolean deleteKey(Name name) {
    return store.deleteKey(name);
  }

  @Override
  public List<StoredToken> tokens() {
    return store.tokens();
  }

  @Override
  public void addToken(StoredToken token) {
    store.addToken(token);
  }

  @Override
  public boolean deleteToken(String name) {
    return store.deleteToken(name);
  }

  @Override
  public Map<Name, TransferSettings> transferSettings() {
    return store.transferSettings();
  }

  @Override
  public void putTransferSettings(Name origin, TransferSettings settings) {
    store.putTransferSettings(origin, settings);
  }

  @Override
  public List<ViewOverlay> viewOverlays() {
    return store.viewOverlays();
  }

  @Override
  public void putViewOverlay(ViewOverlay overlay) {
    store.putViewOverlay(overlay);
  }

  @Override
  public ViewOverlaysVersion viewOverlaysVersion() {
    return store.viewOverlaysVersion();
  }

  @Override
  public void close() {
    store.close();
  }

  @Override
  public Map<Name, ZoneSigning> signing() {
    return store.signing();
  }
}
