package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.config.NamudCommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** namud's command line refuses nonsense with one line and exit 2, before it binds anything. */
class NamudFlagsTest {
  private record Run(int status, String out, String err) {}

  private static Run namud(String... flags) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of(Hermetic.args(flags)));
    int status =
        Namud.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertBadFlag(String expected, String... flags) {
    Run run = namud(flags);
    assertEquals(2, run.status(), String.join(" ", flags) + ": " + run.err());
    String line = run.err().strip();
    assertFalse(line.contains("\n"), "one line: " + line);
    assertFalse(line.contains("Exception") || line.contains("java."), "no Java in it: " + line);
    assertTrue(line.startsWith("namud: " + expected), String.join(" ", flags) + " gave: " + line);
  }

  @Test
  void numericFlagsOutOfBoundsGetOneLineAndExit2() {
    String idle = "--tcp-idle-timeout";
    assertBadFlag(idle + " NaN: not a number of seconds", idle, "NaN");
    assertBadFlag(idle + " Infinity: not a number of seconds", idle, "Infinity");
    assertBadFlag(idle + " 1e12: must be 0.1 to 3600 seconds", idle, "1e12");
    assertBadFlag(idle + " 0: must be 0.1 to 3600 seconds", idle, "0");
    assertBadFlag(idle + " -5: must be 0.1 to 3600 seconds", idle, "-5");
    assertBadFlag("--threads 5000: must be 0 to 256", "--threads", "5000");
    assertBadFlag("--threads -1: must be 0 to 256", "--threads", "-1");
    assertBadFlag("--tcp-max-connections 0: must be 1 to 65535", "--tcp-max-connections", "0");
    assertBadFlag("--tcp-max-connections 100000: must be 1 to 65535", "--tcp-max-connections", "100000");
    assertBadFlag(
        "--tcp-max-connections-per-client 0: must be 1 to 65535", "--tcp-max-connections-per-client", "0");
    assertBadFlag("Invalid value for option '--threads'", "--threads", "99999999999");
    assertBadFlag("--listen '127.0.0.1:70000': port must be 0-65535", "--listen", "127.0.0.1:70000");
    // recursion flags are refused before --no-recursion (added by Hermetic) contradicts them
    String[] cache = {"--cache-size", "1000000000000"};
    assertEquals(
        "--cache-size 1000000000000: at most 100000000 entries",
        assertThrows(IllegalArgumentException.class, () -> NamudCommandLine.parse(cache)).getMessage());
    String[] bytes = {"--cache-size", "2000g"};
    assertEquals(
        "--cache-size 2000g: at most 1024g",
        assertThrows(IllegalArgumentException.class, () -> NamudCommandLine.parse(bytes)).getMessage());
  }

  @Test
  void badTransferSettingsGetOneLineAndExit2() {
    assertBadFlag("--allow-transfer example.com: expected ZONE=VALUE[,VALUE...], e.g. example.com=xfr-key.",
        "--allow-transfer", "example.com");
    assertBadFlag("--allow-transfer example.com.: ", "--allow-transfer", "example.com=10.0.0.0/99");
    assertBadFlag("--also-notify example.com.: 192.0.2.1:99999: the port must be 1 to 65535",
        "--also-notify", "example.com=192.0.2.1:99999");
    assertBadFlag("--also-notify example.com.: ns2.example.com: not an address to notify",
        "--also-notify", "example.com=192.0.2.1,ns2.example.com");
  }

  @Test
  void theSameListenAddressTwiceIsNamedNotBlamedOnAnotherProgram() {
    // a real port, free now: with port 0 each address would pick its own and never conflict
    String listen = ToolPorts.listen();
    Run run = namud("--listen", listen, "--listen", listen);
    assertEquals(2, run.status(), run.err());
    assertEquals(
        "namud: --listen " + listen + " and --listen " + listen + " are the same address; give it once"
            + " (see namud --help)",
        run.err().strip());
    NamudStartException e =
        assertThrows(
            NamudStartException.class, () -> Hermetic.start("--listen", listen, "--listen", listen));
    assertFalse(e.getMessage().contains("another program"), e.getMessage());
  }

  @Test
  void aWildcardAndAnAddressOnTheSamePortAreNamedBoth() {
    int port = ToolPorts.freePort();
    String[][] pairs = {
      {"0.0.0.0:" + port, "127.0.0.1:" + port, "0.0.0.0:" + port + " already takes port " + port
          + " on every IPv4 address"},
      {"127.0.0.1:" + port, "[::]:" + port, "[::]:" + port + " already takes port " + port
          + " on every IPv6 and IPv4 address"},
      {"[::]:" + port, "0.0.0.0:" + port, "[::]:" + port + " already takes port " + port
          + " on every IPv6 and IPv4 address"},
    };
    for (String[] p : pairs) {
      // refused while parsing: nothing is bound, so no test here listens beyond loopback
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> NamudCommandLine.parse("--listen", p[0], "--listen", p[1]));
      assertEquals(
          "--listen " + p[0] + " and --listen " + p[1] + " conflict: " + p[2]
              + " of this host; give one or the other",
          e.getMessage());
    }
    // different ports, different families without a wildcard, or port 0: no conflict
    NamudCommandLine.parse("--listen", "0.0.0.0:" + port, "--listen", "127.0.0.1:" + (port + 1));
    NamudCommandLine.parse("--listen", "0.0.0.0:" + port, "--listen", "[::1]:" + port);
    NamudCommandLine.parse("--listen", "127.0.0.1:0", "--listen", "127.0.0.1:0");
  }
}
