package dev.namu.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gives a connection a bounded time to deliver each whole request, head and body, counted from
 * the moment the connection opens or its previous answer is sent: a read timeout alone would let a
 * client that trickles one byte a second keep its connection (and its buffers) forever. The clock
 * stops while a received request is being answered, however long that takes. On expiry, a client
 * that had started a request gets 408; an idle kept-alive connection is just closed, as RFC 9112
 * 9.5 allows, so a client never reads a 408 it did not ask for.
 *
 * <p>First in the pipeline, to see every byte that arrives; one instance per connection, used only
 * on its event loop.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {

  private final Duration timeout;
  private final ObjectMapper json;
  private ChannelHandlerContext ctx;
  private ScheduledFuture<?> timer;
  /** Requests received whole and not answered yet: while there are any, the clock is stopped. */
  private int unanswered;
  /** Bytes of a request arrived since the clock last started. */
  private boolean started;

  RequestDeadline(Duration timeout, ObjectMapper json) {
    this.timeout = timeout;
    this.json = json;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    start();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b && b.isReadable()) {
      started = true;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stop();
    ctx.fireChannelInactive();
  }

  /** A whole request (or its rejection) arrived. */
  void received() {
    unanswered++;
    started = false;
    stop();
  }

  /** An answer went out; with none left to give, the clock runs for the next request. */
  void answered() {
    unanswered = Math.max(0, unanswered - 1);
    if (unanswered == 0) {
      start();
    }
  }

  private void start() {
    stop();
    timer = ctx.executor().schedule(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void expire() {
    timer = null;
    if (!started) {
      ctx.close();
      return;
    }
    ApiException late = new ApiException(408, "request_timeout",
        "the request did not arrive whole within " + timeout.toSeconds() + " s");
    // A failed write (the output already shut) closes the connection all the same.
    ctx.channel().writeAndFlush(HttpReply.of(ApiResponse.error(json, late), false))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
