package dev.namu.resolver;

import static dev.namu.resolver.ResolverScenarioTest.answers;
import static dev.namu.resolver.ResolverScenarioTest.ask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.resolver.replay.ManualTicker;
import dev.namu.resolver.testnet.InMemoryTransport;
import dev.namu.resolver.testnet.TestHierarchy;
import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * A resolver on an IPv6-only network behind NAT64: the test hierarchy (every server known by an
 * IPv4 address, 127.0.0.x) is reachable only at the addresses the well-known prefix makes of
 * them (64:ff9b::7f00:b for 127.0.0.11, RFC 6052), and the resolver must ask it there.
 */
class Nat64ResolutionTest {
  private final TestHierarchy net = new TestHierarchy();
  private final InMemoryTransport behindNat64 = new InMemoryTransport();

  Nat64ResolutionTest() throws Exception {
    for (var server : net.servers().entrySet()) {
      InetAddress v4 = InetAddress.getByName(server.getKey());
      behindNat64.add(Nat64Prefix.WELL_KNOWN.map(v4).getHostAddress(), server.getValue());
    }
  }

  private Resolver resolver(boolean nat64) throws Exception {
    ResolverConfig config = ResolverConfig.builder()
        .rootHints(RootHints.of(List.of(InetAddress.getByName(TestHierarchy.ROOT))))
        .useIpv4(false)
        .nat64(nat64)
        .doNotQueryLocalhost(false)
        .serveStale(false)
        .build();
    return ResolverFactory.create(config, behindNat64, new ManualTicker(), new Random(7));
  }

  @Test
  void ipv4OnlyServersAreAskedAtTheirNat64Addresses() throws Exception {
    try (Resolver r = resolver(true)) {
      Answer m = ask(r, "alias.leaf.test.", Type.A);
      assertEquals(Rcode.NOERROR, m.rcode());
      // Referrals with glue, then a glueless NS name looked up: every hop through NAT64.
      assertEquals(List.of("alias.leaf.test. CNAME www.glueless.test.", "www.glueless.test. A 192.0.2.90"), answers(m));
      assertFalse(behindNat64.log().isEmpty());
      assertTrue(behindNat64.log().stream().allMatch(l -> l.startsWith("64:ff9b:0:0:0:0:7f00:")), behindNat64.log().toString());
    }
  }

  @Test
  void withoutNat64AnIpv6OnlyResolverHasNoServerToAsk() throws Exception {
    try (Resolver r = resolver(false)) {
      assertEquals(Rcode.SERVFAIL, ask(r, "www.leaf.test.", Type.A).rcode());
      assertEquals(List.of(), behindNat64.log());
    }
  }
}
