package dev.namu.server.signing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamuctlCalls;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.peers.ToolRun;
import dev.namu.server.peers.UnboundPeer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  private UnboundPeer unbound;

  @AfterEach
  void stop() {
    if (unbound != null) {
      unbound.close();
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

    int unboundPort = UnboundPeer.freePort("127.0.66.3");
    StringBuilder conf = UnboundPeer.config(dir, "127.0.66.3", unboundPort)
        .append("  module-config: \"validator iterator\"\n  trust-anchor: \"" + ds + "\"\n")
        .append("stub-zone:\n  name: \"" + ZONE + ".\"\n  stub-addr: 127.0.66.1@" + port + "\n")
        .append(UnboundPeer.deadRootStub("127.0.66.3"));
    unbound = UnboundPeer.start(dir, conf, new InetSocketAddress("127.0.66.3", unboundPort), ZONE + ".");

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
        name + " " + type + " is not secure:\n" + out + "\nunbound log:\n" + unbound.log());
  }

  private static String dig(String server, int port, String... args) throws Exception {
    var dig = ToolLocator.find("dig");
    assumeTrue(dig.isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
    List<String> cmd = new ArrayList<>(List.of(dig.get().toString(), "@" + server, "-p", Integer.toString(port),
        "+tries=2", "+time=5"));
    cmd.addAll(List.of(args));
    return ToolRun.of(cmd, null).out();
  }
}
