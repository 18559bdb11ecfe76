package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.file.ZoneDirectory;
import dev.namu.zones.file.ZoneDirectoryLoad;
import dev.namu.zones.registry.ZoneSet;
import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * namud as the launcher runs it, on a zone big enough to leave a heap worth giving back: with
 * {@code -XX:+ExplicitGCInvokesConcurrent} one concurrent G1 cycle after the load gives back heap
 * (seen in the JVM's GC log and namud's own), without it never a full collection, and it answers
 * either way.
 */
class LoadedHeapReleaseTest {
  @TempDir Path dir;

  /** A zone of {@code hosts} A records and the SOA and NS it needs. */
  private Path bigZones(int hosts) throws IOException {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    try (Writer w = Files.newBufferedWriter(zones.resolve("big.test.zone"), StandardCharsets.US_ASCII)) {
      w.write("$TTL 300\n@ SOA ns hostmaster 1 3600 600 86400 300\n@ NS ns\nns A 10.0.0.1\n");
      for (int i = 0; i < hosts; i++) {
        w.write("h" + i + " A 10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255) + "\n");
      }
    }
    return zones;
  }

  private Process namud(Path zones, String... jvmOptions) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmOptions));
    cmd.add("-Xlog:gc:stdout");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Namud.class.getName());
    cmd.addAll(List.of("--no-api", "--no-metrics", "--no-recursion", "--log-level", "debug", "--listen", "127.0.0.1:0",
        "--zones", zones.toString(), "--data", dir.resolve("data").toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile())
        .start();
  }

  private String out() throws IOException {
    return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
  }

  /** Waits for {@code pattern} in namud's output; returns the match. */
  private Matcher await(Process p, String pattern) throws Exception {
    Pattern compiled = Pattern.compile(pattern);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher m = compiled.matcher(out());
      if (m.find()) {
        return m;
      }
      assertTrue(p.isAlive(), "namud exited early: " + out());
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + pattern + "' in namud's output: " + out());
  }

  private void assertAnswers(Process p) throws Exception {
    int port = Integer.parseInt(await(p, "namud serving .* on 127\\.0\\.0\\.1:(\\d+)").group(1));
    Message r = DnsWire.udp(new InetSocketAddress("127.0.0.1", port), DnsWire.query("h99999.big.test.", Type.A));
    assertEquals(Rcode.NOERROR, r.getRcode());
    assertEquals("10.1.134.159", r.getSectionArray(1)[0].rdataToString());
  }

  @Test
  void concurrentCycleAfterABigLoad() throws Exception {
    Path zones = bigZones((int) LoadedHeapRelease.MIN_RECORDS);
    // the launcher's heap flags
    Process p = namud(zones, "-XX:+UseG1GC", "-Xms64m", "-XX:MinHeapFreeRatio=10",
        "-XX:MaxHeapFreeRatio=30", "-XX:+ExplicitGCInvokesConcurrent");
    try {
      assertAnswers(p);
      Matcher released = await(p, "heap after the start-up load: (\\d+) MiB committed, was (\\d+) MiB");
      // namud asked for its cycle (the line comes after System.gc() returns) and a marking cycle
      // ran (ours, or one G1 had just started: then it serves the request), never a full pause
      assertTrue(out().contains("Concurrent Mark Cycle"), out());
      assertFalse(out().contains("Pause Full"), out());
      // How much G1 then gives back is G1's choice: when its own cycle during the load already
      // shrank the heap to -Xms, there is nothing left to return (seen: "64 MiB, was 64 MiB").
      // The request never grows the heap.
      assertTrue(Long.parseLong(released.group(1)) <= Long.parseLong(released.group(2)), released.group());
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theCycleShrinksTheHeapToTheLeastFreeShareTheJvmAllows() throws Exception {
    Path zones = bigZones((int) LoadedHeapRelease.MIN_RECORDS);
    // the launcher's heap flags, with a floor low enough not to hide the shrink; G1 logs the
    // free share it shrinks to at the end of each marking cycle
    Process p = namud(zones, "-XX:+UseG1GC", "-Xms8m", "-XX:MinHeapFreeRatio=10",
        "-XX:MaxHeapFreeRatio=30", "-XX:+ExplicitGCInvokesConcurrent", "-Xlog:gc+ergo+heap=debug:stdout");
    try {
      assertAnswers(p);
      Matcher released = await(p, "heap after the start-up load: (\\d+) MiB committed, was (\\d+) MiB; \\d+ MiB in use");
      String out = out();
      String ours = out.substring(out.indexOf("(System.gc())"));
      // namud's cycle shrank the heap with MinHeapFreeRatio's 10% free, not the 30% of the flag
      // (G1: "Attempt heap shrinking ... maximum_desired_capacity: <bytes>B (<percent> %)")
      assertTrue(Pattern.compile("Attempt heap shrinking .* maximum_desired_capacity: \\d+B \\(10 %\\)")
          .matcher(ours).find(), out);
      assertTrue(Long.parseLong(released.group(1)) < Long.parseLong(released.group(2)), released.group());
      assertFalse(out.contains("Pause Full"), out);
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void noFullCollectionWhereSystemGcStopsTheWorld() throws Exception {
    Path zones = bigZones((int) LoadedHeapRelease.MIN_RECORDS);
    Process p = namud(zones, "-XX:+UseG1GC");
    try {
      assertAnswers(p);
      await(p, "System.gc\\(\\) is not concurrent in this JVM");
      assertFalse(out().contains("System.gc()) "), "no collection asked for: " + out());
      assertFalse(out().contains("Pause Full"), out());
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void smallZonesAreNotWorthACollection() throws IOException {
    ZoneDirectoryLoad small = ZoneDirectory.loadAll(TestZones.copyTo(Files.createDirectories(dir.resolve("small"))));
    assertFalse(small.zones().isEmpty());
    assertFalse(LoadedHeapRelease.worthIt(ZoneSet.of(small.zones())));
  }
}
