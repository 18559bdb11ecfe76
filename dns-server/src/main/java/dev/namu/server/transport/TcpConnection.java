package dev.namu.server.transport;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open TCP connection as the {@link ConnectionTable} sees it: its client, when it was last
 * heard from, and how many of its queries still wait for their answer. Updated by the connection's
 * event loop (and by the resolver's threads for deferred answers), read by whichever loop admits a
 * new connection.
 */
final class TcpConnection {
  private final Channel channel;
  private final InetAddress client;
  private final AtomicInteger owed = new AtomicInteger();
  private volatile long lastHeard = System.nanoTime();

  TcpConnection(Channel channel, InetAddress client) {
    this.channel = channel;
    this.client = client;
  }

  Channel channel() {
    return channel;
  }

  InetAddress client() {
    return client;
  }

  /** Bytes came in. */
  void heard() {
    lastHeard = System.nanoTime();
  }

  /** A whole query came in; its answer is owed until {@link #answered}. */
  void queryRead() {
    owed.incrementAndGet();
  }

  /** A query's answer was written, or it gets none. */
  void answered() {
    owed.decrementAndGet();
    lastHeard = System.nanoTime();
  }

  /**
   * Idle for RFC 7766 6.2.3: no answer owed, so closing it loses no query of the client's (a query
   * it is still sending is lost; it was sent too slowly to matter, or the client resends it).
   */
  boolean idle() {
    return owed.get() == 0;
  }

  long lastHeard() {
    return lastHeard;
  }
}
