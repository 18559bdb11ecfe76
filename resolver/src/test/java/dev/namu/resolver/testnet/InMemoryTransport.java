package dev.namu.resolver.testnet;

import dev.namu.resolver.transport.UpstreamException;
import dev.namu.resolver.transport.UpstreamTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Message;

/**
 * Delivers upstream queries to {@link MiniAuthority} servers by address, in memory, completing
 * at once (on the caller's thread). Addresses without a server time out immediately.
 */
public final class InMemoryTransport implements UpstreamTransport {
  private final Map<InetAddress, MiniAuthority> servers = new ConcurrentHashMap<>();
  private final List<String> log = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  public InMemoryTransport add(String address, MiniAuthority server) {
    try {
      servers.put(InetAddress.getByName(address), server);
    } catch (IOException e) {
      throw new IllegalArgumentException(address, e);
    }
    return this;
  }

  /** "address qname/TYPE" of every query sent, in order. */
  public List<String> log() {
    return log;
  }

  @Override
  public CompletableFuture<Message> send(InetSocketAddress server, Message query, Protocol protocol, Duration timeout) {
    log.add(server.getAddress().getHostAddress() + " " + query.getQuestion().getName() + "/"
        + org.xbill.DNS.Type.string(query.getQuestion().getType()) + (protocol == Protocol.TCP ? " tcp" : ""));
    MiniAuthority s = servers.get(server.getAddress());
    if (s == null) {
      return CompletableFuture.failedFuture(new UpstreamException(UpstreamException.Kind.TIMEOUT, "nothing at " + server));
    }
    Message reply = s.handle(query, protocol == Protocol.TCP);
    if (reply == null) {
      return CompletableFuture.failedFuture(new UpstreamException(UpstreamException.Kind.TIMEOUT, "no reply from " + server));
    }
    try {
      return CompletableFuture.completedFuture(new Message(reply.toWire()));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
