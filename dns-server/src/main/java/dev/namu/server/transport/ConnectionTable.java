package dev.namu.server.transport;

import io.netty.channel.Channel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open TCP connections, bounded in all and per client (an address; a /64 for IPv6). A new connection over the
 * total takes the place of the connection idle the longest (RFC 7766 6.2.3: "servers may close
 * idle connections" to free resources), so clients that connect and go quiet, or send a byte now
 * and then, cannot lock new clients out; it is refused only when every connection owes an answer.
 */
final class ConnectionTable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionTable.class);

  private final int max;
  private final int maxPerClient;
  private final Set<TcpConnection> open = new HashSet<>();
  private final Map<InetAddress, Integer> perClient = new HashMap<>();

  ConnectionTable(int max, int maxPerClient) {
    this.max = max;
    this.maxPerClient = maxPerClient;
  }

  /**
   * Admits a new connection, closing the one idle the longest when the table is full.
   *
   * @return the connection's entry, or null when it may not be admitted (its client holds its
   *     share, or every connection owes an answer)
   */
  TcpConnection admit(Channel channel, InetAddress address) {
    InetAddress client = client(address);
    TcpConnection admitted = new TcpConnection(channel, client);
    TcpConnection evicted = null;
    synchronized (this) {
      if (perClient.getOrDefault(client, 0) >= maxPerClient) {
        log.debug("{} holds {} TCP connections, its most; closing the new one", client, maxPerClient);
        return null;
      }
      if (open.size() >= max) {
        evicted = longestIdle();
        if (evicted == null) {
          log.debug("TCP connection limit {} reached, every connection busy; closing {}", max, channel);
          return null;
        }
        remove(evicted);
      }
      open.add(admitted);
      perClient.merge(client, 1, Integer::sum);
    }
    if (evicted != null) {
      log.debug("TCP connection limit {} reached; closing the connection idle longest, {}", max,
          evicted.channel());
      evicted.channel().close();
    }
    return admitted;
  }

  /**
   * Who a connection counts against: its address, or for IPv6 its /64, the smallest network one
   * host is given (RFC 6177), which it may fill with as many addresses as it likes.
   */
  static InetAddress client(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
    Arrays.fill(prefix, 8, 16, (byte) 0);
    try {
      return InetAddress.getByAddress(prefix);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible); // 16 bytes are always an address
    }
  }

  /** Forgets a closed connection (again, harmlessly, for one already made room for). */
  synchronized void release(TcpConnection connection) {
    remove(connection);
  }

  synchronized int size() {
    return open.size();
  }

  private TcpConnection longestIdle() {
    TcpConnection oldest = null;
    for (TcpConnection c : open) {
      // nanoTime values compare by their difference (System.nanoTime may wrap)
      if (c.idle() && (oldest == null || c.lastHeard() - oldest.lastHeard() < 0)) {
        oldest = c;
      }
    }
    return oldest;
  }

  private void remove(TcpConnection connection) {
    if (open.remove(connection)) {
      perClient.computeIfPresent(connection.client(), (a, n) -> n == 1 ? null : n - 1);
    }
  }
}
