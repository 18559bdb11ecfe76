package dev.namu.server.transport;

import dev.namu.server.intake.Transport;
import dev.namu.server.pipeline.QueryProcessor;
import dev.namu.server.pipeline.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers DNS over HTTPS requests (RFC 8484): one DNS query in each HTTP request, through the same
 * pipeline as every other transport, its reply the response's body. The DNS ID is kept as sent
 * (RFC 8484 4.1 recommends 0 for cacheable GETs, but a client that sends another one matches on it).
 *
 * <p>On HTTP/2 there is one of these per stream, so each request is answered as soon as it is
 * ready; on HTTP/1.1 one per connection, answering in the order asked (RFC 9112 9.3.2).
 */
final class DohHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(DohHandler.class);

  private final QueryProcessor processor;
  private final TcpConnection connection;
  private final InetSocketAddress peer;
  /** Completes when the last response asked so far was written; responses follow it in order. */
  private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);

  DohHandler(QueryProcessor processor, TcpConnection connection, InetSocketAddress peer) {
    this.processor = processor;
    this.connection = connection;
    this.peer = peer;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpVersion version = request.protocolVersion();
    DohRequest asked = DohRequest.of(request);
    connection.queryRead();
    CompletionStage<FullHttpResponse> response;
    if (asked instanceof DohRequest.Refused refused) {
      response = CompletableFuture.completedFuture(refusal(version, refused));
    } else {
      byte[] query = ((DohRequest.Query) asked).wire();
      response = reply(processor.process(query, Transport.DOH, peer, ctx.alloc()))
          .thenApply(wire -> wire == null
              ? refusal(version, new DohRequest.Refused(HttpResponseStatus.BAD_REQUEST, "not a DNS query"))
              : answer(version, wire))
          .exceptionally(failure -> refusal(version,
              new DohRequest.Refused(HttpResponseStatus.INTERNAL_SERVER_ERROR, "no reply")));
    }
    written = written.thenCombine(response, (done, r) -> r).thenAccept(r -> {
      connection.answered();
      HttpUtil.setKeepAlive(r, keepAlive);
      var future = ctx.writeAndFlush(r);
      if (!keepAlive) {
        future.addListener(ChannelFutureListener.CLOSE);
      }
    });
  }

  /** The reply's bytes, when they are ready; null when the pipeline sends none. */
  private static CompletionStage<ByteBuf> reply(Reply reply) {
    if (reply instanceof Reply.Now now) {
      return CompletableFuture.completedFuture(now.wire());
    }
    if (reply instanceof Reply.Later later) {
      return later.wire();
    }
    if (reply instanceof Reply.Stream stream) {
      // one HTTP response holds one DNS message: as over UDP, the first of a stream
      return stream.messages().thenApply(messages -> messages.hasNext() ? messages.next() : null);
    }
    return CompletableFuture.completedFuture(null);
  }

  private static FullHttpResponse answer(HttpVersion version, ByteBuf wire) {
    FullHttpResponse r = new DefaultFullHttpResponse(version, HttpResponseStatus.OK, wire);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, DohRequest.MEDIA_TYPE)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, wire.readableBytes())
        // RFC 8484 5.1: fresh no longer than the smallest TTL in the reply
        .set(HttpHeaderNames.CACHE_CONTROL, "max-age=" + CacheLifetime.seconds(wire));
    return r;
  }

  private static FullHttpResponse refusal(HttpVersion version, DohRequest.Refused refused) {
    ByteBuf body = Unpooled.copiedBuffer(refused.reason() + "\n", StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(version, refused.status(), body);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    return r;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("DoH {}: {}", peer, cause.toString());
    ctx.close();
  }
}
