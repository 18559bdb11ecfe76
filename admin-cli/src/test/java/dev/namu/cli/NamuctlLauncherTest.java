package dev.namu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script users and scripts run (admin-cli/src/main/scripts/namuctl): it passes the
 * arguments and the exit status through, keeps standard output namuctl's alone (a script parses it),
 * writes a class-data archive on its first run and maps it on the next.
 */
class NamuctlLauncherTest {

  private static final Pattern TEST_LIBRARIES = Pattern.compile("junit|opentest4j|apiguardian|surefire");

  @TempDir Path dir;

  private static Path launcher() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path script = p.resolve("admin-cli/src/main/scripts/namuctl");
      if (Files.isRegularFile(script)) {
        return script;
      }
    }
    throw new IllegalStateException("admin-cli/src/main/scripts/namuctl not found");
  }

  /**
   * A namuctl jar as the build makes it, of the compiled classes (namuctl's and the zones module's)
   * with the library jars on its Class-Path.
   */
  private Path jar() throws IOException {
    List<Path> classDirs = new ArrayList<>();
    List<String> libraries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p) && !p.endsWith("test-classes")) {
        classDirs.add(p);
      } else if (entry.endsWith(".jar") && !TEST_LIBRARIES.matcher(p.getFileName().toString()).lookingAt()) {
        libraries.add(p.toUri().toString());
      }
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Namuctl.class.getName());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", libraries));
    Path jar = dir.resolve("namuctl.jar");
    Set<String> written = new HashSet<>(Set.of("META-INF/MANIFEST.MF"));
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      for (Path classes : classDirs) {
        try (Stream<Path> files = Files.walk(classes)) {
          for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
            String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
            if (written.add(name)) {
              out.putNextEntry(new ZipEntry(name));
              Files.copy(f, out);
              out.closeEntry();
            }
          }
        }
      }
    }
    return jar;
  }

  private Run launch(Path jar, String extraOpts, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("NAMUCTL_JAR", jar.toString());
    pb.environment().put("NAMUCTL_CACHE", dir.resolve("cache").toString());
    pb.environment().put("NAMUCTL_EXTRA_OPTS", extraOpts);
    pb.environment().remove("NAMUCTL_OPTS");
    pb.environment().remove("NAMUCTL_CDS");
    Path err = dir.resolve("stderr.txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the launcher ended");
    return new Run(p.exitValue(), out, Files.readString(err));
  }

  private List<Path> archives() throws IOException {
    if (!Files.isDirectory(dir.resolve("cache"))) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir.resolve("cache"))) {
      return files.toList();
    }
  }

  @Test
  void theLauncherRunsNamuctlAndMapsTheArchiveItWrote() throws Exception {
    Path jdk = Path.of(System.getProperty("java.home"));
    assumeTrue(Files.isRegularFile(jdk.resolve("lib/server/classes.jsa")),
        "this JDK has no default class-data archive, which an AppCDS archive extends");
    Path jar = jar();
    Path bad = Files.writeString(dir.resolve("bad.test.zone"), "$TTL 60\n@ SOA ns h 1 2 3 4 5\nwww CNAME a\nwww A 192.0.2.1\n");
    Path good = Path.of(getClass().getResource("/zones/home.lan.zone").toURI());

    // first run: no archive yet; the JVM writes one as it ends, and lists what it left out: not on stdout
    Run first = launch(jar, "", "zone", "check", bad.toString());
    Run expected = Run.inProcess("zone", "check", bad.toString());
    assertEquals(1, first.code(), first.toString());
    assertEquals(expected.out(), first.out());
    List<Path> written = archives();
    assertEquals(1, written.size(), written.toString());
    assertTrue(written.get(0).getFileName().toString().matches("namuctl-[0-9]+\\.jsa"), written.toString());

    // next run: -Xshare:on makes a JVM that cannot map the archive fail instead of going on without it
    Run next = launch(jar, "-Xshare:on", "zone", "check", good.toString());
    assertEquals(0, next.code(), next.toString());
    assertEquals(Run.inProcess("zone", "check", good.toString()).out(), next.out());
    assertEquals(written, archives());
  }

  @Test
  void withoutAJarTheLauncherSaysHowToBuildIt() throws Exception {
    Run r = launch(dir.resolve("missing.jar"), "", "zone", "list");
    assertEquals(1, r.code(), r.toString());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("namuctl: namuctl.jar not found (build: mvn"), r.toString());
  }
}
