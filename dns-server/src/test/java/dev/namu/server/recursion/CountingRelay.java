package dev.namu.server.recursion;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay in front of one name server that counts the queries it passes on: what a test
 * reads to know how often a resolver asked that server. One query at a time, which is all a
 * test's few questions need. It can drop the queries of one type instead, as a server that
 * does not answer them.
 */
final class CountingRelay implements AutoCloseable {
  private static final int UPSTREAM_TIMEOUT_MS = 5_000;

  private final DatagramSocket socket;
  private final InetSocketAddress server;
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** The query type dropped, or -1. */
  private final AtomicInteger dropType = new AtomicInteger(-1);
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

  /** The queries dropped so far. */
  long dropped() {
    return dropped.get();
  }

  /** From now on, queries of {@code qtype} get no reply (-1: every query is passed on). */
  void drop(int qtype) {
    dropType.set(qtype);
  }

  /** The query type of a DNS query in {@code data} (after its question name), or -1. */
  private static int qtype(byte[] data, int length) {
    int at = 12;
    while (at < length && data[at] != 0) {
      at += (data[at] & 0xff) + 1;
    }
    return at + 2 < length ? ((data[at + 1] & 0xff) << 8) | (data[at + 2] & 0xff) : -1;
  }

  private void run() {
    byte[] buf = new byte[65535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        socket.receive(in);
        int drop = dropType.get();
        if (drop >= 0 && qtype(in.getData(), in.getLength()) == drop) {
          dropped.incrementAndGet();
          continue;
        }
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
