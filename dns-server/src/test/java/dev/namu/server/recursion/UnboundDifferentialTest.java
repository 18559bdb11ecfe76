package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * namud and Unbound resolve the same names over the same hierarchy of namud authoritative
 * servers: same rcode and same answer RRsets (TTL values aside, which may differ by the second
 * between the two), once with cold caches and once from the caches.
 *
 * <p>Unbound cannot send iterative queries to a port other than 53, so each delegation of the
 * hierarchy is given to it as a stub zone with {@code ADDR@PORT} (the stub for "." stands for
 * the root hints, which cannot carry a port); namud iterates from the root hints with
 * {@code --upstream-port}.
 */
class UnboundDifferentialTest {
  private static final int TIMEOUT_MS = 10_000;

  @TempDir Path dir;

  @Test
  void sameAnswersAsUnboundColdAndHot() throws Exception {
    var unbound = ToolLocator.find("unbound");
    assumeTrue(unbound.isPresent(), ToolLocator.missing("unbound", "unbound"));
    try (TestHierarchy h = TestHierarchy.start(dir)) {
      int unboundPort = freeLoopbackPort();
      Path conf = writeConfig(h, unboundPort);
      Process p =
          new ProcessBuilder(unbound.get().toString(), "-d", "-c", conf.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("unbound.out").toFile())
              .start();
      try (NamudServer namud =
          NamudServer.start(
              "--listen", "127.0.0.1:0", "--no-api", "--no-metrics", "--data", dir.resolve("namud-data").toString(),
              "--zones", Files.createDirectories(dir.resolve("no-zones")).toString(),
              "--root-hints", h.hints.toString(), "--upstream-port", Integer.toString(h.port), "--no-local-zone", "test",
              "--log-level", "WARN")) {
        InetSocketAddress ub = new InetSocketAddress("127.0.0.1", unboundPort);
        awaitAnswering(p, ub);
        InetSocketAddress nd = namud.boundAddresses().get(0);
        List<String> differences = new ArrayList<>();
        for (String pass : List.of("cold", "hot")) {
          for (String q : TestHierarchy.QUESTIONS) {
            String[] parts = q.split(" ");
            Message query = DnsWire.query(parts[0], Type.value(parts[1]));
            String expected = digest(ask(ub, query, "unbound"));
            String actual = digest(ask(nd, query, "namud"));
            if (!expected.equals(actual)) {
              differences.add(pass + " " + q + "\n  unbound: " + expected + "\n  namud:   " + actual);
            }
          }
        }
        assertEquals(List.of(), differences, String.join("\n", differences));
      } finally {
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private Path writeConfig(TestHierarchy h, int port) throws IOException {
    StringBuilder c = new StringBuilder();
    c.append("server:\n")
        .append("  interface: 127.0.0.1\n")
        .append("  port: ").append(port).append('\n')
        .append("  do-ip6: no\n")
        .append("  do-not-query-localhost: no\n")
        .append("  username: \"\"\n")
        .append("  chroot: \"\"\n")
        .append("  directory: \"").append(dir).append("\"\n")
        .append("  pidfile: \"").append(dir.resolve("unbound.pid")).append("\"\n")
        .append("  use-syslog: no\n")
        .append("  logfile: \"\"\n")
        .append("  verbosity: 1\n")
        .append("  module-config: \"iterator\"\n")
        // namud's defaults: QNAME minimisation (RFC 9156) and minimal responses
        .append("  qname-minimisation: yes\n")
        .append("  minimal-responses: yes\n")
        .append("  access-control: 127.0.0.0/8 allow\n")
        // Unbound answers the special-use TLD test. itself (RFC 6761 6.2); here it is delegated
        .append("  local-zone: \"test.\" nodefault\n");
    // every zone cut of the hierarchy, with its servers on the test port
    Map<String, List<String>> cuts =
        Map.of(
            ".", List.of("127.0.0.11"),
            "test.", List.of("127.0.0.12"),
            "example.", List.of("127.0.0.13"),
            "alpha.test.", List.of("127.0.0.14"),
            "beta.example.", List.of("127.0.0.14"),
            "dead.test.", List.of(TestHierarchy.DEAD, "127.0.0.14"),
            "gone.test.", List.of("127.0.0.17"));
    for (Map.Entry<String, List<String>> cut : cuts.entrySet()) {
      c.append("stub-zone:\n  name: \"").append(cut.getKey()).append("\"\n");
      for (String a : cut.getValue()) {
        c.append("  stub-addr: ").append(a).append('@').append(h.port).append('\n');
      }
    }
    Path conf = dir.resolve("unbound.conf");
    Files.writeString(conf, c.toString());
    return conf;
  }

  /** rcode and the answer RRsets as sorted text without TTLs. */
  static String digest(Message m) {
    TreeSet<String> rrs = new TreeSet<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      rrs.add(r.getName().canonicalize() + " " + Type.string(r.getType()) + " " + r.rdataToString());
    }
    return Rcode.string(m.getRcode()) + " " + rrs;
  }

  private Message ask(InetSocketAddress server, Message query, String who) throws IOException {
    byte[] reply = DnsWire.udp(server, query.toWire(), TIMEOUT_MS);
    if (reply == null) {
      // a stub resolver asks again (Unbound can sit on its first try at a dead server on a
      // loaded machine)
      reply = DnsWire.udp(server, query.toWire(), TIMEOUT_MS);
    }
    assertNotNull(reply, () -> "no reply from " + who + " to " + query.getQuestion() + "\nunbound log:\n" + log());
    return new Message(reply);
  }

  private void awaitAnswering(Process p, InetSocketAddress address) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Message probe = DnsWire.query("alpha.test.", Type.SOA);
    while (System.nanoTime() < deadline) {
      assertTrue(p.isAlive(), () -> "unbound exited: " + log());
      if (DnsWire.udp(address, probe.toWire(), 200) != null) {
        return;
      }
    }
    throw new AssertionError("unbound did not answer on " + address + ": " + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("unbound.out"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return s.getLocalPort();
    }
  }

}
