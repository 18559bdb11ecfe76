package dev.namu.zones.edit;

import static dev.namu.zones.edit.EditFixtures.n;
import static dev.namu.zones.edit.EditFixtures.r;
import static dev.namu.zones.edit.EditFixtures.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.registry.ZoneSet;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.jdbc.JdbcStoreConfig;
import dev.namu.zones.store.jdbc.JdbcZoneStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Several writers and many readers at once, on the H2 store: every zone set a reader sees is one
 * whole edit or another, never half of one. Each edit adds a pair of records to one zone (and, for
 * the LAN zone, an A with its PTR in the reverse zone), so a half-applied edit shows as an unpaired
 * record or a serial that does not match the count.
 */
class ZoneEditorConcurrencyTest {

  @TempDir Path dir;

  @Test
  void readersNeverSeeHalfAnEdit() throws Exception {
    final int writersPerZone = 2;
    final int editsPerWriter = 80;
    final int readers = 3;
    List<Name> zones = List.of(n("a.test."), n("b.test."), n("home.lan."));
    Name rev = n("10.in-addr.arpa.");
    try (ZoneStore store = JdbcZoneStore.open(JdbcStoreConfig.h2(dir))) {
      ZoneRegistry registry = new ZoneRegistry();
      ZoneEditor editor = ZoneEditor.open(store, registry);
      for (Name z : zones) {
        editor.create(z, zone(z.toString(), 1), "t");
      }
      editor.create(rev, zone(rev.toString(), 1), "t");
      ReversePointers ptrs = new ReversePointers(editor::enclosingZone);

      ExecutorService pool = Executors.newFixedThreadPool(zones.size() * writersPerZone + readers);
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicLong reads = new AtomicLong();
      ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> writers = new ArrayList<>();
      for (Name z : zones) {
        for (int w = 0; w < writersPerZone; w++) {
          final int writer = w;
          writers.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < editsPerWriter; i++) {
              String id = "w" + writer + "-" + i;
              ZoneChange change;
              if (z.equals(n("home.lan."))) {
                Record a = r(id + ".home.lan.", 60, "A", "10." + writer + "." + (i / 256) + "." + (i % 256));
                change = ZoneChange.of(z, new RecordOperation.Add(a));
                assertInstanceOf(EditOutcome.Applied.class, editor.edit(ptrs.withPointers(change, editor.zone(z)), id));
              } else {
                change = ZoneChange.of(z,
                    new RecordOperation.Add(r("x-" + id + "." + z, 60, "TXT", "\"" + id + "\"")),
                    new RecordOperation.Add(r("y-" + id + "." + z, 60, "TXT", "\"" + id + "\"")));
                assertInstanceOf(EditOutcome.Applied.class, editor.edit(change, id));
              }
            }
            return null;
          }));
        }
      }
      List<Future<?>> readerTasks = new ArrayList<>();
      for (int k = 0; k < readers; k++) {
        readerTasks.add(pool.submit(() -> {
          start.await();
          while (writing.get()) {
            ZoneSet set = registry.current(); // one read per "query", as the server does
            for (Name z : zones) {
              check(set, z, rev, violations);
            }
            reads.incrementAndGet();
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : writers) {
        f.get(120, TimeUnit.SECONDS);
      }
      writing.set(false);
      for (Future<?> f : readerTasks) {
        f.get(10, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertTrue(violations.isEmpty(), "half-applied edits seen: " + violations.stream().limit(5).toList());
      assertTrue(reads.get() > 100, "readers ran too little to mean anything: " + reads.get());
      int edits = writersPerZone * editsPerWriter;
      for (Name z : zones) {
        assertEquals(1 + edits, registry.current().zone(z).serial(), z.toString());
        assertEquals(1 + edits, store.load(z).orElseThrow().serial(), z.toString());
      }
      assertEquals(1 + edits, registry.current().zone(rev).serial());
      // and what is stored is what is served
      ZoneRegistry reopened = new ZoneRegistry();
      ZoneEditor.open(store, reopened);
      for (Name z : zones) {
        assertEquals(registry.current().zone(z).records(), reopened.current().zone(z).records());
      }
    }
  }

  private static void check(ZoneSet set, Name z, Name rev, ConcurrentLinkedQueue<String> violations) {
    ZoneSnapshot snap = set.zone(z);
    if (z.equals(n("home.lan."))) {
      long a = snap.records().stream().filter(r -> r.getType() == Type.A).count() - 1; // minus ns1 glue
      long ptr = set.zone(rev).records().stream().filter(r -> r.getType() == Type.PTR).count();
      if (a != ptr) {
        violations.add(z + ": " + a + " A records but " + ptr + " PTRs");
      }
      if (snap.serial() != 1 + a) {
        violations.add(z + ": serial " + snap.serial() + " with " + a + " A records");
      }
      return;
    }
    long x = snap.records().stream().filter(r -> r.getName().getLabelString(0).startsWith("x-")).count();
    long y = snap.records().stream().filter(r -> r.getName().getLabelString(0).startsWith("y-")).count();
    if (x != y || snap.serial() != 1 + x) {
      violations.add(z + ": x=" + x + " y=" + y + " serial=" + snap.serial());
    }
  }
}
