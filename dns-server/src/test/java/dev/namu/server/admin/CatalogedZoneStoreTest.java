package dev.namu.server.admin;

import dev.namu.server.config.AdminConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.store.StoreConflictException;
import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.ZoneWrite;
import dev.namu.zones.store.memory.MemoryZoneStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;

/** The stored-zones list beside the store, and what namud holds back from it while the store opens. */
class CatalogedZoneStoreTest {
  @TempDir Path data;

  private static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ZoneWrite.Put create(String origin) {
    Name o = name(origin);
    List<Record> records = List.of(
        new SOARecord(o, DClass.IN, 3600, name("ns." + origin), name("hostmaster." + origin), 1, 3600, 600, 86400,
            300),
        new NSRecord(o, DClass.IN, 3600, name("ns.example.")));
    return new ZoneWrite.Put(o, OptionalLong.empty(), 1, records);
  }

  @Test
  void listFollowsCreatesAndDeletes() {
    StoredZoneCatalog catalog = new StoredZoneCatalog(data);
    ZoneStore store = CatalogedZoneStore.over(new MemoryZoneStore(), catalog);
    assertEquals(Optional.of(Set.of()), catalog.read());
    store.commit(List.of(create("One.test."), create("two.test.")), "t");
    assertEquals(Optional.of(Set.of(name("one.test."), name("two.test."))), catalog.read());
    store.commit(List.of(new ZoneWrite.Drop(name("one.test."), 1)), "t");
    assertEquals(Optional.of(Set.of(name("two.test."))), catalog.read());
    // a failed create lists nothing new once it has failed
    assertThrows(StoreConflictException.class, () -> store.commit(List.of(create("two.test.")), "t"));
    assertEquals(Optional.of(Set.of(name("two.test."))), catalog.read());
    // reopening lists what the store holds
    StoredZoneCatalog again = new StoredZoneCatalog(data);
    CatalogedZoneStore.over(new MemoryZoneStore(), again);
    assertEquals(Optional.of(Set.of()), again.read());
  }

  @Test
  void aCreateIsListedBeforeItsTransaction() {
    StoredZoneCatalog catalog = new StoredZoneCatalog(data);
    MemoryZoneStore memory = new MemoryZoneStore();
    java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
    ZoneStore seen = (ZoneStore) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ZoneStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("commit")) {
            // a crash here would leave the new zone listed: SERVFAIL for it at the next start, never
            // a wrong answer
            assertEquals(Optional.of(Set.of(name("new.test."))), catalog.read());
            commits.incrementAndGet();
          }
          try {
            return method.invoke(memory, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    CatalogedZoneStore.over(seen, catalog).commit(List.of(create("new.test.")), "t");
    assertEquals(1, commits.get());
    assertEquals(Optional.of(Set.of(name("new.test."))), catalog.read());
  }

  @Test
  void pendingNamesAtStart() throws Exception {
    AdminConfig config = new AdminConfig(data, true, Optional.empty(), Optional.empty(), false);
    // no store file: a new store, nothing pending
    PendingStoredZones fresh = PendingStoredZones.atStart(config);
    assertFalse(fresh.waiting());
    assertFalse(fresh.covers(name("anything.test.")));

    Files.writeString(data.resolve(PendingStoredZones.STORE_FILE), "");
    new StoredZoneCatalog(data).write(List.of(name("lab.test.")));
    PendingStoredZones listed = PendingStoredZones.atStart(config);
    assertTrue(listed.covers(name("lab.test.")));
    assertTrue(listed.covers(name("a.b.lab.test.")));
    assertFalse(listed.covers(name("test.")));
    assertFalse(listed.covers(name("xlab.test.")));
    listed.storeLoaded();
    assertFalse(listed.covers(name("lab.test.")));

    // a store but no readable list: every name waits for the store
    Files.writeString(data.resolve(StoredZoneCatalog.FILE), "not a name..\n");
    PendingStoredZones unknown = PendingStoredZones.atStart(config);
    assertTrue(unknown.covers(name("www.example.org.")));
    Files.delete(data.resolve(StoredZoneCatalog.FILE));
    assertTrue(PendingStoredZones.atStart(config).covers(name(".")));

    // another database (--store-url): other servers may add zones to it, so every name waits
    AdminConfig shared = new AdminConfig(data, true, Optional.of("jdbc:h2:mem:x"), Optional.empty(), false);
    assertTrue(PendingStoredZones.atStart(shared).covers(name("www.example.org.")));
  }
}
