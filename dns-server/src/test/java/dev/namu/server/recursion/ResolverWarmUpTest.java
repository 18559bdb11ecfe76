package dev.namu.server.recursion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.namu.resolver.warmup.WarmingResolver;
import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.ToolPorts;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * namud pays the resolver's JIT warm-up when recursion is first asked for, before it resolves:
 * questions for its own zones never start it, and the recursive questions that come while it
 * runs wait for it and are all answered.
 */
class ResolverWarmUpTest {
  /** Generous: the warm-up is bounded (4 s) and the machine may be busy. */
  private static final int SLOW_MS = 20_000;

  @TempDir Path dir;

  @Test
  void theFirstRecursiveQuestionsWaitForTheWarmUpAndAreAllAnswered() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger warmUpLog = (Logger) LoggerFactory.getLogger(WarmingResolver.class);
    Level level = warmUpLog.getLevel();
    warmUpLog.setLevel(Level.INFO); // the tests' logging may show warnings alone
    try (TestHierarchy hierarchy = TestHierarchy.start(dir)) {
      Path zones = Files.createDirectories(dir.resolve("local-zones"));
      // namud answers lan. itself; its NS address is loopback all the same, so nothing could ever leave
      TestHierarchy.writeServedZone(zones, "lan.", "127.0.72.53", "nas 300 IN A 192.0.2.12\n");
      try (NamudServer recursor = NamudServer.start(
          "--listen", ToolPorts.listen(), "--zones", zones.toString(), "--data", dir.resolve("data").toString(),
          "--no-api", "--no-metrics", "--warm-up", "on", "--root-hints", hierarchy.hints.toString(),
          "--upstream-port", Integer.toString(hierarchy.port), "--no-local-zone", "test")) {
        log.start();
        warmUpLog.addAppender(log);
        InetSocketAddress address = recursor.boundAddresses().get(0);

        Message own = DnsWire.udp(address, DnsWire.query("nas.lan.", Type.A));
        assertEquals(Rcode.NOERROR, own.getRcode());
        assertEquals(List.of(), warmUps(log), "an answer from namud's own zone starts no warm-up");

        // asked at once, while the warm-up the first of them starts is running
        Map<String, String> expected = Map.of(
            "www.alpha.test.", "192.0.2.1",
            "www.beta.example.", "192.0.2.2",
            "host.dead.test.", "192.0.2.3",
            "ns1.alpha.test.", "127.0.0.14");
        ExecutorService clients = Executors.newFixedThreadPool(expected.size());
        try {
          List<CompletableFuture<long[]>> replies = new ArrayList<>();
          List<String> names = new ArrayList<>(expected.keySet());
          for (String name : names) {
            replies.add(CompletableFuture.supplyAsync(() -> {
              try {
                byte[] wire = DnsWire.udp(address, DnsWire.query(name, Type.A).toWire(), SLOW_MS);
                assertNotNull(wire, "no reply to " + name);
                Message m = new Message(wire);
                assertEquals(Rcode.NOERROR, m.getRcode(), name + ": " + m);
                assertEquals(expected.get(name), m.getSection(Section.ANSWER).get(0).rdataToString(), name);
                return new long[] {System.currentTimeMillis()};
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }, clients));
          }
          long firstReply = Long.MAX_VALUE;
          for (CompletableFuture<long[]> r : replies) firstReply = Math.min(firstReply, r.join()[0]);
          List<ILoggingEvent> warmed = warmUps(log);
          assertEquals(1, warmed.size(), "one warm-up, for the first recursive question: " + warmed);
          assertTrue(warmed.get(0).getTimeStamp() <= firstReply,
              "the warm-up ends before the first resolved answer is sent");
        } finally {
          clients.shutdownNow();
        }

        Message again = DnsWire.udp(address, DnsWire.query("txt.alpha.test.", Type.TXT));
        assertEquals(Rcode.NOERROR, again.getRcode());
        assertEquals(1, warmUps(log).size(), "the warm-up runs once");
      } finally {
        warmUpLog.detachAppender(log);
        warmUpLog.setLevel(level);
      }
    }
  }

  private static List<ILoggingEvent> warmUps(ListAppender<ILoggingEvent> log) {
    return List.copyOf(log.list).stream()
        .filter(e -> e.getFormattedMessage().startsWith("resolver warmed up")).toList();
  }
}
