package dev.namu.server.ratelimit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Queries sent from one UDP socket as fast as it goes, a bounded number, with a thread that takes
 * every reply as it comes (so none is lost to a full socket buffer).
 */
final class UdpFlood implements AutoCloseable {
  private final DatagramSocket socket;
  private final InetSocketAddress server;
  private final ConcurrentLinkedQueue<byte[]> replies = new ConcurrentLinkedQueue<>();
  private final Semaphore arrived = new Semaphore(0);
  private final Thread reader;
  private long bytesSent;
  /** Replies the test thread has waited for so far. */
  private int taken;

  UdpFlood(InetSocketAddress server) throws IOException {
    this.server = server;
    this.socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
    socket.setReceiveBufferSize(4 << 20);
    reader = new Thread(this::read, "udp-flood-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    byte[] buf = new byte[65535];
    while (true) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (IOException e) {
        return;
      }
      replies.add(Arrays.copyOf(buf, p.getLength()));
      arrived.release();
    }
  }

  /** Sends {@code query} {@code count} times, each with its own ID. */
  void send(byte[] query, int count) throws IOException {
    byte[] q = query.clone();
    for (int i = 0; i < count; i++) {
      q[0] = (byte) (i >> 8);
      q[1] = (byte) i;
      socket.send(new DatagramPacket(q, q.length, server));
      bytesSent += q.length;
    }
  }

  /** Sends each query once. */
  void sendEach(List<byte[]> queries) throws IOException {
    for (byte[] q : queries) {
      socket.send(new DatagramPacket(q, q.length, server));
      bytesSent += q.length;
    }
  }

  /** Waits until {@code total} replies have come in all; false when they did not in {@code seconds}. */
  boolean await(int total, int seconds) throws InterruptedException {
    int need = total - taken;
    if (need <= 0) {
      return true;
    }
    if (!arrived.tryAcquire(need, seconds, TimeUnit.SECONDS)) {
      return false;
    }
    taken = total;
    return true;
  }

  List<byte[]> replies() {
    return List.copyOf(replies);
  }

  long bytesSent() {
    return bytesSent;
  }

  @Override
  public void close() throws SocketException {
    socket.close();
  }
}
