package dev.namu.server.transport;

import dev.namu.server.intake.Transport;
import dev.namu.server.pipeline.QueryProcessor;
import dev.namu.server.pipeline.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the length-framed queries of one TCP connection (RFC 7766), or of one DNS over TLS
 * connection behind its TLS handler (RFC 7858 3.3: the same framing and pipelining): many queries per connection,
 * each answered as soon as it is ready, so pipelined queries get pipelined answers (6.2.1.1); the
 * connection closes when idle. Stops reading while the client does not read its answers.
 */
final class TcpQueryHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TcpQueryHandler.class);

  private final QueryProcessor processor;
  private final TcpConnection connection;
  private final Transport transport;
  /** The stream being written, while it waits for the connection to drain; event loop only. */
  private Iterator<ByteBuf> streaming;
  /** True while {@link #stream} writes, so a writability change it causes does not re-enter it. */
  private boolean writingStream;

  /** One per connection: counts the answers the connection is owed. */
  TcpQueryHandler(QueryProcessor processor, TcpConnection connection, Transport transport) {
    this.processor = processor;
    this.connection = connection;
    this.transport = transport;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    byte[] query;
    ByteBuf frame = (ByteBuf) msg;
    try {
      query = ByteBufUtil.getBytes(frame);
    } finally {
      frame.release();
    }
    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
    connection.queryRead();
    Reply reply = processor.process(query, transport, peer, ctx.alloc());
    if (reply instanceof Reply.Later later) {
      later
          .wire()
          .whenComplete(
              (wire, failure) -> {
                if (wire != null) {
                  ctx.writeAndFlush(wire, ctx.voidPromise());
                }
                connection.answered();
              });
      return;
    }
    if (reply instanceof Reply.Stream stream) {
      stream.messages().whenComplete((messages, failure) -> {
        if (failure != null) {
          // the pipeline completes a stream only with its messages; a failure ends the connection
          log.debug("stream to {} failed: {}", peer, failure.toString());
          ctx.close();
          connection.answered();
        } else if (ctx.executor().inEventLoop()) {
          stream(ctx, messages);
        } else {
          ctx.executor().execute(() -> stream(ctx, messages));
        }
      });
      return;
    }
    if (reply instanceof Reply.Now now) {
      ctx.write(now.wire(), ctx.voidPromise());
    }
    connection.answered();
  }

  /**
   * Writes the messages of a stream (a zone transfer) while the connection takes them: each is
   * made only when written, and writing stops when the client's socket buffer and ours are full
   * (the channel turns unwritable), to go on when it drains. So a slow or stalled secondary holds
   * at most the channel's high-water mark of a transfer in memory, never the zone.
   */
  private void stream(ChannelHandlerContext ctx, Iterator<ByteBuf> messages) {
    streaming = messages;
    writingStream = true;
    try {
      while (true) {
        while (ctx.channel().isActive() && ctx.channel().isWritable() && messages.hasNext()) {
          ctx.write(messages.next(), ctx.voidPromise());
        }
        // the flush may drain the buffer at once, and the channel turn writable again inside it
        // (the event then comes while this loop runs, and is ignored): look again after it
        ctx.flush();
        if (!messages.hasNext() || !ctx.channel().isActive()) {
          streaming = null;
          connection.answered();
          return;
        }
        if (!ctx.channel().isWritable()) {
          return; // channelWritabilityChanged goes on when the client has read
        }
      }
    } finally {
      writingStream = false;
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Iterator<ByteBuf> pending = streaming;
    if (pending != null && !writingStream && ctx.channel().isWritable()) {
      stream(ctx, pending);
    }
    // back-pressure: a client that pipelines queries but never reads answers stops being read
    ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      // RFC 7766 6.2.3: servers close idle connections to free their resources
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // I/O errors (reset by peer and such); the pipeline itself never throws
    // and failed TLS handshakes (a client that does not trust the certificate closes at once)
    log.debug("{} connection {} closed: {}", transport, ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
