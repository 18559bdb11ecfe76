package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.UnboundPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
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
    int unboundPort = UnboundPeer.freePort("127.0.0.1");
    try (TestHierarchy h = TestHierarchy.start(dir);
        UnboundPeer unbound = UnboundPeer.start(dir, config(h, unboundPort),
            new InetSocketAddress("127.0.0.1", unboundPort), "alpha.test.");
        NamudServer namud = NamudServer.start(
            "--listen", "127.0.0.1:0", "--no-api", "--no-metrics", "--data", dir.resolve("namud-data").toString(),
            "--zones", Files.createDirectories(dir.resolve("no-zones")).toString(),
            "--root-hints", h.hints.toString(), "--upstream-port", Integer.toString(h.port), "--no-local-zone", "test",
            "--log-level", "WARN")) {
      InetSocketAddress nd = namud.boundAddresses().get(0);
      List<String> differences = new ArrayList<>();
      for (String pass : List.of("cold", "hot")) {
        for (String q : TestHierarchy.QUESTIONS) {
          String[] parts = q.split(" ");
          Message query = DnsWire.query(parts[0], Type.value(parts[1]));
          String expected = digest(ask(unbound.address(), query, "unbound", unbound));
          String actual = digest(ask(nd, query, "namud", unbound));
          if (!expected.equals(actual)) {
            differences.add(pass + " " + q + "\n  unbound: " + expected + "\n  namud:   " + actual);
          }
        }
      }
      assertEquals(List.of(), differences, String.join("\n", differences));
    }
  }

  private StringBuilder config(TestHierarchy h, int port) {
    StringBuilder c = UnboundPeer.config(dir, "127.0.0.1", port)
        .append("  module-config: \"iterator\"\n")
        // namud's defaults: QNAME minimisation (RFC 9156) and minimal responses
        .append("  qname-minimisation: yes\n")
        .append("  minimal-responses: yes\n");
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
    return c;
  }

  /** rcode and the answer RRsets as sorted text without TTLs. */
  static String digest(Message m) {
    TreeSet<String> rrs = new TreeSet<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      rrs.add(r.getName().canonicalize() + " " + Type.string(r.getType()) + " " + r.rdataToString());
    }
    return Rcode.string(m.getRcode()) + " " + rrs;
  }

  private static Message ask(InetSocketAddress server, Message query, String who, UnboundPeer unbound)
      throws IOException {
    byte[] reply = DnsWire.udp(server, query.toWire(), TIMEOUT_MS);
    if (reply == null) {
      // a stub resolver asks again (Unbound can sit on its first try at a dead server on a
      // loaded machine)
      reply = DnsWire.udp(server, query.toWire(), TIMEOUT_MS);
    }
    assertNotNull(reply, () -> "no reply from " + who + " to " + query.getQuestion() + "\nunbound log:\n" + unbound.log());
    return new Message(reply);
  }
}
