package dev.namu.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a connection's requests one at a time, in the order they came (RFC 9112 9.3.2: pipelined
 * requests get their responses in order), each on a worker thread, never on the event loop: the
 * endpoints wait on the store. While a request is being answered the connection is not read, so a
 * client that pipelines without reading answers only stalls itself.
 *
 * <p>Last in the pipeline; one instance per connection, its state used only on its event loop.
 */
final class RequestQueue extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RequestQueue.class);

  private final ApiRouter router;
  private final ApiTokens tokens;
  private final Executor workers;
  private final ObjectMapper json;
  private final RequestDeadline deadline;
  private final ArrayDeque<Turn> waiting = new ArrayDeque<>();
  private boolean busy;
  private boolean ending;

  RequestQueue(ApiRouter router, ApiTokens tokens, Executor workers, ObjectMapper json, RequestDeadline deadline) {
    this.router = router;
    this.tokens = tokens;
    this.workers = workers;
    this.json = json;
    this.deadline = deadline;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (ending || !(msg instanceof FullHttpRequest || msg instanceof Rejection)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    deadline.received();
    waiting.add(msg instanceof Rejection r ? r : new Turn.Request((FullHttpRequest) msg));
    if (!busy) {
      next(ctx);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ending = true;
    waiting.forEach(RequestQueue::release);
    waiting.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset by the client, mostly: nothing to answer, nobody else affected.
    log.debug("admin API connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  private void next(ChannelHandlerContext ctx) {
    Turn turn = waiting.poll();
    if (turn == null) {
      busy = false;
      ctx.channel().config().setAutoRead(true);
      return;
    }
    busy = true;
    ctx.channel().config().setAutoRead(false);
    if (turn instanceof Rejection r) {
      refuse(ctx, r.reason());
      return;
    }
    FullHttpRequest http = ((Turn.Request) turn).http();
    ApiRequest request;
    boolean keepAlive;
    try {
      if (http.decoderResult().isFailure()) {
        refuse(ctx, unreadable(http.decoderResult().cause()));
        return;
      }
      keepAlive = HttpUtil.isKeepAlive(http);
      // checked again here: a token deleted since TokenCheck let its request in is refused
      java.util.Optional<ApiCaller> who = tokens.identify(http.headers().get(HttpHeaderNames.AUTHORIZATION));
      if (who.isEmpty()) {
        refuse(ctx, new ApiException(401, "unauthorized", "missing or wrong API token"));
        return;
      }
      String uri = http.uri();
      int q = uri.indexOf('?');
      request = new ApiRequest(http.method().name(), q < 0 ? uri : uri.substring(0, q),
          q < 0 ? null : uri.substring(q + 1), ByteBufUtil.getBytes(http.content()),
          ctx.channel().remoteAddress() instanceof java.net.InetSocketAddress a ? a.getAddress() : null, who.get());
    } finally {
      http.release();
    }
    try {
      workers.execute(() -> {
        ApiResponse answer = answer(request);
        try {
          ctx.executor().execute(() -> send(ctx, answer, keepAlive));
        } catch (RejectedExecutionException closing) {
          // the API is shutting down: the connection goes with it, nobody is waiting for an answer
        }
      });
    } catch (RejectedExecutionException e) {
      send(ctx, ApiResponse.error(json, new ApiException(503, "busy",
          "the admin API has too many requests waiting; try again shortly")), keepAlive);
    }
  }

  private ApiResponse answer(ApiRequest request) {
    try {
      return router.answer(request);
    } catch (Throwable e) { // an Error (out of memory): answer it, keep the worker and the connection sane
      log.error("admin API: {} {} failed: {}", request.method(), request.rawPath(), e.toString());
      return ApiResponse.error(json, new ApiException(500, "internal", "internal error: " + e));
    }
  }

  private void send(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
    deadline.answered();
    ChannelFuture written = ctx.writeAndFlush(HttpReply.of(answer, keepAlive));
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    // The next request only once this answer has left: a client that does not read stalls itself.
    written.addListener(f -> {
      if (f.isSuccess()) {
        next(ctx);
      } else {
        ctx.close();
      }
    });
  }

  /** Answers a rejection and ends the connection (see {@link HttpReply#sendThenEnd}). */
  private void refuse(ChannelHandlerContext ctx, ApiException reason) {
    ending = true;
    waiting.forEach(RequestQueue::release);
    waiting.clear();
    deadline.answered();
    HttpReply.sendThenEnd(ctx.channel(), ApiResponse.error(json, reason));
  }

  private static void release(Turn turn) {
    if (turn instanceof Turn.Request r) {
      r.http().release();
    }
  }

  private static ApiException unreadable(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new ApiException(414, "uri_too_long", "request line too long: " + cause.getMessage());
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new ApiException(431, "headers_too_large", "request headers too large: " + cause.getMessage());
    }
    String why = cause instanceof TooLongFrameException || cause.getMessage() == null ? cause.toString()
        : cause.getMessage();
    return ApiException.badRequest("malformed HTTP request: " + why);
  }
}
