package dev.namu.server.recursion;

import dev.namu.server.net.AddressRange;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ACL's copy-free IPv4 check agrees with the byte-wise one for every prefix length. */
class RecursionAclTest {

  @Test
  void ipv4CheckAgreesWithTheBytewiseOne() throws Exception {
    Random random = new Random(5);
    int checked = 0;
    int allowedSeen = 0;
    for (int round = 0; round < 200; round++) {
      List<AddressRange> ranges = new ArrayList<>();
      byte[] base = new byte[4];
      random.nextBytes(base);
      for (int i = 0; i < 3; i++) {
        byte[] net = base.clone();
        net[3 - i] ^= (byte) random.nextInt(256);
        ranges.add(new AddressRange(InetAddress.getByAddress(net), random.nextInt(33)));
      }
      ranges.add(AddressRange.parse("fc00::/7"));
      RecursionAcl acl = new RecursionAcl(ranges);
      for (int j = 0; j < 50; j++) {
        byte[] a = base.clone();
        a[3 - random.nextInt(4)] ^= (byte) random.nextInt(256);
        InetAddress client = InetAddress.getByAddress(a);
        boolean expected = ranges.stream().anyMatch(r -> r.contains(client.getAddress()));
        assertEquals(expected, acl.allows(client), client + " in " + ranges);
        checked++;
        allowedSeen += expected ? 1 : 0;
      }
    }
    assertTrue(allowedSeen > 100 && allowedSeen < checked - 100, "both verdicts: " + allowedSeen + "/" + checked);
  }

  @Test
  void defaultsAllowPrivateAndLoopbackOnly() throws Exception {
    RecursionAcl acl = RecursionAcl.defaults();
    assertTrue(acl.allows(InetAddress.getByName("127.0.0.1")));
    assertTrue(acl.allows(InetAddress.getByName("10.200.3.4")));
    assertTrue(acl.allows(InetAddress.getByName("172.31.255.255")));
    assertFalse(acl.allows(InetAddress.getByName("172.32.0.1")));
    assertTrue(acl.allows(InetAddress.getByName("192.168.1.1")));
    assertFalse(acl.allows(InetAddress.getByName("8.8.8.8")));
    assertTrue(acl.allows(InetAddress.getByName("::1")));
    assertFalse(acl.allows(InetAddress.getByName("2001:db8::1")));
    assertTrue(acl.allows(InetAddress.getByName("0.0.0.0")) == false);
    assertTrue(new RecursionAcl(List.of(AddressRange.parse("0.0.0.0/0"))).allows(InetAddress.getByName("203.0.113.9")));
  }
}
