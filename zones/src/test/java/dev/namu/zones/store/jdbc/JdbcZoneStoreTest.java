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
  void anEditAfterTheDatabaseWasClosedUnderThePoolIsWritten() throws Exception {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    // what a failed write to the database file leaves (H2 closes the database from its background
    // writer, after the failed transaction's rollback worked): every pooled connection is dead
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(
        JdbcStoreConfig.h2(dataDir).url(), "sa", "")) {
      c.createStatement().execute("SHUTDOWN");
    }
    org.xbill.DNS.Record www = r("www.example.", 300, "A", "192.0.2.80");
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(), List.of(www))), "test");
    assertEquals(2, store.load(n("example.")).orElseThrow().serial());
    assertEquals(2, store.journal(n("example."), 10).size(), "written once");
  }

  @Test
  void aPatchChecksTheSerialEvenWhenTheZoneIdIsKnown() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    org.xbill.DNS.Record www = r("www.example.", 300, "A", "192.0.2.80");
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(), List.of(www))), "test");
    // the same patch again: the zone is at 2 now, so it conflicts and changes nothing
    org.xbill.DNS.Record ftp = r("ftp.example.", 300, "A", "192.0.2.21");
    assertThrows(dev.namu.zones.store.StoreConflictException.class,
        () -> store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(), List.of(ftp))), "test"));
    assertEquals(2, store.load(n("example.")).orElseThrow().serial());
    assertEquals(4, store.load(n("example.")).orElseThrow().records().size());
    assertEquals(2, store.journal(n("example."), 10).size());
  }

  @Test
  void aZoneDroppedAndMadeAgainByAnotherWriterIsPatchedWhereItIsNow() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(),
        List.of(r("www.example.", 300, "A", "192.0.2.80")))), "test");
    // another process on the same database (here: a second store) drops the zone and creates it again
    try (ZoneStore other = newStore()) {
      other.commit(List.of(new ZoneWrite.Drop(n("example."), 2)), "other");
      other.commit(List.of(new ZoneWrite.Put(n("example."), none(), 7, zone("example.", 7))), "other");
    }
    org.xbill.DNS.Record ftp = r("ftp.example.", 300, "A", "192.0.2.21");
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 7, 8, List.of(), List.of(ftp))), "test");
    StoredZone z = store.load(n("example.")).orElseThrow();
    assertEquals(8, z.serial());
    assertTrue(z.records().contains(ftp), z.records().toString());
    assertEquals(4, z.records().size());
  }

  @Test
  void badUrlGetsAClearError() {
    StoreException e = assertThrows(StoreException.class,
        () -> JdbcZoneStore.open(new JdbcStoreConfig("jdbc:nosuchdb:x", "sa", "", 1)));
    assertTrue(e.getMessage().contains("jdbc:nosuchdb:x"), e.getMessage());
  }
}
