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
 * touches the network. The runner and most of the resolver's continuations run on the runner's
 * thread; dnsjava's validator continues some of its steps on pool threads, so a query may come
 * from one of those: the lists are synchronised, and {@link #awaitChange} lets the runner wait
 * for such a query.
 */
final class FakeUpstream implements UpstreamTransport {

  /** One outstanding upstream query. */
  record Pending(InetSocketAddress server, Message query, Protocol protocol, CompletableFuture<Message> reply) {}

  private final List<Pending> pending = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<Pending> sent = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Object changes = new Object();
  private final java.util.concurrent.atomic.AtomicInteger nextId = new java.util.concurrent.atomic.AtomicInteger(1);

  @Override
  public CompletableFuture<Message> send(InetSocketAddress server, Message query, Protocol protocol, Duration timeout) {
    // Deterministic IDs keep replays reproducible; the real transport uses SecureRandom.
    query.getHeader().setID(nextId.getAndIncrement() & 0xffff);
    Pending p = new Pending(server, query, protocol, new CompletableFuture<>());
    pending.add(0, p);
    sent.add(p);
    changed();
    return p.reply();
  }

  /** Wakes a runner in {@link #awaitChange}: a query was sent or an answer came. */
  void changed() {
    synchronized (changes) {
      changes.notifyAll();
    }
  }

  /**
   * Waits until {@code done} holds, at most {@code millis}: the runner's wait for work the
   * resolver finishes on another thread (a validation step) before it moves to the next step.
   */
  void awaitChange(java.util.function.BooleanSupplier done, long millis) {
    long end = System.nanoTime() + millis * 1_000_000L;
    synchronized (changes) {
      while (!done.getAsBoolean()) {
        long left = (end - System.nanoTime()) / 1_000_000L;
        if (left <= 0) return;
        try {
          changes.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  List<Pending> pending() {
    return pending;
  }

  /** Every query sent so far (for CHECK_OUT_QUERY and tests). */
  List<Pending> sent() {
    return sent;
  }
}
