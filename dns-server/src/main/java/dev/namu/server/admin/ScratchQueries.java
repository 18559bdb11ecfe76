package dev.namu.server.admin;

import dev.namu.server.NamudServer;
import dev.namu.server.auth.PreparedAnswers;
import dev.namu.server.pipeline.ReplyCounters;
import dev.namu.server.transport.EventLoops;
import dev.namu.server.transport.Listeners;
import dev.namu.server.transport.TcpSettings;
import dev.namu.zones.registry.ZoneRegistry;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The query path run on scratch data at start (part of {@link EditWarmup}): a UDP and TCP listener
 * of its own on an ephemeral loopback port, with its own event loop, pipeline, prepared answers and
 * counters, over the warm-up's scratch zones, asked by a client socket of its own. The first query a
 * fresh JVM answers costs tens of milliseconds (classes loaded, code run interpreted); an edit
 * checked by a query right after start would see that as its time to become visible. Nothing of it
 * reaches the real listeners, counters, query log or metrics.
 */
final class ScratchQueries implements AutoCloseable {

  /** Longest a scratch query waits for its answer: on a loaded machine, not a stall of the warm-up. */
  private static final Duration ANSWER_WAIT = Duration.ofSeconds(1);

  private final EventLoops loops;
  private final Listeners listeners;
  private final DatagramSocket client;
  private final InetSocketAddress server;
  private final byte[] buffer = new byte[4096];
  private int id;
  private int asked;

  private ScratchQueries(EventLoops loops, Listeners listeners, DatagramSocket client, InetSocketAddress server) {
    this.loops = loops;
    this.listeners = listeners;
    this.client = client;
    this.server = server;
  }

  /** Serves {@code registry}'s zones on an ephemeral loopback port until closed. */
  static ScratchQueries serve(ZoneRegistry registry) throws IOException {
    EventLoops loops = EventLoops.create(1);
    Listeners listeners = null;
    try {
      listeners = Listeners.open(loops, List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
          TcpSettings.defaults(), NamudServer.processor(registry, NamudServer.zoneLookup(),
              new PreparedAnswers(registry::current, PreparedAnswers.DEFAULT_MAX_BYTES), new ReplyCounters()),
          failure -> false);
      DatagramSocket client = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      client.setSoTimeout((int) ANSWER_WAIT.toMillis());
      return new ScratchQueries(loops, listeners, client, listeners.boundAddresses().get(0));
    } catch (IOException | RuntimeException e) {
      if (listeners != null) {
        listeners.close();
      }
      loops.close();
      throw e;
    }
  }

  /** Asks one question over UDP and waits for its answer; false when none came in time. */
  boolean ask(Name name, int type) throws IOException {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    int qid = id++ & 0xffff;
    query.getHeader().setID(qid);
    byte[] wire = query.toWire();
    client.send(new DatagramPacket(wire, wire.length, server));
    asked++;
    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
    try {
      while (true) { // a late answer to an earlier question is skipped by its ID
        client.receive(in);
        if (in.getLength() >= 2 && ((buffer[0] & 0xff) << 8 | buffer[1] & 0xff) == qid) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /** Questions asked so far. */
  int asked() {
    return asked;
  }

  @Override
  public void close() {
    client.close();
    listeners.close();
    loops.close();
  }
}
