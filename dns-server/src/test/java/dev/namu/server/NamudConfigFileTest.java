package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.config.ConfigKey;
import dev.namu.server.config.EffectiveConfig;
import dev.namu.server.config.NamudCommandLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * namud's config file through its command line ({@code namud --config FILE --check}): a bad file is
 * one line {@code FILE:LINE: key: problem} and exit 1, whatever is wrong with it; a good one is the
 * config in effect, flags over it.
 */
class NamudConfigFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private record Run(int status, String out, String err) {
    /** The lines on stderr. */
    List<String> errors() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  /** namud with these flags and no /etc/namu/namud.yaml (a file of the test's that is not there). */
  private Run namud(String... args) {
    return namudWithDefault(dir.resolve("absent-default.yaml"), args);
  }

  private Run namudWithDefault(Path defaultFile, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Namud.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), defaultFile);
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path file(String yaml) throws IOException {
    return Files.writeString(dir.resolve("namud.yaml"), yaml);
  }

  /** {@code namud --config FILE --check}: stops at the file with exactly {@code expected} and exit 1. */
  private void assertRefused(Path file, String expected) {
    Run run = namud("--config", file.toString(), "--check");
    assertEquals(1, run.status(), run.err());
    assertEquals(List.of(expected), run.errors(), "one line on stderr");
    assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
    assertEquals("", run.out(), "nothing checked past a bad file");
  }

  private JsonNode checkJson(String... args) throws IOException {
    Run run = namud(args);
    assertEquals(0, run.status(), run.err());
    return JSON.readTree(run.out());
  }

  @Test
  void aTlsCertificateFileThatIsNotThereIsNamedOnItsLine() throws IOException {
    Path missing = dir.resolve("cert.pem");
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");
    Path f = file("listen: [127.0.0.1:0]\ntls:\n  listen: [127.0.0.1:0]\n  cert: " + missing + "\n  key: " + key + "\n");
    assertRefused(f, f + ":4: tls.cert: " + missing + ": no such file");
  }

  @Test
  void anUnknownKeyIsNamedOnItsLine() throws IOException {
    Path f = file("listen: [127.0.0.1:0]\ntcp:\n  idle-timout: 5\n");
    assertRefused(f, f + ":3: tcp.idle-timout: unknown key; known here: idle-timeout, max-connections,"
        + " max-connections-per-client");
  }

  @Test
  void aValueOfTheWrongTypeIsNamedOnItsLine() throws IOException {
    Path f = file("zones: " + dir + "\nthreads: [1, 2]\n");
    assertRefused(f, f + ":2: threads: expected a whole number, got a list");
    Path g = file("api:\n  enabled: perhaps\n");
    assertRefused(g, g + ":2: api.enabled: expected true or false, got text 'perhaps'");
  }

  @Test
  void aNumberOutOfBoundsIsRefusedByTheFlagsOwnRule() throws IOException {
    Path f = file("log-level: warn\ntcp:\n  max-connections: 0\n");
    assertRefused(f, f + ":3: tcp.max-connections: 0: must be 1 to 65535");
    // the same words as for the flag: one rule in one place
    Run flag = namud("--tcp-max-connections", "0", "--check");
    assertEquals(2, flag.status());
    assertTrue(flag.err().startsWith("namud: --tcp-max-connections 0: must be 1 to 65535"), flag.err());
  }

  @Test
  void aBadAddressIsNamedOnItsOwnLineOfTheList() throws IOException {
    Path f = file("listen:\n  - 127.0.0.1:0\n  - 127.0.0.1:99999\n");
    assertRefused(f, f + ":3: listen: '127.0.0.1:99999': port must be 0-65535");
  }

  @Test
  void anEmptyListOfClientsIsRefusedNotReadAsTheDefault() throws IOException {
    // no --allow-recursion is the private ranges: "allow: []" must not quietly mean them
    Path f = file("recursion:\n  allow: []\n");
    assertRefused(f, f + ":2: recursion.allow: an empty list; give at least one, or leave the key out for the"
        + " default");
  }

  @Test
  void twoListenAddressesThatConflictNameTheSecond() throws IOException {
    Path f = file("listen:\n  - 0.0.0.0:5300\n  - 127.0.0.1:5300\n");
    assertRefused(f, f + ":3: listen: listen 0.0.0.0:5300 and listen 127.0.0.1:5300 conflict: 0.0.0.0:5300"
        + " already takes port 5300 on every IPv4 address of this host; give one or the other");
  }

  @Test
  void aMissingZonesDirectoryIsNamedOnItsLine() throws IOException {
    Path missing = dir.resolve("no-zones");
    Path f = file("listen: [127.0.0.1:0]\nzones: " + missing + "\n");
    assertRefused(f, f + ":2: zones: zones directory " + missing + " does not exist");
  }

  @Test
  void aMissingRootHintsFileIsNamedOnItsLine() throws IOException {
    Path missing = dir.resolve("named.root");
    Path f = file("recursion:\n  forward: [192.0.2.53]\n  root-hints: " + missing + "\n");
    assertRefused(f, f + ":3: recursion.root-hints: " + missing + ": no such file");
    Run flag = namud("--root-hints", missing.toString(), "--check");
    assertEquals(1, flag.status(), flag.err());
    assertEquals(List.of("--root-hints " + missing + ": no such file"), flag.errors());
  }

  @Test
  void aYamlSyntaxErrorIsOneLineWithItsLine() throws IOException {
    Path f = file("threads: 1\nlisten: 127.0.0.1:0\n  zones: x\n");
    Run run = namud("--config", f.toString(), "--check");
    assertEquals(1, run.status(), run.err());
    assertEquals(1, run.errors().size(), run.err());
    assertTrue(run.errors().get(0).startsWith(f + ":3: not valid YAML: "), run.err());
    assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
  }

  @Test
  void aKeyGivenTwiceIsRefusedNotOneOfThemKept() throws IOException {
    Path f = file("data: a\nthreads: 1\ndata: b\n");
    assertRefused(f, f + ":3: data: given twice (first on line 1)");
    Path g = file("tcp:\n  max-connections: 10\ntcp:\n  max-connections: 20\n");
    assertRefused(g, g + ":3: tcp: given twice (first on line 1)");
  }

  @Test
  void aFifoAsConfigFileIsRefusedNotWaitedOn() throws Exception {
    Path fifo = dir.resolve("namud.yaml");
    Assumptions.assumeTrue(mkfifo(fifo), "mkfifo is not available to make a FIFO");
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertRefused(fifo,
          fifo + ": not a regular file (a device or a FIFO); a config file must be a regular file"));
    } catch (AssertionError timedOut) {
      release(fifo);
      throw timedOut;
    }
  }

  @Test
  void aFifoAsRootHintsOrTrustAnchorIsRefusedNotWaitedOn() throws Exception {
    for (String flag : List.of("--root-hints", "--trust-anchor")) {
      Path fifo = dir.resolve(flag.substring(2));
      Assumptions.assumeTrue(mkfifo(fifo), "mkfifo is not available to make a FIFO");
      try {
        Run run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> namud(flag, fifo.toString(), "--check"));
        assertEquals(1, run.status(), run.err());
        assertEquals(1, run.errors().size(), run.err());
        assertTrue(run.errors().get(0).startsWith(flag + " " + fifo + ": "), run.err());
        assertTrue(run.errors().get(0).contains(fifo + ": not a regular file (a device or a FIFO)"), run.err());
      } catch (AssertionError timedOut) {
        release(fifo);
        throw timedOut;
      }
    }
  }

  @Test
  void aFifoAsTlsCertificateIsRefusedNotWaitedOn() throws Exception {
    Path fifo = dir.resolve("cert.pem");
    Assumptions.assumeTrue(mkfifo(fifo), "mkfifo is not available to make a FIFO");
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");
    Path f = file("listen: [127.0.0.1:0]\ntls:\n  listen: [127.0.0.1:0]\n  cert: " + fifo + "\n  key: " + key + "\n");
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertRefused(f, f + ":4: tls.cert: " + fifo
          + ": not a regular file (a device or a FIFO); a PEM file must be a regular file"));
    } catch (AssertionError timedOut) {
      release(fifo);
      throw timedOut;
    }
  }

  /**
   * Lets go a namud that opened the FIFO and waits for a writer: a writer opens and closes it (only
   * after a run timed out, so no writer waits on a FIFO nobody reads).
   */
  private static void release(Path fifo) {
    Thread release = new Thread(() -> {
      try (var w = Files.newOutputStream(fifo, java.nio.file.StandardOpenOption.WRITE)) {
        w.flush();
      } catch (IOException e) {
        // nobody read it: nothing to release
      }
    });
    release.setDaemon(true);
    release.start();
  }

  /** Makes a FIFO at {@code path} with the system's mkfifo; false when there is none. */
  static boolean mkfifo(Path path) throws InterruptedException {
    try {
      return new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void aMissingConfigFileIsOneLine() {
    Path missing = dir.resolve("nowhere.yaml");
    assertRefused(missing, missing + ": no such file");
  }

  @Test
  void flagsOverrideTheirKeysOfTheFile() throws IOException {
    Path f = file("threads: 3\ndata: " + dir.resolve("data") + "\napi:\n  listen: 127.0.0.1:1\n"
        + "recursion:\n  enabled: false\n");
    JsonNode config = checkJson("--config", f.toString(), "--check", "--json", "--threads", "5", "--no-api",
        "--forward", "192.0.2.53").get("config");
    assertEquals(5, config.get("threads").asInt());
    assertFalse(config.get("api").get("enabled").asBoolean(), "--no-api overrides api.listen");
    assertTrue(config.get("api").get("listen").isNull(), config.toString());
    assertTrue(config.get("recursion").get("enabled").asBoolean(), "--forward turns recursion on");
    assertEquals("192.0.2.53", config.get("recursion").get("forward").get(0).asText());
    assertEquals(dir.resolve("data").toString(), config.get("data").asText(), "keys no flag overrides stay");
  }

  @Test
  void aZonesDirectoryTheFlagReplacesNeedNotExist() throws IOException {
    Path zones = Files.createDirectories(dir.resolve("flag-zones"));
    Path f = file("zones: " + dir.resolve("no-such-dir") + "\ndata: " + dir.resolve("data")
        + "\nrecursion:\n  enabled: false\n");
    JsonNode config = checkJson("--config", f.toString(), "--check", "--json", "--zones", zones.toString())
        .get("config");
    assertEquals(zones.toString(), config.get("zones").asText());
  }

  @Test
  void withoutConfigTheDefaultFileIsReadWhenItExists() throws IOException {
    Path defaults = Files.writeString(dir.resolve("default.yaml"),
        "threads: 3\ndata: " + dir.resolve("data") + "\nrecursion:\n  enabled: false\n");
    Run run = namudWithDefault(defaults, "--check", "--json");
    assertEquals(0, run.status(), run.err());
    assertEquals(3, JSON.readTree(run.out()).get("config").get("threads").asInt());
  }

  @Test
  void withNeitherConfigNorDefaultFileTheBuiltInDefaultsHold() throws IOException {
    // a data directory of the test's: a ./data left by something else would be checked as a store
    String data = dir.resolve("data").toString();
    JsonNode config = checkJson("--check", "--json", "--data", data).get("config");
    assertEquals(JSON.readTree(JSON.writeValueAsString(EffectiveConfig.of(NamudCommandLine.parse("--data", data)))),
        config);
    assertEquals(JSON.readTree("[\"127.0.0.1:53\", \"[::1]:53\"]"), config.get("listen"));
  }

  @Test
  void checkLoadsTheZonesAndFailsOnABrokenOne() throws IOException {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    TestZones.copyTo(zones);
    Path f = file("zones: " + zones + "\ndata: " + dir.resolve("data") + "\n");
    JsonNode report = checkJson("--config", f.toString(), "--check", "--json");
    assertEquals("example.test.", report.get("zones").get(0).get("name").asText(), report.toString());
    assertEquals(2024010101L, report.get("zones").get(0).get("serial").asLong());
    assertTrue(report.get("zones").get(0).get("records").asInt() > 10, report.toString());
    assertFalse(Files.exists(dir.resolve("data")), "a check creates no data directory");

    Files.writeString(zones.resolve("broken.test.zone"), "$TTL 60\n@ SOA ns hostmaster 1 2 3 4 5\n");
    Run broken = namud("--config", f.toString(), "--check");
    assertEquals(1, broken.status(), broken.out() + broken.err());
    assertTrue(broken.err().contains(zones.resolve("broken.test.zone") + ":2: "), broken.err());
  }

  /** The certificate and key given as flags are read by --check as by the start (and as in a file). */
  @Test
  void checkReadsTheTlsFilesGivenAsFlags() throws IOException {
    Run missing = namud("--check", "--data", dir.resolve("data").toString(), "--listen-tls", "127.0.0.1:8530",
        "--tls-cert", dir.resolve("no-cert.pem").toString(), "--tls-key", dir.resolve("no-key.pem").toString());
    assertEquals(1, missing.status(), missing.out() + missing.err());
    assertTrue(missing.err().contains("no-cert.pem"), missing.err());
    assertFalse(missing.err().contains("\tat "), "no stack trace: " + missing.err());
  }

  @Test
  void everyKeyIsInTheEffectiveConfig() throws IOException {
    JsonNode config = checkJson("--check", "--json", "--data", dir.resolve("data").toString()).get("config");
    for (ConfigKey key : ConfigKey.values()) {
      JsonNode at = key.group().map(config::get).map(g -> g.get(key.leaf())).orElse(config.get(key.path()));
      assertTrue(at != null, key.path() + " missing from " + config);
    }
  }

  /**
   * The example config, with every key, gives the config in effect as JSON; that JSON fed back as
   * the config file (JSON is YAML) gives the same JSON. Its paths are the package's
   * (/etc/namu/zones, /var/lib/namu), here made ones of the test's.
   */
  @Test
  void theExampleConfigRoundTripsThroughCheckJson() throws IOException {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    TestZones.copyTo(zones);
    String example = Files.readString(Path.of("src/main/dist/namud.yaml"));
    assertTrue(example.contains("zones: /etc/namu/zones\n") && example.contains("data: /var/lib/namu\n"));
    Path f = file(example.replace("zones: /etc/namu/zones\n", "zones: " + zones + "\n")
        .replace("data: /var/lib/namu\n", "data: " + dir.resolve("lib") + "\n"));
    Run first = namud("--config", f.toString(), "--check", "--json");
    assertEquals(0, first.status(), first.err());
    JsonNode report = JSON.readTree(first.out());
    assertEquals(zones.toString(), report.get("config").get("zones").asText());
    assertEquals("example.test.", report.get("zones").get(0).get("name").asText(), first.out());

    Path again = Files.writeString(dir.resolve("effective.yaml"), JSON.writeValueAsString(report.get("config")));
    Run second = namud("--config", again.toString(), "--check", "--json");
    assertEquals(0, second.status(), second.err());
    assertEquals(first.out(), second.out());
  }
}
