package dev.namu.zones.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.store.StoredZone;
import dev.namu.zones.store.ZoneStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/**
 * Durability: a writer process is killed with SIGKILL right after acknowledged commits; every
 * acknowledged record must be in the store when it is opened again.
 */
class StoreKillTest {

  @TempDir Path dataDir;

  @Test
  void everyAcknowledgedCommitSurvivesSigkill() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        StoreKillWriter.class.getName(), dataDir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    long lastAck = -1;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      while ((line = in.readLine()) != null && System.nanoTime() < deadline) {
        if (line.startsWith("ack ")) {
          lastAck = Long.parseLong(line.substring(4));
          if (lastAck >= 300) {
            p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no H2 close
            break;
          }
        }
      }
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    assertTrue(lastAck >= 300, "writer did not get far enough: " + lastAck);
    try (ZoneStore store = JdbcZoneStore.open(JdbcStoreConfig.h2(dataDir))) {
      StoredZone z = store.load(Name.fromString("kill.test.")).orElseThrow();
      Set<String> owners = z.records().stream().map(r -> r.getName().toString()).collect(Collectors.toSet());
      for (long i = 0; i <= lastAck; i++) {
        assertTrue(owners.contains("h" + i + ".kill.test."), "acknowledged edit " + i + " lost after kill -9");
      }
      assertTrue(z.serial() >= lastAck + 1, "serial " + z.serial() + " behind ack " + lastAck);
      assertEquals(z.serial() + 2, z.records().size());
    }
  }
}
