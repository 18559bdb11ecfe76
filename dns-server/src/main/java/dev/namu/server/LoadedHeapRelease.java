package dev.namu.server;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.namu.zones.model.ZoneSnapshot;
import dev.namu.zones.registry.ZoneSet;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the memory a big start-up load needed and the served zones do not. Reading a large
 * zone file grows the heap well past what the finished snapshot keeps (the records pass through
 * eden and survivor space, the build sorts copies of them), and G1 returns committed memory only
 * after a marking cycle, which an idle or lightly loaded server may not start for a long time.
 * So once its zones are served, namud asks for one concurrent cycle: G1 then shrinks the heap
 * to the live zones plus {@code MaxHeapFreeRatio}, and the resident memory follows the zone data.
 *
 * <p>Only where {@code System.gc()} is that concurrent cycle ({@code -XX:+ExplicitGCInvokesConcurrent},
 * which the launcher sets): without it {@code System.gc()} is a stop-the-world full collection, a
 * pause namud must not take while it answers.
 */
final class LoadedHeapRelease {

  private static final Logger log = LoggerFactory.getLogger(LoadedHeapRelease.class);

  /** Below this many records the load leaves too little behind to be worth a collection. */
  static final long MIN_RECORDS = 100_000;

  private LoadedHeapRelease() {}

  /** True when the zones are big enough to leave a heap worth giving back. */
  static boolean worthIt(ZoneSet zones) {
    long records = 0;
    for (ZoneSnapshot z : zones.zones()) {
      records += z.records().size();
    }
    return records >= MIN_RECORDS;
  }

  /**
   * On a background thread: waits for the rest of start-up ({@code startupDone}: the zone store
   * open and its zones published, which allocates too), then collects when the zones then served
   * are worth it and the collection is concurrent. Nothing happens when start-up fails.
   */
  static void afterStartup(Supplier<ZoneSet> served, Runnable startupDone) {
    Thread t = new Thread(() -> {
      try {
        startupDone.run();
      } catch (RuntimeException e) {
        return; // the store did not open: namud reports that and stops
      }
      if (worthIt(served.get())) {
        collectIfConcurrent(); // the management classes take a moment to load: not on the start-up path
      }
    }, "namud-heap-release");
    t.setDaemon(true);
    t.start();
  }

  private static void collectIfConcurrent() {
    if (!explicitGcIsConcurrent()) {
      log.debug("System.gc() is not concurrent in this JVM: the load's heap is left to G1");
      return;
    }
    Runtime rt = Runtime.getRuntime();
    long before = rt.totalMemory();
    System.gc(); // safe to call from application code; the flag makes it a concurrent cycle
    log.debug("heap after the start-up load: {} MiB committed, was {} MiB",
        rt.totalMemory() >> 20, before >> 20);
  }

  /** Whether this JVM turns {@code System.gc()} into a concurrent cycle. */
  static boolean explicitGcIsConcurrent() {
    try {
      HotSpotDiagnosticMXBean hotspot =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hotspot != null
          && "true".equals(hotspot.getVMOption("ExplicitGCInvokesConcurrent").getValue());
    } catch (RuntimeException | LinkageError e) {
      return false; // not HotSpot, or the option is gone: never risk a full collection
    }
  }
}
