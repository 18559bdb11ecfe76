package dev.namu.server.signing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamuctlCalls;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.peers.ToolRun;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unbound, with namud's DS of a zone namud signs as its only trust anchor, validates namud's answers
 * from that zone as secure (AD), before and after edits. It needs namud to add the RRSIGs to answers
 * asked with DO (the serving of signed zones): until namud does, the test is skipped and says so.
 * namud listens on 127.0.66.1, Unbound on 127.0.66.3.
 */
class UnboundValidatesSignedZoneTest {
  private static final String ZONE = "validated.test";

  @TempDir Path dir;
  private NamudServer namud;
  private Process unbound;

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
  void unboundFindsNamudsSignedAnswersSecure() throws Exception {
    var unboundBin = ToolLocator.find("unbound");
    assumeTrue(unboundBin.isPresent(), ToolLocator.missing("unbound", "unbound"));
    Path data = dir.resolve("data");
    namud = NamudServer.start("--listen", "127.0.66.1:0", "--data", data.toString(), "--api", "127.0.66.1:0",
        "--no-metrics", "--no-recursion", "--rrl-rate", "0");
    String api = "http://127.0.66.1:" + namud.admin().apiAddress().orElseThrow().getPort();
    int port = namud.boundAddresses().get(0).getPort();
    NamuctlCalls.succeed(api, data, "zone", "create", ZONE, "--ns", "ns1." + ZONE + ".");
    NamuctlCalls.succeed(api, data, "record", "add", ZONE, "ns1", "A", "192.0.2.53");
    NamuctlCalls.succeed(api, data, "record", "add", ZONE, "www", "A", "192.0.2.80");
    NamuctlCalls.succeed(api, data, "zone", "sign", ZONE);
    String ds = NamuctlCalls.succeed(api, data, "zone", "ds", ZONE).trim();

    String direct = dig("127.0.66.1", port, "+dnssec", "www." + ZONE + ".", "A");
    assumeTrue(direct.contains("\tRRSIG\t"),
        "namud does not add RRSIGs to answers asked with DO yet (serving signed zones); answer was:\n" + direct);

    int unboundPort;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.66.3"))) {
      unboundPort = probe.getLocalPort();
    }
    Path conf = dir.resolve("unbound.conf");
    Files.writeString(conf, "server:\n  interface: 127.0.66.3\n  port: " + unboundPort + "\n  do-ip6: no\n"
        + "  do-not-query-localhost: no\n  username: \"\"\n  chroot: \"\"\n  directory: \"" + dir + "\"\n"
        + "  pidfile: \"" + dir.resolve("unbound.pid") + "\"\n  use-syslog: no\n  logfile: \"\"\n  verbosity: 1\n"
        + "  module-config: \"validator iterator\"\n  access-control: 127.0.0.0/8 allow\n"
        + "  local-zone: \"test.\" nodefault\n  trust-anchor: \"" + ds + "\"\n"
        // every query leaves from loopback, and any name outside the zone goes to a loopback port
        // nobody listens on: Unbound's built-in root hints are never asked
        + "  outgoing-interface: 127.0.66.3\n"
        + "stub-zone:\n  name: \"" + ZONE + ".\"\n  stub-addr: 127.0.66.1@" + port + "\n"
        + "stub-zone:\n  name: \".\"\n  stub-addr: 127.0.66.3@" + deadPort() + "\n");
    unbound = new ProcessBuilder(unboundBin.get().toString(), "-d", "-c", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("unbound.out").toFile()).start();
    awaitAnswering(unboundPort);

    assertSecure(unboundPort, "www." + ZONE + ".", "A");
    assertSecure(unboundPort, "nope." + ZONE + ".", "A");
    for (int i = 0; i < 100; i++) {
      NamuctlCalls.succeed(api, data, "record", "add", ZONE, "host" + i, "A", "198.51.100." + i);
    }
    assertSecure(unboundPort, "host99." + ZONE + ".", "A");
    assertSecure(unboundPort, "host5." + ZONE + ".", "TXT");
  }

  private void assertSecure(int unboundPort, String name, String type) throws Exception {
    String out = dig("127.0.66.3", unboundPort, "+dnssec", name, type);
    assertTrue(out.matches("(?s).*flags:[^;]* ad[ ;].*") && !out.contains("SERVFAIL"),
        name + " " + type + " is not secure:\n" + out + "\nunbound log:\n" + Files.readString(dir.resolve("unbound.out")));
  }

  private void awaitAnswering(int unboundPort) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      assertTrue(unbound.isAlive(), () -> "unbound exited: " + log());
      if (dig("127.0.66.3", unboundPort, "+time=1", ZONE + ".", "SOA").contains("status:")) {
        return;
      }
    }
    throw new AssertionError("unbound did not answer: " + log());
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
    return ToolRun.of(cmd, null).out();
  }

  /** A loopback UDP port nobody listens on once this returns. */
  private static int deadPort() throws java.io.IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.66.3"))) {
      return s.getLocalPort();
    }
  }
}
