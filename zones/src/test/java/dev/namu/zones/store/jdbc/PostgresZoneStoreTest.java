package dev.namu.zones.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.store.JournalEntry;
import dev.namu.zones.store.StoreConflictException;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneStoreContract;
import dev.namu.zones.store.ZoneWrite;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Record;

/**
 * The store battery on a real PostgreSQL (the same JDBC code and migrations as on H2), and what a
 * store shared by several namud must do: the database orders their commits of one zone.
 */
class PostgresZoneStoreTest extends ZoneStoreContract {

  private static PostgresServer server;
  private String url;

  @BeforeAll
  static void startPostgres() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected ZoneStore newStore() {
    try {
      url = server.newDatabase();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    return open(url);
  }

  private static JdbcZoneStore open(String url) {
    return JdbcZoneStore.open(new JdbcStoreConfig(url, "", "", JdbcStoreConfig.DEFAULT_POOL_SIZE));
  }

  @Test
  void theMigrationsRunOnPostgresql() throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
      List<String> versions = new ArrayList<>();
      while (rs.next()) {
        assertTrue(rs.getBoolean(2), "migration " + rs.getString(1) + " succeeded");
        versions.add(rs.getString(1));
      }
      assertTrue(versions.size() >= 2 && versions.get(0).equals("1") && versions.get(1).equals("2"), versions.toString());
    }
  }

  @Test
  void aSecondStoreOnTheSameDatabaseCannotCommitFromAStaleSerial() {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "a");
    try (JdbcZoneStore other = open(url)) {
      Record www = r("www.example.", 300, "A", "192.0.2.80");
      other.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(), List.of(www))), "b");
      Record ftp = r("ftp.example.", 300, "A", "192.0.2.21");
      // this store saw serial 1 last: the row in the database says 2
      assertThrows(StoreConflictException.class, () ->
          store.commit(List.of(new ZoneWrite.Patch(n("example."), 1, 2, List.of(), List.of(ftp))), "a"));
      assertEquals(2, store.load(n("example.")).orElseThrow().serial());
      assertEquals(List.of(www), store.load(n("example.")).orElseThrow().records().stream()
          .filter(x -> x.getName().equals(n("www.example.")) || x.getName().equals(n("ftp.example."))).toList());
    }
  }

  /**
   * Two namud that create the same zone at the same moment: the database lets one commit, and the
   * other's failure (a unique violation, or the row seen once it is committed) is a conflict, not a
   * store failure, so its editor reads the zone and says it exists.
   */
  @Test
  void twoStoresCreatingOneZoneAtOnceCommitOneAndConflictTheOther() throws Exception {
    ExecutorService two = Executors.newFixedThreadPool(2);
    try (JdbcZoneStore other = open(url)) {
      for (int round = 0; round < 10; round++) {
        String origin = "race" + round + ".example.";
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Object>> results = new ArrayList<>();
        for (JdbcZoneStore s : List.of((JdbcZoneStore) store, other)) {
          results.add(two.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            try {
              s.commit(List.of(new ZoneWrite.Put(n(origin), none(), 1, zone(origin, 1))), "racer");
              return "committed";
            } catch (RuntimeException e) {
              return e;
            }
          }));
        }
        int committed = 0;
        for (Future<Object> f : results) {
          Object outcome = f.get(60, TimeUnit.SECONDS);
          if ("committed".equals(outcome)) {
            committed++;
          } else {
            assertInstanceOf(StoreConflictException.class, outcome, String.valueOf(outcome));
          }
        }
        assertEquals(1, committed, "round " + round);
        List<JournalEntry> journal = store.journal(n(origin), 10);
        assertEquals(1, journal.size(), "one creation journaled in round " + round);
      }
    } finally {
      two.shutdownNow();
    }
  }

  @Test
  void concurrentPatchesFromTwoStoresNeverBothCommitFromOneSerial() throws Exception {
    store.commit(List.of(new ZoneWrite.Put(n("example."), none(), 1, zone("example.", 1))), "a");
    ExecutorService two = Executors.newFixedThreadPool(2);
    try (JdbcZoneStore other = open(url)) {
      List<JdbcZoneStore> stores = List.of((JdbcZoneStore) store, other);
      for (int round = 0; round < 20; round++) {
        long serial = store.load(n("example.")).orElseThrow().serial();
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          JdbcZoneStore s = stores.get(i);
          Record add = r("h" + round + "-" + i + ".example.", 300, "A", "192.0.2." + (i + 1));
          results.add(two.submit(() -> {
            start.await(30, TimeUnit.SECONDS);
            try {
              s.commit(List.of(new ZoneWrite.Patch(n("example."), serial, serial + 1, List.of(), List.of(add))), "w");
              return true;
            } catch (StoreConflictException e) {
              return false;
            }
          }));
        }
        int committed = 0;
        for (Future<Boolean> f : results) {
          committed += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertEquals(1, committed, "round " + round);
      }
      List<JournalEntry> journal = store.journal(n("example."), 100);
      for (int i = 1; i < journal.size(); i++) {
        assertEquals(journal.get(i - 1).serialAfter(), journal.get(i).serialBefore(), "journal " + journal);
      }
      assertEquals(21, store.load(n("example.")).orElseThrow().serial());
    } finally {
      two.shutdownNow();
    }
  }
}
