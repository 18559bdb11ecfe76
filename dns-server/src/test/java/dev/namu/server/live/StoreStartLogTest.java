package dev.namu.server.live;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What namud says while its store opens, as a user sees it in its output. */
class StoreStartLogTest {

  @TempDir Path dir;

  /**
   * Flyway 10 warned at every start that the H2 it was given (2.3.232) is newer than it supports
   * ("Flyway upgrade recommended"); a start that is well says nothing to worry about.
   */
  @Test
  void anH2StoreOpensWithoutAWarningFromFlyway() throws Exception {
    try (NamudProcess namud = NamudProcess.start(dir.resolve("data"), dir.resolve("namud.log"))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!namud.output().contains("zone store ready") && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      String log = namud.output();
      assertTrue(log.contains("zone store ready"), log);
      // the schema was made by Flyway in this start: its check ran
      assertTrue(Files.exists(dir.resolve("data").resolve("namu.mv.db")), log);
      assertFalse(log.contains("Flyway upgrade recommended"), log);
      assertFalse(log.lines().anyMatch(l -> l.contains("WARN") && l.toLowerCase().contains("flyway")), log);
    }
  }
}
