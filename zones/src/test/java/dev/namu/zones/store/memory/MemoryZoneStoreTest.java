package dev.namu.zones.store.memory;

import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneStoreContract;

class MemoryZoneStoreTest extends ZoneStoreContract {
  @Override
  protected ZoneStore newStore() {
    return new MemoryZoneStore();
  }
}
