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
  void anEditWritesOneJournalRowAndNoRowPerRecord() throws Exception {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "test");
    org.xbill.DNS.Record www = r("www.example.", 300, "A", "192.0.2.80");
    store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(zone("example.", 1).get(0)),
        List.of(zone("example.", 2).get(0), www))), "test");
    assertEquals(2, count("journal"));
    assertEquals(0, count("journal_records"), "the records of a small change are in its journal row");
    dev.namu.zones.store.JournalEntry patch = store.journal(n("example."), 1).get(0);
    assertEquals(List.of(zone("example.", 1).get(0)), patch.removed());
    assertEquals(List.of(zone("example.", 2).get(0), www), patch.added());
  }

  @Test
  void aStoreMadeBeforeTheJournalKeptItsRecordsInlineUpgradesAndKeepsItsHistory() throws Exception {
    // the schema as a namud before V10 left it (V11 applied, so V10 runs out of order), with a zone
    // and the journal entry that created it, its records in journal_records
    Path oldData = Files.createDirectory(dataDir.resolve("made-before-v10"));
    Path old = Files.createDirectory(dataDir.resolve("migrations-before-v10"));
    Path current = Path.of(getClass().getResource("/db/migration").toURI());
    try (java.util.stream.Stream<Path> files = Files.list(current)) {
      for (Path f : files.filter(f -> !f.getFileName().toString().startsWith("V10__")).toList()) {
        Files.copy(f, old.resolve(f.getFileName()));
      }
    }
    String url = JdbcStoreConfig.h2(oldData).url();
    org.flywaydb.core.Flyway.configure().dataSource(url, "sa", "").locations("filesystem:" + old).load().migrate();
    List<org.xbill.DNS.Record> records = zone("example.", 1);
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "")) {
      assertTrue(columns(c, "JOURNAL").stream().noneMatch("CHANGES"::equals), "the old schema has no changes column");
      c.createStatement().execute("INSERT INTO zones (origin, origin_key, serial, created_at, updated_at)"
          + " VALUES ('example.', 'example.', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
      c.createStatement().execute("INSERT INTO journal (zone, zone_key, serial_before, serial_after, changed_at,"
          + " actor) VALUES ('example.', 'example.', NULL, 1, CURRENT_TIMESTAMP, 'old')");
      try (java.sql.PreparedStatement rec = c.prepareStatement("INSERT INTO records (zone_id, owner, owner_key, rtype,"
              + " rclass, ttl, rdata) VALUES ((SELECT id FROM zones), ?, ?, ?, ?, ?, ?)");
          java.sql.PreparedStatement jr = c.prepareStatement("INSERT INTO journal_records (journal_id, seq, op, owner,"
              + " rtype, rclass, ttl, rdata) VALUES ((SELECT id FROM journal), ?, '+', ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < records.size(); i++) {
          dev.namu.zones.store.RecordText t = dev.namu.zones.store.RecordText.of(records.get(i));
          rec.setString(1, t.owner());
          rec.setString(2, t.ownerKey());
          rec.setInt(3, t.type());
          rec.setInt(4, t.dclass());
          rec.setLong(5, t.ttl());
          rec.setString(6, t.rdata());
          rec.executeUpdate();
          jr.setInt(1, i);
          jr.setString(2, t.owner());
          jr.setInt(3, t.type());
          jr.setInt(4, t.dclass());
          jr.setLong(5, t.ttl());
          jr.setString(6, t.rdata());
          jr.executeUpdate();
        }
      }
    }

    List<dev.namu.zones.store.JournalEntry> journal;
    org.xbill.DNS.Record www = r("www.example.", 300, "A", "192.0.2.80");
    try (ZoneStore upgraded = JdbcZoneStore.open(JdbcStoreConfig.h2(oldData))) {
      upgraded.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(records.get(0)),
          List.of(zone("example.", 2).get(0), www))), "new");
      journal = upgraded.journal(n("example."), 10);
    }
    assertEquals(2, journal.size());
    assertEquals("old", journal.get(0).actor());
    assertEquals(records, journal.get(0).added(), "the entry from before the upgrade, read from journal_records");
    assertEquals(List.of(records.get(0)), journal.get(1).removed());
    assertEquals(List.of(zone("example.", 2).get(0), www), journal.get(1).added());
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
        java.sql.ResultSet rs = c.createStatement().executeQuery(
            "SELECT \"success\" FROM \"flyway_schema_history\" WHERE \"version\" = '10'");
        java.sql.ResultSet rows = c.createStatement().executeQuery("SELECT COUNT(*) FROM journal_records")) {
      assertTrue(rs.next() && rs.getBoolean(1), "V10 applied to the old store");
      assertTrue(rows.next());
      assertEquals(records.size(), rows.getLong(1), "the new entry's records are in its row");
    }
  }

  private long count(String table) throws java.sql.SQLException {
    store.close();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(JdbcStoreConfig.h2(dataDir).url(), "sa", "");
        java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } finally {
      store = newStore();
    }
  }

  private static List<String> columns(java.sql.Connection c, String table) throws java.sql.SQLException {
    List<String> names = new java.util.ArrayList<>();
    try (java.sql.ResultSet rs = c.getMetaData().getColumns(null, null, table, null)) {
      while (rs.next()) {
        names.add(rs.getString("COLUMN_NAME"));
      }
    }
    return names;
  }

  @Test
  void badUrlGetsAClearError() {
    StoreException e = assertThrows(StoreException.class,
        () -> JdbcZoneStore.open(new JdbcStoreConfig("jdbc:nosuchdb:x", "sa", "", 1)));
    assertTrue(e.getMessage().contains("jdbc:nosuchdb:x"), e.getMessage());
  }
}
