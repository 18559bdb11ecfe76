package dev.namu.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.replay.ManualTicker;
import dev.namu.resolver.testnet.InMemoryTransport;
import dev.namu.resolver.testnet.MiniAuthority;
import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** A flood of random names keeps the caches within their configured bound. */
class CacheFloodTest {
  private static final int NAMES = 10_000;

  private static InMemoryTransport floodServer() {
    // One server for everything: every name under flood.test exists with a random address.
    Random rnd = new Random(3);
    MiniAuthority all = new MiniAuthority("flood", """
        . 86400 IN SOA ns.root.invalid. admin.root.invalid. 1 3600 600 86400 3600
        """).override((q, tcp) -> {
          Message m = MiniAuthority.replyTo(q, Rcode.NOERROR);
          m.getHeader().setFlag(Flags.AA);
          byte[] a = {10, (byte) rnd.nextInt(256), (byte) rnd.nextInt(256), (byte) rnd.nextInt(256)};
          try {
            m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 3600, InetAddress.getByAddress(a)), Section.ANSWER);
          } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
          }
          return m;
        });
    return new InMemoryTransport().add("127.0.0.11", all);
  }

  private static void flood(Resolver r) throws Exception {
    Random rnd = new Random(5);
    for (int i = 0; i < NAMES; i++) {
      Name n = Name.fromString("n" + Long.toHexString(rnd.nextLong()) + ".flood.test.");
      Answer m = r.resolve(n, Type.A).toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertEquals(Rcode.NOERROR, m.rcode());
    }
  }

  @Test
  void entryBoundHolds() throws Exception {
    ResolverConfig c = ResolverConfig.builder()
        .rootHints(RootHints.of(List.of(InetAddress.getByName("127.0.0.11"))))
        .qnameMinimisation(false).useIpv6(false).cacheMaxEntries(500).build();
    try (Resolver r = ResolverFactory.create(c, floodServer(), new ManualTicker(), new Random(1))) {
      flood(r);
      CacheStats s = r.stats();
      // Two caches (answers, RRsets), each bounded by cacheMaxEntries.
      assertTrue(s.entries() <= 2 * 500, "entries " + s.entries());
      assertTrue(s.evictions() >= NAMES - 1000, "evictions " + s.evictions());
      assertEquals(NAMES, s.misses());
    }
  }

  @Test
  void byteBoundHolds() throws Exception {
    long bound = 512 << 10;
    ResolverConfig c = ResolverConfig.builder()
        .rootHints(RootHints.of(List.of(InetAddress.getByName("127.0.0.11"))))
        .qnameMinimisation(false).useIpv6(false).cacheMaxBytes(bound).build();
    try (Resolver r = ResolverFactory.create(c, floodServer(), new ManualTicker(), new Random(1))) {
      flood(r);
      CacheStats s = r.stats();
      assertTrue(s.weightBytes() <= bound, "estimated bytes " + s.weightBytes());
      assertTrue(s.entries() > 500, "bound too tight to be meaningful: " + s.entries());
      assertTrue(s.evictions() > 0);
    }
  }
}
