package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/** namud as a user runs it: a separate JVM, its exit codes, its error line, its signals. */
class NamudProcessTest {
  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  private Process namud(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Namud.class.getName());
    cmd.addAll(List.of(args));
    if (!List.of(args).contains("--help") && !List.of(args).contains("--version")) {
      cmd.addAll(List.of("--no-api", "--no-metrics", "--no-recursion"));
      if (!List.of(args).contains("--data") && !List.of(args).contains("--store-url")) {
        cmd.addAll(List.of("--data", dir.resolve("data").toString()));
      }
    }
    Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile()).start();
    started.add(p);
    return p;
  }

  /** A test that fails half way leaves no namud running. */
  @AfterEach
  void stopStarted() {
    started.forEach(Process::destroyForcibly);
  }

  private String out() throws IOException {
    return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
  }

  private String err() throws IOException {
    return Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
  }

  private static int exit(Process p) throws InterruptedException {
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("namud did not exit");
    }
    return p.exitValue();
  }

  @Test
  void takenPortGivesOneClearLineAndExitCode1() throws Exception {
    Path zones = testZones();
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = taken.getLocalPort();
      Process p = namud("--listen", "127.0.0.1:" + port, "--zones", zones.toString());
      assertEquals(1, exit(p));
      List<String> lines = err().lines().filter(l -> !l.isBlank()).toList();
      assertEquals(1, lines.size(), "one line on stderr: " + err());
      assertEquals(
          "namud: cannot listen on 127.0.0.1:" + port + " (UDP: address in use by another program);"
              + " choose another with --listen 127.0.0.1:" + (port + 1),
          lines.get(0));
      assertTrue(out().contains("INFO"), "zone loading is logged at INFO: " + out());
      assertFalse((out() + err()).contains("Exception"), "no stack trace: " + out());
      assertFalse((out() + err()).contains("\tat "), "no stack trace: " + out());
    }
  }

  @Test
  void aStoreThatCannotOpenGivesOneClearLineAndExitCode1() throws Exception {
    // namud answers before its store is open; a store that then fails still ends it as before
    Path notADirectory = Files.writeString(dir.resolve("data-file"), "x");
    Process p = namud("--listen", "127.0.0.1:0", "--data", notADirectory.toString());
    assertEquals(1, exit(p));
    assertEquals(List.of("namud: data directory " + notADirectory + " is not a directory"),
        err().lines().filter(l -> !l.isBlank()).toList(), "one line on stderr: " + err());
    assertFalse((out() + err()).contains("\tat "), "no stack trace: " + out() + err());

    Process noDriver = namud("--listen", "127.0.0.1:0", "--store-url", "jdbc:nosuchdb:x");
    assertEquals(1, exit(noDriver));
    List<String> lines = err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one line on stderr: " + err());
    assertTrue(lines.get(0).startsWith("namud: cannot open zone store jdbc:nosuchdb:x"), lines.get(0));
    assertFalse((out() + err()).contains("\tat "), "no stack trace: " + out() + err());
  }

  @Test
  void logLevelSetsTheRootLevel() throws Exception {
    Path zones = testZones();
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      Process p = namud("--log-level", "warn", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--zones", zones.toString());
      assertEquals(1, exit(p));
      assertFalse(out().contains("INFO"), "no INFO lines at WARN: " + out());
    }
  }

  @Test
  void badFlagsExit2WithAMessage() throws Exception {
    Process p = namud("--listen", "::1:53");
    assertEquals(2, exit(p));
    assertTrue(err().startsWith("namud: "), err());
    assertTrue(err().contains("brackets"), err());
    Process missing = namud("--listen", "127.0.0.1:0", "--zones", dir.resolve("nope").toString());
    assertEquals(1, exit(missing));
    assertTrue(err().contains("does not exist"), err());
  }

  @Test
  void helpAndVersion() throws Exception {
    assertEquals(0, exit(namud("--help")));
    assertTrue(out().contains("--listen"), out());
    assertTrue(out().contains("--zones"), out());
    assertEquals(0, exit(namud("--version")));
    assertTrue(out().startsWith("namud "), out());
  }

  @Test
  void servesThenStopsOnSigtermWithExit0() throws Exception {
    Process p = namud("--listen", "127.0.0.1:0", "--zones", testZones().toString());
    assertRefusesNamesOutsideItsZones(waitForPort(p));
    assertSigtermExits0(p, "exit 0 after SIGTERM");
    assertTrue(out().contains("namud stopped"), out());
  }

  @Test
  void sigtermWhileStartingStillExits0() throws Exception {
    Process p = namud("--listen", "127.0.0.1:0", "--zones", testZones().toString());
    awaitFirstLogLine(p);
    assertSigtermExits0(p, "exit 0 after SIGTERM during start-up");
  }

  @Test
  void sighupWhileStartingIsNoExit() throws Exception {
    Process p = namud("--listen", "127.0.0.1:0", "--zones", testZones().toString());
    awaitFirstLogLine(p);
    Process hup = new ProcessBuilder("kill", "-HUP", String.valueOf(p.pid())).start();
    assertTrue(hup.waitFor(10, TimeUnit.SECONDS) && hup.exitValue() == 0);
    // still running: it answers once started, and stops on SIGTERM with 0
    assertRefusesNamesOutsideItsZones(waitForPort(p));
    assertSigtermExits0(p, "SIGHUP during start-up did not end namud");
  }

  private void assertSigtermExits0(Process p, String message) throws Exception {
    p.destroy(); // SIGTERM
    assertEquals(0, exit(p), message + "; output: " + out() + err());
  }

  private Path testZones() throws IOException {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    TestZones.copyTo(zones);
    return zones;
  }

  /** The first line namud logs comes before its sockets are bound and its store is open. */
  private void awaitFirstLogLine(Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (out().isEmpty() && System.nanoTime() < deadline) {
      assertTrue(p.isAlive(), "namud exited early: " + out() + err());
      Thread.sleep(5);
    }
    assertFalse(out().isEmpty(), "namud logged nothing: " + err());
  }

  /** Started with --no-recursion, namud answers a name outside its zones REFUSED. */
  private static void assertRefusesNamesOutsideItsZones(int port) throws Exception {
    Message r = DnsWire.udp(new InetSocketAddress("127.0.0.1", port), DnsWire.query("www.example.org.", Type.A));
    assertEquals(Rcode.REFUSED, r.getRcode());
  }

  private int waitForPort(Process p) throws Exception {
    Pattern serving = Pattern.compile("namud serving .* on 127\\.0\\.0\\.1:(\\d+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Matcher m = serving.matcher(out());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      assertTrue(p.isAlive(), "namud exited early: " + out() + err());
      Thread.sleep(50);
    }
    throw new AssertionError("namud did not start: " + out() + err());
  }
}
