package dev.namu.server.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First in every TCP connection's pipeline: on {@link #STOP} it lets the connection send the answers
 * already queued, then closes it. The stop is an event fired into the pipeline, so it runs on the
 * connection's own event loop; a connection closed meanwhile has no handlers left and ignores it.
 */
@Sharable
final class StopDrain extends ChannelInboundHandlerAdapter {
  /** The event that asks a connection to finish. */
  static final Object STOP = new Object() {
    @Override
    public String toString() {
      return "STOP";
    }
  };

  static final StopDrain INSTANCE = new StopDrain();

  private StopDrain() {}

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt != STOP) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    // writes on a channel go out in order, so an empty write completes after every answer queued;
    // written from this first handler, it skips the length prepender and adds no empty frame
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }
}
