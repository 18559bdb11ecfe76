package dev.namu.server.admin;

import dev.namu.server.config.AdminConfig;
import dev.namu.server.pipeline.UnloadedZones;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The stored zones not yet loaded while the zone store opens: the names of the zones
 * {@link StoredZoneCatalog} lists. Where namud cannot know which zones are stored (a database given
 * with {@code --store-url}, which other servers may edit, or a store without a readable list),
 * every name is covered until the store is open: SERVFAIL for a moment is better than an answer
 * that the store would have contradicted. A data directory without a store file has no stored zones.
 */
public final class PendingStoredZones implements UnloadedZones {

  /** The H2 file {@code JdbcStoreConfig.h2} makes in the data directory. */
  public static final String STORE_FILE = "namu.mv.db";

  private final Set<Name> origins;
  private volatile boolean loaded;

  private PendingStoredZones(Set<Name> origins, boolean loaded) {
    this.origins = origins;
    this.loaded = loaded;
  }

  /** What is pending at start for this configuration. */
  public static PendingStoredZones atStart(AdminConfig config) {
    if (config.storeUrl().isPresent()) {
      return everything();
    }
    StoredZoneCatalog catalog = new StoredZoneCatalog(config.dataDir());
    if (!Files.exists(config.dataDir().resolve(STORE_FILE))) {
      // A new store: empty, and zones can only be added once it is open, through the cataloged
      // store. Listing none now means a namud killed before its store opened still leaves a list.
      catalog.writeIfPossible(Set.of());
      return new PendingStoredZones(Set.of(), true);
    }
    Optional<Set<Name>> listed = catalog.read();
    return listed.map(PendingStoredZones::of).orElseGet(PendingStoredZones::everything);
  }

  static PendingStoredZones of(Set<Name> origins) {
    return new PendingStoredZones(Set.copyOf(origins), origins.isEmpty());
  }

  static PendingStoredZones everything() {
    return new PendingStoredZones(null, false);
  }

  /** The stored zones are in the zone set now: nothing is pending any more. */
  public void storeLoaded() {
    loaded = true;
  }

  /** True until {@link #storeLoaded()} when some name may be pending. */
  public boolean waiting() {
    return !loaded;
  }

  @Override
  public boolean covers(Name qname) {
    if (loaded) {
      return false;
    }
    if (origins == null) {
      return true;
    }
    // the name itself and each of its ancestors (a few labels) against the listed origins
    for (int skip = 0; skip < qname.labels(); skip++) {
      if (origins.contains(skip == 0 ? qname : new Name(qname, skip))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return loaded ? "none" : origins == null ? "every name" : origins.size() + " stored zone(s)";
  }
}
