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
    HeapFreeTarget target = HeapFreeTarget.lowered();
    try {
      System.gc(); // safe to call from application code; the flag makes it a concurrent cycle
    } finally {
      target.restore();
    }
    long committed = rt.totalMemory();
    log.debug("heap after the start-up load: {} MiB committed, was {} MiB; {} MiB in use",
        committed >> 20, before >> 20, (committed - rt.freeMemory()) >> 20);
  }

  /**
   * For the one cycle after the load, the free share G1 keeps when it shrinks the heap at the end
   * of marking ({@code MaxHeapFreeRatio}, a flag the JVM lets a running program change) is brought
   * down to the least the JVM allows ({@code MinHeapFreeRatio}: the launcher's 10%), then put back.
   * With the launcher's 30% a 1M-record zone (~150 MiB live) kept ~65 MiB of empty heap resident,
   * a fifth of namud's memory; the young collections of later queries grow it again only as far
   * as they need.
   */
  private record HeapFreeTarget(HotSpotDiagnosticMXBean hotspot, String previous) {
    private static final String MAX = "MaxHeapFreeRatio";

    static HeapFreeTarget lowered() {
      try {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String previous = hotspot.getVMOption(MAX).getValue();
        String least = hotspot.getVMOption("MinHeapFreeRatio").getValue();
        if (Integer.parseInt(least) < Integer.parseInt(previous)) {
          hotspot.setVMOption(MAX, least);
          return new HeapFreeTarget(hotspot, previous);
        }
      } catch (RuntimeException | LinkageError e) {
        log.debug("the heap's free share cannot be changed in this JVM ({}): G1 keeps its own", e.toString());
      }
      return new HeapFreeTarget(null, null);
    }

    void restore() {
      if (hotspot != null) {
        try {
          hotspot.setVMOption(MAX, previous);
        } catch (RuntimeException e) {
          log.debug("{} stays lowered: {}", MAX, e.toString());
        }
      }
    }
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
