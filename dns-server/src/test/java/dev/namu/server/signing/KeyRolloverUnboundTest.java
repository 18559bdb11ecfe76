package dev.namu.server.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.NamuctlCalls;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rollovers of a zone namud signs, run through a running namud end to end: Unbound, with the DS
 * {@code namuctl zone ds} prints as its trust anchor (the parent), validates namud's answers as secure
 * before, at each step of and after a ZSK rollover by pre-publication (RFC 6781 4.1.1.1) started
 * with {@code namuctl zone rollover --zsk}, and after 100 API edits; the zone's TTLs are 2 s and its
 * propagation delay 1 s, so namud's signing upkeep takes every step, each after its wait, in seconds.
 * Unbound refetches each RRset as its TTL runs out, so it meets every signature namud makes while it
 * may still hold the DNSKEY RRset of an earlier step: a step taken before its wait was over would
 * show as a bogus answer. At the end the zone by AXFR verifies with ldns-verify-zone and dnssec-verify.
 * namud listens on 127.0.74.1, Unbound on 127.0.74.3.
 */
class KeyRolloverUnboundTest {
  private static final String ZONE = "roll.test";
  private static final String NAMUD = "127.0.74.1";
  private static final String UNBOUND = "127.0.74.3";
  /** How long a rollover may take at most on a loaded machine; its waits add up to about 8 s. */
  private static final long ROLLOVER_SECONDS = 90;
  /** The questions asked through Unbound at every step: data, NXDOMAIN, NODATA, the apex. */
  private static final List<String[]> QUESTIONS = List.of(new String[] {"www." + ZONE + ".", "A"},
      new String[] {"mail." + ZONE + ".", "TXT"}, new String[] {"nope." + ZONE + ".", "A"},
      new String[] {"www." + ZONE + ".", "AAAA"}, new String[] {ZONE + ".", "SOA"},
      new String[] {ZONE + ".", "DNSKEY"});

