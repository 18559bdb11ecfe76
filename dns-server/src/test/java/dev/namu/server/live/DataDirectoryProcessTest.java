package dev.namu.server.live;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.Namud;
import dev.namu.server.peers.ToolLocator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The data directory as a user meets it, with namud as a process: the modes of what namud makes
 * there, a second namud on the same directory, a store file that has gone, a directory namud
 * cannot write, and what namud logs at a clean start.
 */
class DataDirectoryProcessTest {

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  private Path data() {
    return dir.resolve("data");
  }

  private NamudProcess start() throws Exception {
    return NamudProcess.start(data(), Files.createTempFile(dir, "namud-", ".log"));
  }

  /** A namud run to its end: exit status, standard output and standard error. */
  private record Run(int exit, String out, String err) {
    List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private Run run(List<String> prefix, String... flags) throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(NamudProcess.java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
        NamudProcess.mainClasspath(), Namud.class.getName(), "--listen", "127.0.0.1:0", "--no-api", "--no-metrics", "--no-recursion"));
    cmd.addAll(List.of(flags));
    Path out = Files.createTempFile(dir, "out-", ".txt");
    Path err = Files.createTempFile(dir, "err-", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("namud did not exit: " + Files.readString(out) + Files.readString(err));
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static void assertNoStackTrace(Run r) {
    assertFalse((r.out + r.err).contains("\tat "), "no stack trace: " + r.out + r.err);
    assertFalse((r.out + r.err).contains("Exception"), "no exception names: " + r.out + r.err);
  }

  private String token() throws IOException {
    return Files.readString(data().resolve("api-token")).trim();
  }

  private HttpResponse<String> post(NamudProcess namud, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(namud.apiUrl() + "/api/v1/" + path))
        .header("Authorization", "Bearer " + token())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Set<PosixFilePermission> mode(Path p) throws IOException {
    return Files.getPosixFilePermissions(p);
  }

  /** Every file in DATA with its mode, "name rw-------". */
  private List<String> modes() throws IOException {
    try (Stream<Path> files = Files.list(data())) {
      List<String> all = new ArrayList<>();
      for (Path f : files.sorted().toList()) {
        all.add(f.getFileName() + " " + PosixFilePermissions.toString(mode(f)));
      }
      return all;
    }
  }

  @Test
  void aFreshDataDirectoryIsReadableByItsOwnerAlone() throws Exception {
    try (NamudProcess namud = start()) {
      // a stored zone and a TSIG key: H2 writes its file, the store list changes
      assertEquals(201, post(namud, "zones", "{\"name\":\"private.test\"}").statusCode());
      HttpResponse<String> key = post(namud, "keys", "{\"name\":\"acme\"}");
      assertTrue(key.statusCode() / 100 == 2, key.body());
      assertEquals(Rcode.NOERROR,
          dev.namu.server.DnsWire.udp(namud.dns(), dev.namu.server.DnsWire.query("private.test.", Type.SOA))
              .getRcode());
      assertEquals("rwx------", PosixFilePermissions.toString(mode(data())));
      List<String> running = modes();
      assertTrue(running.stream().anyMatch(m -> m.startsWith("namu.mv.db ")), running.toString());
      assertTrue(running.stream().allMatch(m -> m.endsWith(" rw-------")), "0600 each: " + running);
      assertFalse(namud.output().contains("WARN"), namud.output());
    }
    // and after a stop, whatever H2 wrote last
    List<String> stopped = modes();
    assertTrue(stopped.stream().allMatch(m -> m.endsWith(" rw-------")), "0600 each: " + stopped);
  }

  @Test
  void aDataDirectoryOthersCanReadIsNamedWithTheCommandThatFixesIt() throws Exception {
    try (NamudProcess first = start()) {
      assertEquals(201, post(first, "zones", "{\"name\":\"open.test\"}").statusCode());
    }
    Files.setPosixFilePermissions(data(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(data().resolve("namu.mv.db"), PosixFilePermissions.fromString("rw-r--r--"));
    try (NamudProcess again = start()) {
      List<String> warnings = again.output().lines().filter(l -> l.contains("WARN")).toList();
      assertEquals(1, warnings.size(), again.output());
      String line = warnings.get(0);
      assertTrue(line.contains("data directory " + data() + " can be read by other users ("
          + data() + " 0755, namu.mv.db 0644)"), line);
      assertTrue(line.endsWith("run: chmod -R go= " + data()), line);
    }
    // namud says so; it does not change the user's modes behind their back
    assertEquals("rw-r--r--", PosixFilePermissions.toString(mode(data().resolve("namu.mv.db"))));
  }

  @Test
  void aSecondNamudOnTheSameDataDirectoryNamesTheFirstAndExits1() throws Exception {
    try (NamudProcess first = start()) {
      assertEquals(201, post(first, "zones", "{\"name\":\"first.test\"}").statusCode());
      Run second = run(List.of(), "--data", data().toString());
      assertEquals(1, second.exit, second.out + second.err);
      assertEquals(List.of("namud: another namud (pid " + first.process.pid() + ") is using data directory "
          + data() + "; stop it first, or give this one another --data DIR"), second.errLines());
      // decided before it bound a port or opened the store
      assertFalse(second.out.contains("namud serving"), second.out);
      assertNoStackTrace(second);
      // the first goes on, its store and API untouched
      assertEquals(201, post(first, "zones", "{\"name\":\"still.test\"}").statusCode());
    }
    // once the first has stopped, the directory is free again
    try (NamudProcess next = start()) {
      assertTrue(next.output().contains("2 stored zones loaded"), next.output());
    }
  }

  @Test
  void aStoreFileThatIsGoneOrEmptyStopsNamudAndKeepsTheZoneList() throws Exception {
    try (NamudProcess namud = start()) {
      assertEquals(201, post(namud, "zones", "{\"name\":\"kept.test\"}").statusCode());
    }
    Path store = data().resolve("namu.mv.db");
    Path list = data().resolve("stored-zones");
    byte[] listed = Files.readAllBytes(list);
    assertTrue(new String(listed, StandardCharsets.UTF_8).contains("kept.test."));
    Path saved = Files.move(store, dir.resolve("saved.mv.db"));

    Run missing = run(List.of(), "--data", data().toString());
    assertEquals(1, missing.exit, missing.out + missing.err);
    assertEquals(List.of("namud: zone store " + store + " is missing but " + list + " lists 1 stored zone(s);"
        + " restore the store from a backup, or delete stored-zones to start with an empty store"),
        missing.errLines());
    assertNoStackTrace(missing);
    assertArrayEquals(listed, Files.readAllBytes(list), "stored-zones as it was");
    assertFalse(Files.exists(store), "no new store made");

    Files.write(store, new byte[0]);
    Run empty = run(List.of(), "--data", data().toString());
    assertEquals(1, empty.exit, empty.out + empty.err);
    assertTrue(empty.errLines().size() == 1 && empty.errLines().get(0).startsWith(
        "namud: zone store " + store + " is empty but " + list + " lists 1 stored zone(s)"), empty.err);
    assertNoStackTrace(empty);
    assertArrayEquals(listed, Files.readAllBytes(list), "stored-zones as it was");
    assertEquals(0, Files.size(store));

    // the store restored: its zone is served again
    Files.move(saved, store, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (NamudProcess restored = start()) {
      assertEquals(Rcode.NOERROR,
          dev.namu.server.DnsWire.udp(restored.dns(), dev.namu.server.DnsWire.query("kept.test.", Type.SOA))
              .getRcode());
    }
  }

  @Test
  void aDataDirectoryNamudCannotWriteIsOneLineAndExit1() throws Exception {
    Path readOnly = Files.createDirectory(dir.resolve("read-only"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
    // root writes anywhere; without the capability that lets it, root meets the modes as users do
    boolean root = "root".equals(System.getProperty("user.name"));
    assumeTrue(!root || ToolLocator.find("setpriv").isPresent(), ToolLocator.missing("setpriv", "util-linux"));
    List<String> asUser = root
        ? List.of(ToolLocator.find("setpriv").get().toString(), "--bounding-set", "-dac_override,-dac_read_search")
        : List.of();
    Path inside = readOnly.resolve("data");
    Run cannotCreate = run(asUser, "--data", inside.toString());
    assertEquals(1, cannotCreate.exit, cannotCreate.out + cannotCreate.err);
    assertEquals(List.of("namud: cannot create data directory " + inside + ": permission denied;"
        + " give a writable --data DIR"), cannotCreate.errLines());
    assertNoStackTrace(cannotCreate);

    Run cannotWrite = run(asUser, "--data", readOnly.toString());
    assertEquals(1, cannotWrite.exit, cannotWrite.out + cannotWrite.err);
    assertEquals(List.of("namud: cannot write in data directory " + readOnly + ": permission denied;"
        + " give a writable --data DIR"), cannotWrite.errLines());
    assertNoStackTrace(cannotWrite);
  }

  /**
   * A clean start logs no WARN line, and names the data directory and the token file once. Run in a
   * network namespace of its own with only loopback (as in many containers) where that can be made,
   * so that Netty finds no hardware address.
   */
  @Test
  void aCleanStartWarnsOfNothingAndNamesTheDataDirectoryOnce() throws Exception {
    List<String> cmd = new ArrayList<>();
    boolean isolated = ToolLocator.find("unshare").isPresent() && ToolLocator.find("ip").isPresent()
        && new ProcessBuilder("unshare", "-n", "true").start().waitFor() == 0;
    if (isolated) {
      cmd.addAll(List.of("unshare", "-n", "sh", "-c", "ip link set lo up && exec \"$@\"", "sh"));
    } else {
      System.err.println("DataDirectoryProcessTest: cannot make a network namespace (unshare -n, as root);"
          + " checking the start-up log without one");
    }
    cmd.addAll(List.of(NamudProcess.java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
        NamudProcess.mainClasspath(), Namud.class.getName(), "--listen", "127.0.0.1:0", "--api", "127.0.0.1:0", "--no-metrics",
        "--no-recursion", "--data", data().toString()));
    Path log = dir.resolve("namud.log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    String out = "";
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!out.contains("zone store ready") && p.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
        out = Files.readString(log);
      }
      assertTrue(out.contains("zone store ready"), "namud started: " + out);
    } finally {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      p.destroyForcibly();
    }
    out = Files.readString(log);
    assertEquals(List.of(), out.lines().filter(l -> l.contains(" WARN ")).toList(), out);
    Path absolute = data().toAbsolutePath().normalize();
    List<String> naming = out.lines().filter(l -> l.contains(absolute.toString())).toList();
    assertEquals(List.of("INFO  DataDirectory: data directory " + absolute + ": zone store namu.mv.db,"
        + " admin API token " + absolute.resolve("api-token")),
        naming.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList(), out);
  }
}
