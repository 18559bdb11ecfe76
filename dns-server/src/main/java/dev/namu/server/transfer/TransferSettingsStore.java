package dev.namu.server.transfer;

import dev.namu.zones.store.ForwardingZoneStore;
import dev.namu.zones.store.TransferSettings;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneWrite;
import java.util.List;
import java.util.function.Consumer;
import org.xbill.DNS.Name;

/**
 * The zone store as the admin API and the editor use it, telling the transfer policies when the
 * settings they read may have changed: set for a zone, or gone with a deleted zone.
 */
final class TransferSettingsStore extends ForwardingZoneStore {
  private final Consumer<ZoneStore> changed;
  private final ZoneStore store;

  TransferSettingsStore(ZoneStore store, Consumer<ZoneStore> changed) {
    super(store);
    this.store = store;
    this.changed = changed;
  }

  @Override
  public void putTransferSettings(Name origin, TransferSettings settings) {
    super.putTransferSettings(origin, settings);
    changed.accept(store);
  }

  @Override
  public void commit(List<ZoneWrite> writes, String actor) {
    super.commit(writes, actor);
    if (writes.stream().anyMatch(w -> w instanceof ZoneWrite.Drop)) {
      changed.accept(store);
    }
  }
}
