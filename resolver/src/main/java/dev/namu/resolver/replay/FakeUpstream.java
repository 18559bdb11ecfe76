package dev.namu.resolver.replay;

import dev.namu.resolver.transport.UpstreamTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * The upstream of a replay: queries are parked as pending (newest first, as testbound keeps
 * them) until the runner answers them from a RANGE entry or a REPLY/TIMEOUT step. Nothing
 * touches the network. Single-threaded: the runner and the resolver's continuations run on
 * the runner's thread.
 */
final class FakeUpstream implements UpstreamTransport {

  /** One outstanding upstream query. */
  record Pending(InetSocketAddress server, Message query, Protocol protocol, CompletableFuture<Message> reply) {}

  private final List<Pending> pending = new ArrayList<>();
  private final List<Pending> sent = new ArrayList<>();
  private int nextId = 1;

  @Override
  public CompletableFuture<Message> send(InetSocketAddress server, Message query, Protocol protocol, Duration timeout) {
    // Deterministic IDs keep replays reproducible; the real transport uses SecureRandom.
    query.getHeader().setID(nextId++ & 0xffff);
    Pending p = new Pending(server, query, protocol, new CompletableFuture<>());
    pending.add(0, p);
    sent.add(p);
    return p.reply();
  }

  List<Pending> pending() {
    return pending;
  }

  /** Every query sent so far (for CHECK_OUT_QUERY and tests). */
  List<Pending> sent() {
    return sent;
  }
}
