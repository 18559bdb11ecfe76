package dev.namu.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Nat64PrefixTest {
  /** RFC 6052 section 2.4, the table of examples: 192.0.2.33 under each prefix length. */
  @ParameterizedTest
  @CsvSource({
      "2001:db8::/32,          2001:db8:c000:221::",
      "2001:db8:100::/40,      2001:db8:1c0:2:21::",
      "2001:db8:122::/48,      2001:db8:122:c000:2:2100::",
      "2001:db8:122:300::/56,  2001:db8:122:3c0:0:221::",
      "2001:db8:122:344::/64,  2001:db8:122:344:c0:2:2100:0",
      "2001:db8:122:344::/96,  2001:db8:122:344::192.0.2.33",
      "64:ff9b::/96,           64:ff9b::192.0.2.33"})
  void synthesisesTheRfc6052Examples(String prefix, String expected) throws Exception {
    Inet4Address v4 = (Inet4Address) InetAddress.getByName("192.0.2.33");
    assertEquals(InetAddress.getByName(expected), Nat64Prefix.parse(prefix).synthesize(v4));
  }

  @ParameterizedTest
  @CsvSource({
      "64:ff9b::/96,           64:ff9b::c000:201",
      "2001:db8:1234::/96,     2001:db8:1234::c000:201",
      "2001:db8:2345::/48,     2001:db8:2345:c000:2:100::"})
  void synthesisesTheAddressesUnboundsScenariosExpect(String prefix, String expected) throws Exception {
    InetAddress v4 = InetAddress.getByName("192.0.2.1");
    assertEquals(InetAddress.getByName(expected), Nat64Prefix.parse(prefix).map(v4));
  }

  @Test
  void theDefaultIsTheWellKnownPrefixAndIpv6AddressesPassUnchanged() throws Exception {
    assertEquals(Nat64Prefix.parse("64:ff9b::/96"), ResolverConfig.defaults().nat64Prefix());
    assertFalse(ResolverConfig.defaults().nat64(), "NAT64 is off by default");
    InetAddress v6 = InetAddress.getByName("2001:db8::53");
    assertEquals(v6, Nat64Prefix.WELL_KNOWN.map(v6));
  }

  @Test
  void anIpv4MappedPrefixLeadsBackToTheIpv4Address() throws Exception {
    // ::ffff:0:0/96 makes the IPv4-mapped address, which sockets send over IPv4: the loopback
    // tests reach 127.0.0.x servers through it.
    assertEquals(InetAddress.getByName("127.0.0.11"),
        Nat64Prefix.parse("::ffff:0:0/96").map(InetAddress.getByName("127.0.0.11")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"64:ff9b::", "64:ff9b::/95", "64:ff9b::/128", "64:ff9b::/x", "192.0.2.0/96",
      "ns.example./96", "64:ff9b::1/96", "2001:db8::/16", "2001:db8:0:0:ff00::/96"})
  void refusesWhatIsNotAnRfc6052Prefix(String bad) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nat64Prefix.parse(bad));
    assertTrue(e.getMessage().contains("NAT64 prefix"), e.getMessage());
  }

  @Test
  void nat64NeedsIpv6() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ResolverConfig.builder().nat64(true).useIpv6(false).build());
    assertTrue(e.getMessage().contains("IPv6"), e.getMessage());
  }
}
