package dev.namu.server.transport;

import dev.namu.server.intake.Transport;
import dev.namu.server.pipeline.QueryProcessor;
import dev.namu.server.pipeline.Reply;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers each UDP datagram with at most one datagram back to its sender. */
@Sharable
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpQueryHandler.class);

  private final QueryProcessor processor;

  UdpQueryHandler(QueryProcessor processor) {
    this.processor = processor;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    InetSocketAddress sender = packet.sender();
    byte[] query = ByteBufUtil.getBytes(packet.content());
    Reply reply = processor.process(query, Transport.UDP, sender, ctx.alloc());
    if (reply instanceof Reply.Now now) {
      // flushed once per read batch in channelReadComplete
      ctx.write(new DatagramPacket(now.wire(), sender), ctx.voidPromise());
    } else if (reply instanceof Reply.Stream stream) {
      stream.messages().thenAccept(messages -> {
        if (messages.hasNext()) {
          ctx.writeAndFlush(new DatagramPacket(messages.next(), sender), ctx.voidPromise());
        }
      });
    } else if (reply instanceof Reply.Later later) {
      later
          .wire()
          .thenAccept(
              wire -> {
                if (wire != null) {
                  ctx.writeAndFlush(new DatagramPacket(wire, sender), ctx.voidPromise());
                }
              });
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // an ICMP error or a full socket buffer on one datagram must not close the listener
    log.debug("UDP error on {}: {}", ctx.channel().localAddress(), cause.toString());
  }
}
