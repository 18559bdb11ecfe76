package dev.namu.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.DnsWire;
import dev.namu.server.NamudServer;
import dev.namu.server.TestZones;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Clients that hold TCP connections without sending whole queries (one byte every few seconds)
 * must not lock other clients out: a query must arrive whole soon after its first byte, one address
 * may hold only so many connections, and a full table makes room by closing its quietest
 * connection (RFC 7766 6.2.3).
 */
class TcpSlowClientsTest {
  /** The pace of the slow clients: one byte this often, below the 10 s idle timeout. */
  private static final long TRICKLE_MS = 4000;

  @TempDir Path zonesDir;

  private NamudServer start(String... flags) throws IOException {
    return TestZones.serve(zonesDir, flags);
  }

  @Test
  void newQueriesAreAnsweredWhileTwiceTheTableTrickles() throws Exception {
    try (NamudServer server = start("--tcp-max-connections", "50")) {
      InetSocketAddress at = server.boundAddresses().get(0);
      List<Long> latencies = new ArrayList<>();
      // 100 slow clients on four addresses (25 each, under the per-address bound), keeping the
      // 50-connection table full: a closed one connects again at once, as an attacker would
      try (Tricklers slow = new Tricklers(at, 100, 4)) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * TRICKLE_MS + 1000);
        while (System.nanoTime() < end) {
          slow.trickleDue();
          long start = System.nanoTime();
          Message reply = tcpQuery(at);
          latencies.add((System.nanoTime() - start) / 1_000_000);
          assertNotNull(reply, "TCP query answered while slow clients fill the table");
          assertEquals(Rcode.NOERROR, reply.getRcode());
          assertEquals(Rcode.NOERROR, DnsWire.udp(at, DnsWire.query("www.example.test.", Type.A)).getRcode());
          Thread.sleep(100); // the pace of the queries, not a wait for the server
        }
        assertTrue(slow.connects() > 100, "the slow clients connected and reconnected: " + slow.connects());
      }
      latencies.sort(null);
      long max = latencies.get(latencies.size() - 1);
      System.out.printf(
          "TcpSlowClientsTest: %d TCP queries beside 100 slow clients, median %d ms, max %d ms%n",
          latencies.size(), latencies.get(latencies.size() / 2), max);
      // Every query was answered (asserted above; before, the slow clients held every slot and a
      // new connection was closed unanswered). The target is 100 ms; on a loaded 2-core machine a
      // single query may wait out a GC pause or a busy loop, so the bound is on the 90th percentile.
      long p90 = latencies.get(latencies.size() * 9 / 10);
      assertTrue(p90 < 1000, "new TCP queries answered within 1 s (90th percentile " + p90 + " ms, max " + max + " ms)");
    }
  }

  @Test
  void aQueryMustArriveWholeSoonAfterItsFirstByte() throws Exception {
    try (NamudServer server = start();
        Socket s = new Socket(server.boundAddresses().get(0).getAddress(), server.boundAddresses().get(0).getPort())) {
      s.setSoTimeout(500);
      InputStream in = s.getInputStream();
      long start = System.nanoTime();
      int read = 0;
      // a byte every 500 ms: never idle for the 10 s idle timeout, yet never a whole query (the
      // first two give a length of 257)
      for (int i = 0; i < 20 && read != -1; i++) {
        try {
          s.getOutputStream().write(1);
          read = in.read();
        } catch (SocketTimeoutException stillOpen) {
          read = 0;
        } catch (IOException reset) {
          read = -1;
        }
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(-1, read, "closed before the query was whole");
      assertTrue(ms < 8000, "closed by the per-message deadline, not the idle timeout: " + ms + " ms");
    }
  }

  @Test
  void oneAddressHoldsAtMostItsShare() throws Exception {
    try (NamudServer server = start("--tcp-max-connections-per-client", "3")) {
      InetSocketAddress at = server.boundAddresses().get(0);
      InetAddress greedy = InetAddress.getByName("127.0.0.2");
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket s = new Socket(at.getAddress(), at.getPort(), greedy, 0);
          held.add(s);
          assertNotNull(query(s), "connection " + (i + 1) + " of 127.0.0.2 answered");
        }
        try (Socket fourth = new Socket(at.getAddress(), at.getPort(), greedy, 0)) {
          assertEquals(null, query(fourth), "a fourth connection from 127.0.0.2 is closed");
        }
        try (Socket other = new Socket(at.getAddress(), at.getPort(), InetAddress.getByName("127.0.0.3"), 0)) {
          assertNotNull(query(other), "another address is still served");
        }
        assertNotNull(query(held.get(0)), "the first three stay open");
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  /** A query on a connection of its own from 127.0.0.1; null when the server closed it. */
  private static Message tcpQuery(InetSocketAddress at) throws IOException {
    try (Socket s = new Socket(at.getAddress(), at.getPort())) {
      return query(s);
    }
  }

  /** A query on this connection; null when the server closed it instead of answering. */
  private static Message query(Socket s) throws IOException {
    s.setSoTimeout(5000);
    try {
      DnsWire.writeFrame(s, DnsWire.query("www.example.test.", Type.A).toWire());
      return new Message(DnsWire.readFrame(s));
    } catch (java.io.EOFException | java.net.SocketException closed) {
      return null;
    }
  }

  /**
   * Slow clients on 127.0.0.2 and up: each sends one byte of a query every {@link #TRICKLE_MS},
   * and connects again when the server closed it.
   */
  private static final class Tricklers implements AutoCloseable {
    private final InetSocketAddress server;
    private final SocketChannel[] channels;
    private final InetAddress[] sources;
    private long nextTrickle;
    private int connects;

    Tricklers(InetSocketAddress server, int count, int addresses) throws IOException {
      this.server = server;
      this.channels = new SocketChannel[count];
      this.sources = new InetAddress[count];
      for (int i = 0; i < count; i++) {
        sources[i] = InetAddress.getByName("127.0.0." + (2 + i % addresses));
        channels[i] = connect(sources[i]);
      }
      nextTrickle = System.nanoTime();
    }

    private SocketChannel connect(InetAddress source) throws IOException {
      SocketChannel c = SocketChannel.open();
      c.bind(new InetSocketAddress(source, 0));
      c.connect(server);
      c.configureBlocking(false);
      connects++;
      return c;
    }

    /** Every {@link #TRICKLE_MS}: one byte on each connection, a new one for each closed. */
    void trickleDue() throws IOException {
      if (System.nanoTime() < nextTrickle) {
        return;
      }
      nextTrickle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TRICKLE_MS);
      ByteBuffer drain = ByteBuffer.allocate(512);
      for (int i = 0; i < channels.length; i++) {
        boolean open;
        try {
          drain.clear();
          open = channels[i].read(drain) >= 0;
          if (open) {
            channels[i].write(ByteBuffer.wrap(new byte[] {1}));
          }
        } catch (IOException reset) {
          open = false;
        }
        if (!open) {
          channels[i].close();
          channels[i] = connect(sources[i]);
          channels[i].write(ByteBuffer.wrap(new byte[] {1}));
        }
      }
    }

    int connects() {
      return connects;
    }

    @Override
    public void close() throws IOException {
      for (SocketChannel c : channels) {
        c.close();
      }
    }
  }
}
