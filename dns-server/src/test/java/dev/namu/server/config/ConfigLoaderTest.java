package dev.namu.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The settings are one value: read twice from the same sources they are equal, and a change shows. */
class ConfigLoaderTest {
  @TempDir Path dir;

  private ServerConfig load(String... args) {
    CommandLine cl = NamudCommandLine.commandLine();
    cl.parseArgs(args);
    return ConfigLoader.load(cl.getParseResult(), dir.resolve("absent.yaml"));
  }

  @Test
  void theSameFileGivesAnEqualConfigAndAChangedOneADifferentOne() throws IOException {
    Path f = Files.writeString(dir.resolve("namud.yaml"), String.join("\n",
        "listen: [127.0.0.1:5300, \"[::1]:5300\"]",
        "tcp: {idle-timeout: 2.5}",
        "api: {listen: 127.0.0.1:8054, max-body: 1m}",
        "recursion:",
        "  forward-zones: {corp.example: [10.0.0.53, \"[2001:db8::53]:5353\"]}",
        "  allow: [10.0.0.0/8]",
        ""));
    ServerConfig first = load("--config", f.toString());
    assertEquals(first, load("--config", f.toString()));
    assertEquals(first.hashCode(), load("--config", f.toString()).hashCode());

    Files.writeString(f, Files.readString(f).replace("10.0.0.0/8", "10.0.0.0/16"));
    assertNotEquals(first, load("--config", f.toString()));
  }

  @Test
  void yamlNumbersReachTheFlagsAsTheyRead() throws IOException {
    Path f = Files.writeString(dir.resolve("namud.yaml"), "threads: 0x10\ntcp: {idle-timeout: 1.5e1}\n");
    ServerConfig config = load("--config", f.toString());
    assertEquals(16, config.threads());
    assertEquals(15_000, config.tcp().idleTimeout().toMillis());
  }
}
