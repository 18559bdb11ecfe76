package dev.namu.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.pipeline.ReplyCounters;
import dev.namu.zones.registry.ZoneRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class ListenersTest {
  private static dev.namu.server.pipeline.QueryProcessor processor() {
    return NamudServer.processor(
        new ZoneRegistry(), (z, n, t) -> Optional.empty(), null, new ReplyCounters());
  }

  @Test
  void withEpollEveryLoopGetsItsOwnUdpSocketOnTheSamePort() throws IOException {
    try (EventLoops loops = EventLoops.create(3)) {
      Listeners listeners =
          Listeners.open(
              loops,
              List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
              TcpSettings.defaults(),
              processor(),
              f -> false);
      try {
        assertEquals(loops.epoll() ? 3 : 1, listeners.udpSocketCount());
        InetSocketAddress a = listeners.boundAddresses().get(0);
        // whichever socket the kernel picks, the query is answered; many client ports spread them
        for (int i = 0; i < 12; i++) {
          assertEquals(Rcode.REFUSED, DnsWire.udp(a, DnsWire.query("x.test.", Type.A)).getRcode());
        }
        assertEquals(Rcode.REFUSED, DnsWire.tcp(a, DnsWire.query("x.test.", Type.A)).getRcode());
      } finally {
        listeners.close();
      }
    }
  }

  @Test
  void tcpPortTakenIsReportedAsInUse() throws IOException {
    try (EventLoops loops = EventLoops.create(1);
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ListenFailure f =
          assertThrows(
              ListenFailure.class,
              () ->
                  Listeners.open(
                      loops,
                      List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort())),
                      TcpSettings.defaults(),
                      processor(),
                      x -> false));
      assertEquals(ListenFailure.Reason.ADDRESS_IN_USE, f.reason());
      assertEquals("TCP", f.protocol());
      assertTrue(f.getMessage().contains("address in use"), f.getMessage());
    }
  }
}
