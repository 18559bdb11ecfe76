package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.config.NamudCommandLine;
import dev.namu.zones.store.memory.MemoryZoneStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Stopping namud (what SIGTERM runs) while it starts and while it answers: connections that
 * clients open and close at that moment must not break the stop. Each round races the stop against
 * clients over UDP and TCP, so a window of microseconds is hit within the rounds.
 */
class ShutdownRaceTest {
  private static final int ROUNDS = 20;
  /** Connections held open into the stop and closed by their clients as it runs. */
  private static final int HELD = 50;

  @TempDir Path zonesDir;
  private final ExecutorService clients = Executors.newCachedThreadPool();
  private final AtomicBoolean running = new AtomicBoolean(true);

  @AfterEach
  void stopClients() throws InterruptedException {
    running.set(false);
    clients.shutdownNow();
    assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS), "client threads end");
  }

  private NamudServer launch(String listen) throws IOException {
    return NamudServer.launch(
        NamudCommandLine.parse(
            Hermetic.args("--listen", listen, "--zones", zonesDir.toString(), "--threads", "2")),
        config -> new MemoryZoneStore());
  }

  @Test
  void stopRightAfterStartWhileClientsQueryThePort() throws Exception {
    TestZones.copyTo(zonesDir);
    int port = ToolPorts.freePort();
    InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    // the clients ask the port before, during and after each start, over both transports
    queryLoops(at);
    for (int round = 0; round < ROUNDS; round++) {
      NamudServer server = launch("127.0.0.1:" + port);
      assertDoesNotThrow(server::close, "stop right after start, round " + round);
    }
  }

  @Test
  void stopWhileAnsweringAndClientsHangUp() throws Exception {
    TestZones.copyTo(zonesDir);
    for (int round = 0; round < ROUNDS; round++) {
      NamudServer server = launch("127.0.0.1:0");
      InetSocketAddress at = server.boundAddresses().get(0);
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < HELD; i++) {
        Socket s = new Socket(at.getAddress(), at.getPort());
        s.setSoTimeout(DnsWire.TIMEOUT_MS * 5);
        // answered, so the server has set the connection up before the stop
        DnsWire.writeFrame(s, DnsWire.query("www.example.test.", Type.A).toWire());
        DnsWire.readFrame(s);
        held.add(s);
      }
      AtomicBoolean roundRunning = new AtomicBoolean(true);
      AtomicLong answers = queryLoops(at, roundRunning);
      awaitAnswers(answers);
      CountDownLatch go = new CountDownLatch(1);
      Future<?> hangUp =
          clients.submit(
              () -> {
                go.await();
                for (Socket s : held) {
                  s.close();
                }
                return null;
              });
      go.countDown();
      assertDoesNotThrow(server::close, "stop while answering, round " + round);
      hangUp.get(30, TimeUnit.SECONDS);
      roundRunning.set(false);
      // the listeners are gone: nothing accepts on the port any more
      assertThrows(IOException.class, () -> new Socket(at.getAddress(), at.getPort()).close());
    }
  }

  private AtomicLong queryLoops(InetSocketAddress at) {
    return queryLoops(at, running);
  }

  /** One UDP and two TCP clients asking until {@code until} turns false; counts the answers. */
  private AtomicLong queryLoops(InetSocketAddress at, AtomicBoolean until) {
    AtomicLong answers = new AtomicLong();
    byte[] query = DnsWire.query("www.example.test.", Type.A).toWire();
    clients.submit(
        () -> {
          while (until.get() && running.get()) {
            try {
              if (DnsWire.udp(at, query, 200) != null) {
                answers.incrementAndGet();
              }
            } catch (IOException e) {
              // the server is stopping or not started yet
            }
          }
        });
    for (int t = 0; t < 2; t++) {
      clients.submit(
          () -> {
            while (until.get() && running.get()) {
              try (Socket s = new Socket(at.getAddress(), at.getPort())) {
                s.setSoTimeout(1000);
                DnsWire.writeFrame(s, query);
                DnsWire.readFrame(s);
                answers.incrementAndGet();
              } catch (IOException e) {
                // refused or reset: the server is stopping or not started yet
                pause();
              }
            }
          });
    }
    return answers;
  }

  /** Paces a client between refused connections, so it does not spin a core. */
  private static void pause() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitAnswers(AtomicLong answers) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (answers.get() < 10 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(answers.get() >= 10, "the query loops are answered before the stop");
  }
}
