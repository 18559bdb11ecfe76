package dev.namu.resolver.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * Sends one query to one server and completes with its reply.
 *
 * <p>The transport owns the query's ID: it sets a fresh random one (RFC 5452 section 9.2) and
 * accepts only a reply from the queried address and port with that ID and the same question
 * (RFC 5452 section 3), in the same case when the name was sent in random case; anything else is
 * ignored, and the wait goes on until the timeout. The
 * future completes exceptionally with {@link UpstreamException} on timeout or network error.
 */
public interface UpstreamTransport extends AutoCloseable {

  /** Transport protocol of one query. */
  enum Protocol { UDP, TCP }

  CompletableFuture<Message> send(InetSocketAddress server, Message query, Protocol protocol, Duration timeout);

  /**
   * As {@link #send(InetSocketAddress, Message, Protocol, Duration)}; with {@code randomCase} the
   * question name goes out with its letters in random case (draft-vixie-dnsext-dns0x20) and only a
   * reply that repeats that case is accepted. When the only replies repeated the name in another
   * case, the future fails with {@link UpstreamException.Kind#CASE_MISMATCH}. The reply's question
   * reads back in the query's own case. A transport that cannot (a replay's fake) sends the name
   * as given.
   */
  default CompletableFuture<Message> send(InetSocketAddress server, Message query, Protocol protocol,
      Duration timeout, boolean randomCase) {
    return send(server, query, protocol, timeout);
  }

  /** Replies that were dropped because address, port, ID or question (or its case) did not match. */
  default long rejectedReplies() {
    return 0;
  }

  @Override
  default void close() {}
}
