package dev.namu.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.namu.server.TestZones;
import dev.namu.server.intake.Transport;
import dev.namu.server.intake.WireHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * Any bytes through the query pipeline the transports call, over both transports: a reply that
 * dnsjava parses, with the query's ID and QR set, within the UDP size, or nothing for a runt or a
 * response; never an exception, an internal error or a packet that takes seconds.
 */
class PipelineFuzzTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
  /** The longest one packet may take (it takes microseconds; generous for a loaded machine). */
  private static final long BOUND_SECONDS = 10;

  private final ExecutorService worker = Executors.newSingleThreadExecutor();

  @TempDir Path zonesDir;
  private QueryProcessor processor;
  private ReplyCounters counters;

  @BeforeEach
  void setUp() throws IOException {
    counters = new ReplyCounters();
    processor = TestZones.pipeline(zonesDir, counters);
  }

  @AfterEach
  void stop() {
    worker.shutdownNow();
  }

  @FuzzTest(maxDuration = "3m")
  void anyPacket(byte[] packet) throws Exception {
    if (packet == null) {
      return;
    }
    for (Transport transport : Transport.values()) {
      // on a worker, so that a packet the pipeline loops on fails here instead of stalling the run
      Future<Reply> reply =
          worker.submit(() -> processor.process(packet, transport, PEER, UnpooledByteBufAllocator.DEFAULT));
      try {
        check(packet, transport, reply.get(BOUND_SECONDS, TimeUnit.SECONDS));
      } catch (TimeoutException e) {
        throw new AssertionError("no reply within " + BOUND_SECONDS + " s over " + transport);
      }
    }
    assertEquals(0, counters.internalErrorCount(), "no internal error");
  }

  private void check(byte[] packet, Transport transport, Reply reply) {
    if (reply instanceof Reply.None) {
      assertTrue(packet.length < WireHeader.LENGTH || WireHeader.isResponse(packet), "a query dropped");
      return;
    }
    assertTrue(reply instanceof Reply.Now, "a query answers at once here: " + reply);
    ByteBuf buf = ((Reply.Now) reply).wire();
    byte[] wire = ByteBufUtil.getBytes(buf);
    buf.release();
    Message m;
    try {
      m = new Message(wire);
    } catch (IOException e) {
      throw new AssertionError("the reply does not parse: " + e.getMessage());
    }
    assertEquals(WireHeader.id(packet), m.getHeader().getID(), "the query's ID");
    assertTrue(m.getHeader().getFlag(Flags.QR), "QR set");
    if (transport == Transport.UDP) {
      assertTrue(wire.length <= 1232, "UDP reply of " + wire.length);
    }
  }
}
