package dev.namu.zones.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.store.StoreException;
import dev.namu.zones.store.StoredZone;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneStoreContract;
import dev.namu.zones.store.ZoneWrite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store battery on an H2 file, plus what only a database store has: reopening, locking, migrations. */
class JdbcZoneStoreTest extends ZoneStoreContract {

  @TempDir Path dataDir;

  @Override
  protected ZoneStore newStore() {
    return JdbcZoneStore.open(JdbcStoreConfig.h2(dataDir));
  }

  @Test
  void dataSurvivesCloseAndReopen() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    store.putKey(new dev.namu.zones.store.StoredKey(n("k."), "hmac-sha256", "c2VjcmV0", java.time.Instant.now()));
    store.close();
    store = newStore();
    StoredZone z = store.load(n("example.")).orElseThrow();
    assertEquals(new HashSet<>(zone("example.", 1)), new HashSet<>(z.records()));
    assertEquals(1, store.keys().size());
    assertEquals(1, store.journal(n("example."), 10).size());
    assertTrue(Files.exists(dataDir.resolve("namu.mv.db")));
  }

  @Test
  void anEditOfAYoungZoneFindsTheRecordsItRemovesByTheOwnerIndex() throws Exception {
    // Without statistics H2 chose the zone_id foreign-key index and scanned every record of the zone
    // to delete the old SOA of each edit; the store tells H2 that zone ids are shared by many rows.
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    store.close();
    store = newStore();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(
            JdbcStoreConfig.h2(dataDir).url(), "sa", "");
        java.sql.ResultSet plan = c.createStatement().executeQuery("EXPLAIN DELETE FROM records WHERE zone_id = 1"
            + " AND owner_key = 'example.' AND rtype = 6 AND rclass = 1 AND rdata = 'x'")) {
      assertTrue(plan.next());
      assertTrue(plan.getString(1).contains("RECORDS_BY_OWNER"), plan.getString(1));
    }
  }

  @Test
  void badUrlGetsAClearError() {
    StoreException e = assertThrows(StoreException.class,
        () -> JdbcZoneStore.open(new JdbcStoreConfig("jdbc:nosuchdb:x", "sa", "", 1)));
    assertTrue(e.getMessage().contains("jdbc:nosuchdb:x"), e.getMessage());
  }
}
