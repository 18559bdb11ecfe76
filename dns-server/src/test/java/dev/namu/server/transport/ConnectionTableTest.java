package dev.namu.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * Who a TCP connection counts against. Loopback has one IPv6 address, so the /64 rule is checked
 * here rather than over sockets (TcpSlowClientsTest does the per-address bound over IPv4 sockets).
 */
class ConnectionTableTest {

  @Test
  void anIpv6HostCountsAsItsSlash64AndAnIpv4HostAsItsAddress() throws Exception {
    InetAddress one = ConnectionTable.client(InetAddress.getByName("2001:db8:0:7::1"));
    assertEquals(one, ConnectionTable.client(InetAddress.getByName("2001:db8:0:7:ffff:1234:5678:9abc")),
        "every address of one /64 is one client");
    assertNotEquals(one, ConnectionTable.client(InetAddress.getByName("2001:db8:0:8::1")), "the next /64 is another");
    assertEquals(InetAddress.getByName("192.0.2.7"), ConnectionTable.client(InetAddress.getByName("192.0.2.7")));
    assertNotEquals(ConnectionTable.client(InetAddress.getByName("192.0.2.7")),
        ConnectionTable.client(InetAddress.getByName("192.0.2.8")));
  }
}
