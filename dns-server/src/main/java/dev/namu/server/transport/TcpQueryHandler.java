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
    if (reply instanceof Reply.Now now) {
      ctx.write(now.wire(), ctx.voidPromise());
    } else if (reply instanceof Reply.Stream stream) {
      while (stream.messages().hasNext()) {
        ctx.write(stream.messages().next(), ctx.voidPromise());
      }
    }
    connection.answered();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
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