  @TempDir Path dir;
  private NamudServer namud;
  private Process unbound;
  private String api;
  private Path data;
  private int port;
  private int unboundPort;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    var unboundBin = ToolLocator.find("unbound");
    assumeTrue(unboundBin.isPresent(), ToolLocator.missing("unbound", "unbound"));
    data = dir.resolve("data");
    namud = NamudServer.start("--listen", NAMUD + ":0", "--data", data.toString(), "--api", NAMUD + ":0",
        "--no-metrics", "--no-recursion", "--rrl-rate", "0");
    api = "http://" + NAMUD + ":" + namud.admin().apiAddress().orElseThrow().getPort();
    port = namud.boundAddresses().get(0).getPort();
    Path file = Files.writeString(dir.resolve(ZONE + ".zone"), "$ORIGIN " + ZONE + ".\n$TTL 2\n"
        + "@ SOA ns1 hostmaster 1 3600 600 86400 2\n@ NS ns1\nns1 A 192.0.2.53\nwww A 192.0.2.80\n"
        + "mail TXT \"rolled\"\n");
    NamuctlCalls.succeed(api, data, "zone", "import", file.toString());
    NamuctlCalls.succeed(api, data, "zone", "update", ZONE, "--allow-transfer", NAMUD + "/32");
  }

  @AfterEach
  void stop() {
    if (unbound != null) {
      unbound.destroy();
    }
    if (namud != null) {
      namud.close();
    }
  }

  @Test
  void unboundFindsEveryAnswerSecureThroughAZskRolloverAndEdits() throws Exception {
    NamuctlCalls.succeed(api, data, "zone", "sign", ZONE, "--propagation-delay", "1");
    startUnbound(ds());
    assertAllSecure("signed");
    JsonNode signed = show();
    int oldZsk = tags(signed, "ZSK", "active").get(0);

    String started = NamuctlCalls.succeed(api, data, "zone", "rollover", ZONE, "--zsk");
    assertTrue(started.contains("published"), started);
    // each key state the zone goes through, as namuctl zone show tells it, in the order seen; every
    // question is asked through Unbound again at each look, so at every step and between steps
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ROLLOVER_SECONDS);
    int newZsk = -1;
    while (true) {
      JsonNode now = show();
      String states = states(now);
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(states)) {
        seen.add(states);
      }
      assertAllSecure(states);
      List<Integer> published = tags(now, "ZSK", "published");
      if (!published.isEmpty()) {
        newZsk = published.get(0);
        Set<Integer> signers = signerTags("www." + ZONE + ".", "A");
        if (tags(show(), "ZSK", "published").equals(published)) {
          // pre-publication: the new key is in the DNSKEY RRset, the old one still signs
          assertEquals(Set.of(oldZsk), signers, states);
        }
      }
      if (newZsk != -1 && tags(now, "ZSK", "active").equals(List.of(newZsk))
          && tags(now, "ZSK", "retired").isEmpty()) {
        break;
      }
      assertTrue(System.nanoTime() < deadline, "the ZSK rollover did not end in " + ROLLOVER_SECONDS
          + " s; key states seen: " + seen);
    }
    assertNotEquals(-1, newZsk, "no published ZSK seen: " + seen);
    assertEquals(List.of("KSK active, ZSK active, ZSK published",
        "KSK active, ZSK active, ZSK retired", "KSK active, ZSK active"), seen,
        "the steps of a pre-publication rollover");
    assertEquals(Set.of(newZsk), signerTags("www." + ZONE + ".", "A"));
    assertEquals(tags(signed, "KSK", "active"), tags(show(), "KSK", "active"), "the KSK did not change");
    assertAllSecure("rolled");

    for (int i = 0; i < 100; i++) {
      NamuctlCalls.succeed(api, data, "record", "add", ZONE, "host" + i, "A", "198.51.100." + i);
    }
    assertAllSecure("edited");
    assertSecure("host99." + ZONE + ".", "A");
    assertSecure("host5." + ZONE + ".", "TXT");
    verifiedTransfer();
  }

  /** The DS lines {@code namuctl zone ds} prints, the parent's. */
  private List<String> ds() {
    return Arrays.stream(NamuctlCalls.succeed(api, data, "zone", "ds", ZONE).split("\n"))
        .map(String::trim).filter(l -> l.contains(" DS ") || l.contains("\tDS\t")).toList();
  }

  private JsonNode show() throws IOException {
    return json.readTree(NamuctlCalls.succeed(api, data, "zone", "show", ZONE, "--json")).path("signing");
  }

  /** The zone's keys as role and state, sorted: "KSK active, ZSK active, ZSK published". */
  private static String states(JsonNode signing) {
    List<String> all = new ArrayList<>();
    signing.path("keys").forEach(k -> all.add(k.path("role").asText() + " " + k.path("state").asText()));
    all.sort(null);
    return String.join(", ", all);
  }

  private static List<Integer> tags(JsonNode signing, String role, String state) {
    List<Integer> tags = new ArrayList<>();
    signing.path("keys").forEach(k -> {
      if (k.path("role").asText().equals(role) && k.path("state").asText().equals(state)) {
        tags.add(k.path("tag").asInt());
      }
    });
    return tags;
  }

  /** The key tags of the RRSIGs namud answers {@code name}/{@code type} with. */
  private Set<Integer> signerTags(String name, String type) throws Exception {
    String out = dig(NAMUD, port, "+dnssec", "+norec", name, type);
    Set<Integer> tags = new TreeSet<>();
    Matcher m = Pattern.compile("\\tRRSIG\\t" + type + " \\d+ \\d+ \\d+ \\d+ \\d+ (\\d+) ").matcher(out);
    while (m.find()) {
      tags.add(Integer.parseInt(m.group(1)));
    }
    assertTrue(!tags.isEmpty(), "no RRSIG in\n" + out);
    return tags;
  }

  private void assertAllSecure(String when) throws Exception {
    for (String[] q : QUESTIONS) {
      assertSecure(q[0], q[1], when);
    }
  }

  private void assertSecure(String name, String type) throws Exception {
    assertSecure(name, type, "");
  }

  private void assertSecure(String name, String type, String when) throws Exception {
    String out = dig(UNBOUND, unboundPort, "+dnssec", name, type);
    assertTrue(out.matches("(?s).*flags:[^;]* ad[ ;].*") && !out.contains("SERVFAIL"),
        name + " " + type + " is not secure (" + when + "):\n" + out + "\nunbound log:\n" + log());
  }

  private void startUnbound(List<String> anchors) throws Exception {
    assertTrue(!anchors.isEmpty(), "no DS for the trust anchor");
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName(UNBOUND))) {
      unboundPort = probe.getLocalPort();
    }
    StringBuilder conf = new StringBuilder("server:\n  interface: " + UNBOUND + "\n  port: " + unboundPort
        + "\n  do-ip6: no\n  do-not-query-localhost: no\n  username: \"\"\n  chroot: \"\"\n  directory: \""
        + dir + "\"\n  pidfile: \"" + dir.resolve("unbound.pid") + "\"\n  use-syslog: no\n  logfile: \"\"\n"
        + "  verbosity: 1\n  module-config: \"validator iterator\"\n  access-control: 127.0.0.0/8 allow\n"
        + "  local-zone: \"test.\" nodefault\n"
        // every query leaves from loopback, and any name outside the zone goes to a loopback port
        // nobody listens on: Unbound's built-in root hints are never asked
        + "  outgoing-interface: " + UNBOUND + "\n");
    for (String ds : anchors) {
      conf.append("  trust-anchor: \"").append(ds).append("\"\n");
    }
    conf.append("stub-zone:\n  name: \"" + ZONE + ".\"\n  stub-addr: " + NAMUD + "@" + port + "\n"
        + "stub-zone:\n  name: \".\"\n  stub-addr: " + UNBOUND + "@" + deadPort() + "\n");
    Path file = Files.writeString(dir.resolve("unbound.conf"), conf);
    unbound = new ProcessBuilder(ToolLocator.find("unbound").orElseThrow().toString(), "-d", "-c", file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("unbound.out").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      assertTrue(unbound.isAlive(), () -> "unbound exited: " + log());
      if (dig(UNBOUND, unboundPort, "+time=1", ZONE + ".", "SOA").contains("status:")) {
        return;
      }
    }
    throw new AssertionError("unbound did not answer: " + log());
  }

  /** The zone by AXFR from namud, checked by ldns-verify-zone and BIND's dnssec-verify. */
  private void verifiedTransfer() throws Exception {
    String axfr = dig(NAMUD, port, ZONE + ".", "AXFR");
    assertTrue(axfr.contains("\tRRSIG\t") && axfr.contains("host99." + ZONE + "."), axfr);
    List<String> lines = Arrays.stream(axfr.split("\n")).filter(l -> !l.isBlank() && !l.startsWith(";")).toList();
    Path file = dir.resolve("transferred.zone");
    // AXFR ends with the SOA again: once in the file
    Files.write(file, lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
    var ldns = ToolLocator.find("ldns-verify-zone");
    assumeTrue(ldns.isPresent(), ToolLocator.missing("ldns-verify-zone", "ldnsutils"));
    String[] l = run(ldns.get().toString(), file.toString());
    assertEquals("0", l[0], "ldns-verify-zone\n" + l[1]);
    var verify = ToolLocator.find("dnssec-verify");
    assumeTrue(verify.isPresent(), ToolLocator.missing("dnssec-verify", "bind9-utils"));
    String[] b = run(verify.get().toString(), "-o", ZONE + ".", file.toString());
    assertEquals("0", b[0], "dnssec-verify\n" + b[1]);
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("unbound.out"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static String dig(String server, int port, String... args) throws Exception {
    var dig = ToolLocator.find("dig");
    assumeTrue(dig.isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
    List<String> cmd = new ArrayList<>(List.of(dig.get().toString(), "@" + server, "-p", Integer.toString(port),
        "+tries=2", "+time=5"));
    cmd.addAll(List.of(args));
    return run(cmd.toArray(String[]::new))[1];
  }

  /** Runs a tool to its end: its exit status and what it printed. */
  private static String[] run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), cmd[0] + " still running");
    return new String[] {Integer.toString(p.exitValue()), out};
  }

  /** A loopback UDP port nobody listens on once this returns. */
  private static int deadPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(UNBOUND))) {
      return s.getLocalPort();
    }
  }
}
