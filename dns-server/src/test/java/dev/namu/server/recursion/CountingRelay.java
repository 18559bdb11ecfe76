package dev.namu.server.recursion;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay in front of one name server that counts the queries it passes on: what a test
 * reads to know how often a resolver asked that server. One query at a time, which is all a
 * test's few questions need.
 */
final class CountingRelay implements AutoCloseable {
  private static final int UPSTREAM_TIMEOUT_MS = 5_000;

  private final DatagramSocket socket;
  private final InetSocketAddress server;
  private final AtomicLong queries = new AtomicLong();
  private final Thread thread;

  CountingRelay(InetSocketAddress listen, InetSocketAddress server) throws IOException {
    this.socket = new DatagramSocket(listen);
    this.server = server;
    this.thread = new Thread(this::run, "relay-" + listen);
    thread.setDaemon(true);
    thread.start();
  }

  long queries() {
    return queries.get();
  }

  private void run() {
    byte[] buf = new byte[65535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        socket.receive(in);
        queries.incrementAndGet();
        SocketAddress client = in.getSocketAddress();
        try (DatagramSocket up = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0))) {
          up.setSoTimeout(UPSTREAM_TIMEOUT_MS);
          up.send(new DatagramPacket(in.getData(), in.getLength(), server));
          byte[] reply = new byte[65535];
          DatagramPacket back = new DatagramPacket(reply, reply.length);
          up.receive(back);
          socket.send(new DatagramPacket(reply, back.getLength(), client));
        } catch (SocketTimeoutException e) {
          // the resolver asks again, as it would a server that lost the datagram
        }
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
