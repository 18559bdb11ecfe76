package dev.namu.server.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archives (AppCDS on JDK 17, the AOT cache on 25+): a run keeps the
 * two newest archives of other jars and deletes the older ones, then writes its own, so two
 * builds run in turn do not delete each other's archive at every start.
 */
class LauncherArchivesIT {

  @TempDir Path cache;

  @Test
  void aRunKeepsTheTwoNewestArchivesOfOtherJarsAndWritesItsOwn() throws Exception {
    Path jar = Path.of("target", "namud.jar").toAbsolutePath();
    assumeTrue(Files.isRegularFile(jar), "no target/namud.jar: the package phase has not run");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    int feature = Runtime.version().feature();
    assumeTrue(feature < 19 || feature >= 25,
        "JDK " + feature + " keeps its archive current by itself (AutoCreateSharedArchive): nothing to prune");
    assumeTrue(Files.isRegularFile(Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa")),
        "this JDK has no base CDS archive, so the launcher makes none");
    String ext = feature >= 25 ? ".aot" : ".jsa";
    Instant now = Instant.now();
    for (int age = 1; age <= 4; age++) {
      Path old = Files.writeString(cache.resolve("namud-jdk" + feature + "-" + age + ext), "stale");
      Files.setLastModifiedTime(old, FileTime.from(now.minus(age, ChronoUnit.HOURS)));
    }
    Path launcher = Path.of("src", "main", "scripts", "namud").toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true);
    pb.environment().put("JAVA", java);
    pb.environment().put("NAMUD_JAR", jar.toString());
    pb.environment().put("NAMUD_CACHE", cache.toString());
    pb.environment().remove("NAMUD_OPTS");
    pb.environment().remove("NAMUD_CDS");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher did not end");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.startsWith("namud "), out);

    List<String> names;
    try (Stream<Path> files = Files.list(cache)) {
      names = files.map(f -> f.getFileName().toString()).sorted().toList();
    }
    assertTrue(names.contains("namud-jdk" + feature + "-1" + ext) && names.contains("namud-jdk" + feature + "-2" + ext),
        "the two newest archives of other jars are kept: " + names);
    assertTrue(!names.contains("namud-jdk" + feature + "-3" + ext) && !names.contains("namud-jdk" + feature + "-4" + ext),
        "the older ones are deleted: " + names);
    assertEquals(3, names.size(), "and this jar's own archive is written: " + names);
  }
}
