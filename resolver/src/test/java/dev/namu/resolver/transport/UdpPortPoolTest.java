package dev.namu.resolver.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The UDP port pool over real loopback sockets: a small server on 127.0.0.1 answers (or forges,
 * or stays silent) and the pool's RFC 5452 defences and bounds are checked from what it sees.
 */
class UdpPortPoolTest {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) c.close();
  }

  /** A loopback server thread; {@code handler} gets each query and where it came from. */
  private InetSocketAddress server(BiConsumer<DatagramPacket, DatagramSocket> handler) throws Exception {
    DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    open.add(s);
    Thread t = new Thread(() -> {
      byte[] buf = new byte[4096];
      while (!s.isClosed()) {
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          s.receive(p);
          handler.accept(p, s);
        } catch (SocketException closed) {
          return;
        } catch (Exception e) {
          // a test server: drop what it cannot handle
        }
      }
    }, "pool-test-server");
    t.setDaemon(true);
    t.start();
    return (InetSocketAddress) s.getLocalSocketAddress();
  }

  private UdpPortPool pool(int ports, int reuse, AtomicLong rejected) throws Exception {
    UdpPortPool pool = new UdpPortPool(1, ports, reuse, rejected);
    open.add(pool);
    return pool;
  }

  private static Message query(String name) throws Exception {
    return Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
  }

  private static Message answer(Message q, String address) throws Exception {
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.addRecord(q.getQuestion(), Section.QUESTION);
    r.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 60, InetAddress.getByName(address)), Section.ANSWER);
    return r;
  }

  private static void send(DatagramSocket from, Message m, java.net.SocketAddress to) {
    try {
      byte[] w = m.toWire();
      from.send(new DatagramPacket(w, w.length, to));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Message parse(DatagramPacket p) {
    try {
      return new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void portsAreRandomReusedAtMostTheLimitAndIdsVary() throws Exception {
    Map<Integer, Integer> perPort = new HashMap<>();
    Set<Integer> ids = new HashSet<>();
    InetSocketAddress srv = server((p, s) -> {
      Message q = parse(p);
      synchronized (perPort) {
        perPort.merge(p.getPort(), 1, Integer::sum);
        ids.add(q.getHeader().getID());
      }
      try {
        send(s, answer(q, "192.0.2.1"), p.getSocketAddress());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    UdpPortPool pool = pool(4, 3, new AtomicLong());
    for (int i = 0; i < 60; i++) {
      CompletableFuture<Message> f = new CompletableFuture<>();
      pool.send(srv, query("q" + i + ".example."), Duration.ofSeconds(2), false, f);
      Message reply = f.get(5, TimeUnit.SECONDS);
      assertEquals(Name.fromString("q" + i + ".example."), reply.getQuestion().getName());
    }
    synchronized (perPort) {
      assertTrue(perPort.values().stream().allMatch(n -> n <= 3), "a port carried more than 3 queries: " + perPort);
      assertTrue(perPort.size() >= 20, "ports must be renewed: only " + perPort.size() + " for 60 queries");
      assertTrue(ids.size() >= 55, "IDs must be random: " + ids.size() + " distinct of 60");
    }
  }

  @Test
  void forgedRepliesAreIgnoredAndTheRealOneAccepted() throws Exception {
    DatagramSocket forger = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    open.add(forger);
    InetSocketAddress srv = server((p, s) -> {
      try {
        Message q = parse(p);
        // 1: right ID and question, wrong source port (an off-path spoofer)
        send(forger, answer(q, "6.6.6.6"), p.getSocketAddress());
        // 2: right source, wrong ID
        Message wrongId = answer(q, "6.6.6.6");
        wrongId.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
        send(s, wrongId, p.getSocketAddress());
        // 3: right source and ID, another question
        Message wrongQ = answer(query("other.example."), "6.6.6.6");
        wrongQ.getHeader().setID(q.getHeader().getID());
        send(s, wrongQ, p.getSocketAddress());
        // 4: a runt
        s.send(new DatagramPacket(new byte[5], 5, p.getSocketAddress()));
        // 5: the real reply
        send(s, answer(q, "192.0.2.7"), p.getSocketAddress());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    AtomicLong rejected = new AtomicLong();
    UdpPortPool pool = pool(8, 64, rejected);
    CompletableFuture<Message> f = new CompletableFuture<>();
    pool.send(srv, query("www.example."), Duration.ofSeconds(2), false, f);
    Message reply = f.get(5, TimeUnit.SECONDS);
    assertEquals("192.0.2.7", ((ARecord) reply.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (rejected.get() < 4 && System.nanoTime() - deadline < 0) Thread.onSpinWait();
    assertEquals(4, rejected.get());
  }

  @Test
  void silentServerTimesOut() throws Exception {
    InetSocketAddress srv = server((p, s) -> { });
    UdpPortPool pool = pool(2, 64, new AtomicLong());
    CompletableFuture<Message> f = new CompletableFuture<>();
    long t0 = System.nanoTime();
    pool.send(srv, query("slow.example."), Duration.ofMillis(100), false, f);
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> f.get(5, TimeUnit.SECONDS));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    UpstreamException ue = assertInstanceOf(UpstreamException.class, e.getCause());
    assertEquals(UpstreamException.Kind.TIMEOUT, ue.kind());
    assertTrue(ms >= 100 && ms < 2000, "timed out after " + ms + " ms");
  }

  @Test
  void manyConcurrentQueriesShareABoundedSetOfSockets() throws Exception {
    InetSocketAddress srv = server((p, s) -> send(s, parseAndAnswer(p), p.getSocketAddress()));
    UdpPortPool pool = pool(16, 1000, new AtomicLong());
    // 20 senders, 50 queries each, one at a time (the test server's socket buffer bounds the burst)
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(20);
    open.add(threads::shutdownNow);
    List<CompletableFuture<Void>> senders = new ArrayList<>();
    for (int t = 0; t < 20; t++) {
      int sender = t;
      senders.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 50; i++) {
          try {
            CompletableFuture<Message> f = new CompletableFuture<>();
            String name = "n" + sender + "-" + i + ".example.";
            pool.send(srv, query(name), Duration.ofSeconds(5), false, f);
            assertEquals(Name.fromString(name), f.get(10, TimeUnit.SECONDS).getQuestion().getName());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      }, threads));
    }
    CompletableFuture.allOf(senders.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
    assertTrue(pool.socketsInService() <= 16, "sockets in service " + pool.socketsInService());
    // senders racing for an empty slot may each open one; the losers' sockets are retired
    assertTrue(pool.openSockets() <= 16 + 20, "open sockets " + pool.openSockets());
  }

  private static Message parseAndAnswer(DatagramPacket p) {
    try {
      return answer(parse(p), "192.0.2.9");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void closingFailsWhatIsOutstanding() throws Exception {
    InetSocketAddress srv = server((p, s) -> { });
    UdpPortPool pool = new UdpPortPool(1, 2, 64, new AtomicLong());
    CompletableFuture<Message> f = new CompletableFuture<>();
    pool.send(srv, query("pending.example."), Duration.ofSeconds(30), false, f);
    pool.close();
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> f.get(5, TimeUnit.SECONDS));
    assertInstanceOf(UpstreamException.class, e.getCause());
    CompletableFuture<Message> after = new CompletableFuture<>();
    pool.send(srv, query("late.example."), Duration.ofSeconds(1), false, after);
    assertTrue(after.isCompletedExceptionally());
  }
}
