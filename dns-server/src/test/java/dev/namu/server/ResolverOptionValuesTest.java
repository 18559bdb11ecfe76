package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver's options refuse bad values as every flag and key does: one line and exit 2 for the
 * flag, {@code FILE:LINE: key: problem} and exit 1 for the config file; good values from the file
 * are those {@code namud --check --json} gives back.
 */
class ResolverOptionValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private record Run(int status, String out, String err) {}

  private Run namud(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Namud.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), dir.resolve("absent-default.yaml"));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private void assertBadFlag(String expected, String... flags) {
    Run run = namud(flags);
    assertEquals(2, run.status(), String.join(" ", flags) + ": " + run.err());
    String line = run.err().strip();
    assertFalse(line.contains("\n") || line.contains("Exception"), "one line, no Java: " + line);
    assertTrue(line.startsWith("namud: " + expected), String.join(" ", flags) + " gave: " + line);
  }

  private void assertBadKey(String yaml, String expected) throws IOException {
    Path f = Files.writeString(dir.resolve("namud.yaml"), yaml);
    Run run = namud("--config", f.toString(), "--check");
    assertEquals(1, run.status(), run.err());
    assertEquals(List.of(f + ":" + expected), run.err().lines().filter(l -> !l.isBlank()).toList());
  }

  @Test
  void badFlagValuesGetOneLineAndExit2() {
    assertBadFlag("--cache-max-ttl 0: must be 1 to 604800", "--cache-max-ttl", "0");
    assertBadFlag("--cache-min-ttl 100000: must be 0 to 86400", "--cache-min-ttl", "100000");
    assertBadFlag("--cache-min-ttl 600: more than --cache-max-ttl 60", "--cache-min-ttl", "600", "--cache-max-ttl", "60");
    assertBadFlag("--cache-max-negative-ttl -1: must be 0 to 86400", "--cache-max-negative-ttl", "-1");
    assertBadFlag("--qname-minimisation maybe: expected on, strict or off", "--qname-minimisation", "maybe");
    assertBadFlag("--harden-glue 2: expected yes|no", "--harden-glue", "2");
    assertBadFlag("--serve-stale sometimes: expected on|off", "--serve-stale", "sometimes");
    assertBadFlag("--serve-stale-ttl 0: must be 1 to 3600", "--serve-stale-ttl", "0");
    assertBadFlag("--serve-stale-window 0: must be 1 to 604800", "--serve-stale-window", "0");
    assertBadFlag("--prefetch 1: expected on|off", "--prefetch", "1");
    assertBadFlag("--edns-buffer-size 100: must be 512 to 4096", "--edns-buffer-size", "100");
    assertBadFlag("Invalid value for option '--edns-buffer-size'", "--edns-buffer-size", "big");
    assertBadFlag("--outgoing-range 0: must be 1 to 4096", "--outgoing-range", "0");
    assertBadFlag("--outgoing-range 30000-30010: at least 64 ports", "--outgoing-range", "30000-30010");
    assertBadFlag("--outgoing-range 80-2000: ports must be 1024 to 65535", "--outgoing-range", "80-2000");
    assertBadFlag("--outgoing-range many: expected a number of sockets", "--outgoing-range", "many");
    assertBadFlag("--nat64 maybe: expected off, on or a prefix ADDRESS/LENGTH", "--nat64", "maybe");
    assertBadFlag("--nat64 64:ff9b::/33: ", "--nat64", "64:ff9b::/33");
    assertBadFlag("--nat64 192.0.2.0/96: NAT64 prefix is not an IPv6 address", "--nat64", "192.0.2.0/96");
    assertBadFlag("--use-caps-for-id sometimes: expected on|off", "--use-caps-for-id", "sometimes");
    assertBadFlag("--no-recursion contradicts", "--no-recursion", "--use-caps-for-id", "off");
    assertBadFlag("--upstream-cookies maybe: expected on|off", "--upstream-cookies", "maybe");
    assertBadFlag("--in-flight-per-client 0: must be 1 to 100000", "--in-flight-per-client", "0");
    assertBadFlag("--in-flight-total 2000000: must be 1 to 1000000", "--in-flight-total", "2000000");
    assertBadFlag("--in-flight-per-zone -5: must be 1 to 100000", "--in-flight-per-zone", "-5");
    assertBadFlag("--no-recursion contradicts", "--no-recursion", "--prefetch", "off");
  }

  @Test
  void badKeysAreNamedOnTheirLine() throws IOException {
    assertBadKey("recursion:\n  prefetch: on\n  cache-max-ttl: 0\n", "3: recursion.cache-max-ttl: 0: must be 1 to 604800");
    assertBadKey("recursion:\n  in-flight-per-zone: 0\n", "2: recursion.in-flight-per-zone: 0: must be 1 to 100000");
    assertBadKey("recursion:\n  qname-minimisation: maybe\n",
        "2: recursion.qname-minimisation: maybe: expected on, strict or off");
    assertBadKey("recursion:\n  cache-max-ttl: 60\n  cache-min-ttl: 600\n",
        "3: recursion.cache-min-ttl: 600: more than recursion.cache-max-ttl 60");
    assertBadKey("recursion:\n  use-caps-for-id: maybe\n", "2: recursion.use-caps-for-id: maybe: expected on|off");
    assertBadKey("recursion:\n  outgoing-range: 80-2000\n",
        "2: recursion.outgoing-range: 80-2000: ports must be 1024 to 65535, LOW before HIGH");
  }

  @Test
  void theKeysReadAsUnboundsOperatorsWriteThem() throws IOException {
    Path f = Files.writeString(dir.resolve("namud.yaml"), """
        recursion:
          cache-min-ttl: 30
          cache-max-ttl: 600
          cache-max-negative-ttl: 60
          qname-minimisation: strict
          harden-glue: no
          serve-stale: off
          serve-stale-ttl: 5
          serve-stale-window: 3600
          prefetch: off
          edns-buffer-size: 1400
          outgoing-range: 20000-29999
          nat64: 2001:db8:64::/96
          use-caps-for-id: off
          upstream-cookies: off
        """);
    Run run = namud("--config", f.toString(), "--check", "--json");
    assertEquals(0, run.status(), run.err());
    JsonNode r = JSON.readTree(run.out()).get("config").get("recursion");
    assertEquals("30 600 60 strict no off 5 3600 off 1400 20000-29999", String.join(" ",
        r.get("cache-min-ttl").asText(), r.get("cache-max-ttl").asText(), r.get("cache-max-negative-ttl").asText(),
        r.get("qname-minimisation").asText(), r.get("harden-glue").asText(), r.get("serve-stale").asText(),
        r.get("serve-stale-ttl").asText(), r.get("serve-stale-window").asText(), r.get("prefetch").asText(),
        r.get("edns-buffer-size").asText(), r.get("outgoing-range").asText()));
    assertEquals("2001:db8:64::/96", r.get("nat64").asText());
    assertEquals("off", r.get("use-caps-for-id").asText(), "YAML's bare off, a boolean to it, read as the flag's off");
    assertEquals("off", r.get("upstream-cookies").asText());
  }

  /** A trust anchor file namud cannot use is one line naming the file and the line, at start and in --check. */
  @Test
  void aTrustAnchorFileThatCannotBeUsedIsNamedWithItsLine() throws IOException {
    Path shortDigest = Files.writeString(dir.resolve("root.ds"), "; the root's DS\n. IN DS 20326 8 2 E06D44B8\n");
    Path notAnAnchor = Files.writeString(dir.resolve("a.ds"), ". IN DS 20326 8 2 "
        + "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\nexample. IN A 192.0.2.1\n");
    for (String[] c : new String[][] {
        {shortDigest.toString(), shortDigest + ":2: Expected 32 bytes for SHA-256, got 4"},
        {notAnAnchor.toString(), notAnAnchor + ":2: example. A is no trust anchor (DS or DNSKEY records only)"},
        {dir.resolve("absent.ds").toString(), dir.resolve("absent.ds") + ": no such file"}}) {
      Run check = namud("--trust-anchor", c[0], "--check");
      assertEquals(1, check.status(), check.err());
      assertEquals(List.of("--trust-anchor " + c[1]), check.err().lines().filter(l -> !l.isBlank()).toList());
      Run start = namud("--listen", "127.0.0.1:0", "--no-api", "--no-metrics", "--data", dir.resolve("data").toString(),
          "--trust-anchor", c[0]);
      assertEquals(1, start.status(), start.err());
      assertEquals("namud: --trust-anchor " + c[1], start.err().strip(), "one line, no Java");
    }
  }

  @Test
  void dnssecKeysRoundTripThroughCheckJson() throws IOException {
    Path anchor = Files.writeString(dir.resolve("root.ds"), ". IN DS 20326 8 2 "
        + "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
    Path f = Files.writeString(dir.resolve("namud.yaml"), """
        recursion:
          dnssec: on
          trust-anchors: [%s]
          negative-trust-anchors: [broken.example]
        """.formatted(anchor));
    Run run = namud("--config", f.toString(), "--check", "--json");
    assertEquals(0, run.status(), run.err());
    JsonNode r = JSON.readTree(run.out()).get("config").get("recursion");
    assertEquals("on", r.get("dnssec").asText());
    assertEquals(anchor.toString(), r.get("trust-anchors").get(0).asText());
    assertEquals("broken.example.", r.get("negative-trust-anchors").get(0).asText());
    assertBadFlag("--dnssec maybe: expected on|off", "--dnssec", "maybe");
    assertBadFlag("--dnssec off contradicts --trust-anchor and --negative-trust-anchor",
        "--dnssec", "off", "--negative-trust-anchor", "broken.example");
  }
}
