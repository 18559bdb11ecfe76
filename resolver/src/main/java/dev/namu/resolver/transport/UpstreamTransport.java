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
 * (RFC 5452 section 3); anything else is ignored, and the wait goes on until the timeout. The
 * future completes exceptionally with {@link UpstreamException} on timeout or network error.
 */
public interface UpstreamTransport extends AutoCloseable {

  /** Transport protocol of one query. */
  enum Protocol { UDP, TCP }

  CompletableFuture<Message> send(InetSocketAddress server, Message query, Protocol protocol, Duration timeout);

  /** Replies that were dropped because address, port, ID or question did not match. */
  default long rejectedReplies() {
    return 0;
  }

  @Override
  default void close() {}
}
