package dev.namu.server.transport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class ListenersTest {
  /** Rounds and connections of the stop race: on the code before the fix, the NPE came within 40 rounds. */
  private static final int STOP_ROUNDS = 200;
  private static final int HELD_CONNECTIONS = 40;

  private static dev.namu.server.pipeline.QueryProcessor processor() {
    return NamudServer.processor(
        new ZoneRegistry(), (z, n, t) -> Optional.empty(), null, new ReplyCounters());
  }

  /** Listeners on a free loopback port, answering REFUSED to everything. */
  private static Listeners onLoopback(EventLoops loops) throws IOException {
    return Listeners.open(
        loops,
        List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
        TcpSettings.defaults(),
        processor(),
        f -> false);
  }

  @Test
  void withEpollEveryLoopGetsItsOwnUdpSocketOnTheSamePort() throws IOException {
    try (EventLoops loops = EventLoops.create(3)) {
      Listeners listeners = onLoopback(loops);
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

  /**
   * Clients hanging up while the listeners stop (what SIGTERM runs): the connections close on their
   * event loops as the stop goes through them. The window is small, so many rounds with many
   * connections each; the stop must never fail, and every connection must end.
   */
  @Test
  void stopWhileClientsHangUpNeverFails() throws Exception {
    byte[] query = DnsWire.query("x.test.", Type.A).toWire();
    ExecutorService hangUps = Executors.newSingleThreadExecutor();
    try (EventLoops loops = EventLoops.create(2)) {
      for (int round = 0; round < STOP_ROUNDS; round++) {
        Listeners listeners = onLoopback(loops);
        InetSocketAddress a = listeners.boundAddresses().get(0);
        List<Socket> held = new ArrayList<>();
        try {
          for (int i = 0; i < HELD_CONNECTIONS; i++) {
            Socket s = new Socket(a.getAddress(), a.getPort());
            s.setSoTimeout(DnsWire.TCP_TIMEOUT_MS);
            DnsWire.writeFrame(s, query);
            DnsWire.readFrame(s); // answered: the server has set the connection up
            held.add(s);
          }
          Future<?> hangUp = hangUps.submit(() -> {
            for (Socket s : held) {
              s.close();
            }
            return null;
          });
          final int r = round;
          assertDoesNotThrow(
              () -> listeners.stop(Duration.ofSeconds(1)), "stop, round " + r);
          hangUp.get(30, TimeUnit.SECONDS);
        } finally {
          for (Socket s : held) {
            s.close();
          }
          listeners.close();
        }
      }
    } finally {
      hangUps.shutdownNow();
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
