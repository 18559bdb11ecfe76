package dev.namu.server.admin;

import dev.namu.zones.store.ForwardingZoneStore;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneWrite;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * A {@link ZoneStore} that keeps {@link StoredZoneCatalog} in step with the zones it holds: a
 * created zone is listed before its transaction, a deleted one unlisted after its transaction, so
 * the list is never missing a stored zone (a failed create leaves it listed only until the next
 * change or start; being listed costs SERVFAIL while the store opens, nothing else).
 */
public final class CatalogedZoneStore extends ForwardingZoneStore {
  private final StoredZoneCatalog catalog;
  private final Set<Name> stored;
  private final Set<Name> creating = new HashSet<>();

  private CatalogedZoneStore(ZoneStore store, StoredZoneCatalog catalog, Set<Name> stored) {
    super(store);
    this.catalog = catalog;
    this.stored = stored;
  }

  /** Wraps an open store and writes the list of the zones it holds now. */
  public static CatalogedZoneStore over(ZoneStore store, StoredZoneCatalog catalog) {
    Set<Name> names = new HashSet<>();
    for (Name n : store.zoneNames()) {
      names.add(n.canonicalize());
    }
    CatalogedZoneStore cataloged = new CatalogedZoneStore(store, catalog, names);
    catalog.write(names);
    return cataloged;
  }

  @Override
  public void commit(List<ZoneWrite> writes, String actor) {
    Set<Name> created = new HashSet<>();
    Set<Name> dropped = new HashSet<>();
    for (ZoneWrite w : writes) {
      if (w instanceof ZoneWrite.Put put && put.serialBefore().isEmpty()) {
        created.add(put.origin().canonicalize());
      } else if (w instanceof ZoneWrite.Drop drop) {
        dropped.add(drop.origin().canonicalize());
      }
    }
    if (created.isEmpty() && dropped.isEmpty()) {
      super.commit(writes, actor);
      return;
    }
    synchronized (this) {
      if (!stored.containsAll(created)) {
        creating.addAll(created);
        writeCatalog();
      }
    }
    boolean committed = false;
    try {
      super.commit(writes, actor);
      committed = true;
    } finally {
      synchronized (this) {
        creating.removeAll(created);
        if (committed) {
          stored.addAll(created);
          stored.removeAll(dropped);
        }
        writeCatalog();
      }
    }
  }

  private void writeCatalog() {
    Set<Name> all = new HashSet<>(stored);
    all.addAll(creating);
    catalog.write(all);
  }
}
