import dev.namu.zones.file.ZoneFileLoader;
import dev.namu.zones.file.ZoneLoad;
import java.io.File;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.Name;

/**
 * Loads one zone file in a fresh JVM, as namud's start does, and prints where the CPU went: the
 * main thread's (read, parse, build), the JIT's (C1, C2) and the GC's, from /proc/self/task.
 * No server around it, so the figures are the load's alone. A thread that has ended by then is
 * no longer in /proc/self/task: its CPU shows only in the whole process's figure.
 *
 * <p>usage: javac -cp dns-server/target/namud.jar -d /tmp/probe perf/ZoneLoadProbe.java
 * && java -Xms64m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -cp dns-server/target/namud.jar:/tmp/probe
 * ZoneLoadProbe ZONEFILE ORIGIN
 */
public final class ZoneLoadProbe {
  public static void main(String[] args) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long wall = System.nanoTime();
    long cpu = threads.getCurrentThreadCpuTime();
    ZoneLoad load = new ZoneFileLoader().load(Path.of(args[0]), Name.fromString(args[1]));
    wall = System.nanoTime() - wall;
    cpu = threads.getCurrentThreadCpuTime() - cpu;
    long gcMs = 0;
    long gcs = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcMs += gc.getCollectionTime();
      gcs += gc.getCollectionCount();
    }
    Map<String, Double> byThread = new TreeMap<>();
    for (File task : new File("/proc/self/task").listFiles()) {
      String comm = Files.readString(task.toPath().resolve("comm")).trim();
      String kind = comm.startsWith("C2") ? "C2" : comm.startsWith("C1") ? "C1"
          : comm.startsWith("GC") || comm.startsWith("G1") ? "GC" : comm.equals("java") ? "main" : "other";
      byThread.merge(kind, cpuSeconds(task.toPath().resolve("stat")), Double::sum);
    }
    System.out.printf("%s: wall %.2f s, main thread CPU in the load %.2f s, %d collections (%d ms)%n",
        load.zone().map(z -> z.records().size() + " records").orElse("failed: " + load.problems()),
        wall / 1e9, cpu / 1e9, gcs, gcMs);
    System.out.println("CPU seconds by thread since the JVM started: " + byThread
        + ", the whole process (threads that ended too): " + cpuSeconds(Path.of("/proc/self/stat")));
  }

  private static double cpuSeconds(Path stat) throws IOException {
    String s = Files.readString(stat);
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, in clock ticks
  }
}
