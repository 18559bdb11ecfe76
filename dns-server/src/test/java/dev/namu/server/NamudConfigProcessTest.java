package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** namud started from a config file, as a service starts it: a separate JVM, real sockets. */
class NamudConfigProcessTest {
  @TempDir Path dir;

  /** namud with exactly these flags: the config file holds the rest. */
  private Process namud(String... args) throws IOException {
    return namud(null, args);
  }

  /** As above, with {@code NAMUD_CONFIG} set to {@code defaultConfig} (null: as the tests have it). */
  private Process namud(Path defaultConfig, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Namud.class.getName()));
    cmd.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile());
    if (defaultConfig != null) {
      builder.environment().put("NAMUD_CONFIG", defaultConfig.toString());
    }
    return builder.start();
  }

  private String out() throws IOException {
    return Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
  }

  private String err() throws IOException {
    return Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
  }

  /** A config of the test's own: the test zones, a fresh data directory, no API, no recursion. */
  private Path config(String listen) throws IOException {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    TestZones.copyTo(zones);
    return Files.writeString(dir.resolve("namud.yaml"), String.join("\n",
        "listen: [" + listen + "]",
        "zones: " + zones,
        "data: " + dir.resolve("data"),
        "api:",
        "  enabled: false",
        "metrics:",
        "  enabled: false",
        "recursion:",
        "  enabled: false",
        ""));
  }

  @Test
  void namudConfigNamesTheFileReadWithoutConfig() throws Exception {
    Process p = namud(config("127.0.0.1:0"));
    try {
      int port = waitForPort(p);
      Message r = DnsWire.udp(new InetSocketAddress("127.0.0.1", port), DnsWire.query("www.example.test.", Type.A));
      assertEquals(Rcode.NOERROR, r.getRcode(), "the zones of $NAMUD_CONFIG's file are served");
      p.destroy();
      assertEquals(0, exit(p), out() + err());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aServerStartedFromAConfigFileAnswersForTheZonesItNames() throws Exception {
    Process p = namud("--config", config("127.0.0.1:0").toString());
    try {
      int port = waitForPort(p);
      Message r = DnsWire.udp(new InetSocketAddress("127.0.0.1", port), DnsWire.query("www.example.test.", Type.A));
      assertEquals(Rcode.NOERROR, r.getRcode());
      assertTrue(r.getHeader().getFlag(Flags.AA), r.toString());
      assertEquals("192.0.2.80", ((ARecord) r.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
      p.destroy(); // SIGTERM
      assertEquals(0, exit(p), out() + err());
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aListenFlagOverridesTheFilesAddress() throws Exception {
    // the file's port is held here: namud could not start on it, so an answer proves the flag won
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int filePort = taken.getLocalPort();
      Process p = namud("--config", config("127.0.0.1:" + filePort).toString(), "--listen", "127.0.0.1:0");
      try {
        int port = waitForPort(p);
        assertNotEquals(filePort, port);
        Message r = DnsWire.udp(new InetSocketAddress("127.0.0.1", port), DnsWire.query("www.example.test.", Type.A));
        assertEquals(Rcode.NOERROR, r.getRcode());
        assertFalse(out().contains("127.0.0.1:" + filePort), out());
        p.destroy();
        assertEquals(0, exit(p), out() + err());
      } finally {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void aBadConfigFileStopsStartUpWithOneLineAndExit1() throws Exception {
    Path f = Files.writeString(dir.resolve("namud.yaml"), "listen: [127.0.0.1:0]\ntcp:\n  idle-timeout: 0\n");
    Process p = namud("--config", f.toString());
    assertEquals(1, exit(p), out() + err());
    assertEquals(List.of(f + ":3: tcp.idle-timeout: 0: must be 0.1 to 3600 seconds"),
        err().lines().filter(l -> !l.isBlank()).toList());
    assertFalse((out() + err()).contains("\tat "), out() + err());
    assertFalse(out().contains("namud serving"), "nothing bound: " + out());
  }

  private static int exit(Process p) throws InterruptedException {
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("namud did not exit");
    }
    return p.exitValue();
  }

  private int waitForPort(Process p) throws Exception {
    Pattern serving = Pattern.compile("namud serving .* on 127\\.0\\.0\\.1:(\\d+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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
