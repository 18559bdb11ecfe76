package dev.namu.zones.registry;

import static dev.namu.zones.TestZones.name;
import static dev.namu.zones.TestZones.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.lookup.AuthoritativeAnswer;
import dev.namu.zones.lookup.AuthoritativeAnswerer;
import dev.namu.zones.model.ZoneSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Readers answer from whole snapshots while a writer publishes new ones: every answer is
 * consistent with one version (the A record and the SOA serial were written together).
 */
class ZoneRegistryConcurrencyTest {

  private static ZoneSnapshot version(int v) {
    return zone("example.", "$TTL 60\n@ SOA ns h " + v + " 2 3 4 5\n NS ns\nns A 10.0.0.1\n"
        + "host A 10.1." + (v / 256) + "." + (v % 256) + "\n");
  }

  @Test
  void readersAlwaysSeeOneWholeVersion() throws InterruptedException {
    int versions = 200;
    List<ZoneSnapshot> prepared = new ArrayList<>();
    for (int v = 1; v <= versions; v++) {
      prepared.add(version(v));
    }
    ZoneRegistry registry = new ZoneRegistry(ZoneSet.of(List.of(prepared.get(0))));
    AuthoritativeAnswerer answerer = new AuthoritativeAnswerer();
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong checked = new AtomicLong();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    Name host = name("host.example.");
    Name missing = name("nope.example.");
    List<Thread> readers = new ArrayList<>();
    // the writer starts once every reader has answered once: on a busy machine a reader thread may
    // otherwise first run after the last version is out, and nothing is read while it changes
    CountDownLatch reading = new CountDownLatch(3);
    for (int t = 0; t < 3; t++) {
      Thread reader = new Thread(() -> {
        while (!done.get()) {
          ZoneSet set = registry.current(); // one read per "request"
          AuthoritativeAnswer a = answerer.answer(set, host, Type.A).orElseThrow();
          AuthoritativeAnswer nx = answerer.answer(set, missing, Type.A).orElseThrow();
          long serial = ((SOARecord) nx.authority().get(0).first()).getSerial();
          String expected = "10.1." + (serial / 256) + "." + (serial % 256);
          String got = a.answer().get(0).first().rdataToString();
          if (!expected.equals(got)) {
            errors.add("serial " + serial + " answered " + got);
          }
          checked.incrementAndGet();
          reading.countDown();
        }
      });
      readers.add(reader);
      reader.start();
    }
    assertTrue(reading.await(30, TimeUnit.SECONDS), "the readers did not start");
    for (int v = 1; v < versions; v++) {
      ZoneSnapshot next = prepared.get(v);
      registry.update(s -> s.with(next));
      Thread.onSpinWait();
    }
    done.set(true);
    for (Thread reader : readers) {
      reader.join(10_000);
    }
    assertTrue(errors.isEmpty(), () -> errors.peek());
    assertTrue(checked.get() > 0);
    assertEquals(versions, registry.current().findZone(host).serial());
  }
}
