package dev.namu.server.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * Checks the bearer token on the request head, before any of the body is buffered: a client
 * without the token costs no memory for what it sends. A refused request becomes a
 * {@link Rejection} (401), and nothing more from that connection is passed on. A head the decoder
 * could not read passes through, to be answered 400 whoever sent it; so is a head that gives both a
 * Transfer-Encoding and a Content-Length, before its body is read.
 *
 * <p>Between the HTTP decoder and the aggregator; one instance per connection.
 */
final class TokenCheck extends ChannelInboundHandlerAdapter {

  private final ApiTokens tokens;
  private boolean refused;

  TokenCheck(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest head && head.decoderResult().isSuccess() && ambiguousLength(head)) {
      refused = true;
      ReferenceCountUtil.release(msg);
      ctx.fireChannelRead(new Rejection(ApiException.badRequest(
          "a request with both Transfer-Encoding and Content-Length is refused (RFC 9112 6.1)")));
      return;
    }
    if (msg instanceof HttpRequest head && head.decoderResult().isSuccess() && !authorized(head)) {
      refused = true;
      ReferenceCountUtil.release(msg);
      ctx.fireChannelRead(new Rejection(new ApiException(401, "unauthorized",
          "missing or wrong API token (namuctl reads it from DATA/api-token; or pass --token)")));
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * Both framings at once: two readers of the stream (a proxy in front, this server) could each take
   * a different end of the body, the request smuggling RFC 9112 6.1 closes the connection for.
   */
  private static boolean ambiguousLength(HttpRequest head) {
    return head.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
        && head.headers().contains(HttpHeaderNames.CONTENT_LENGTH);
  }

  private boolean authorized(HttpRequest head) {
    return tokens.identify(head.headers().get(HttpHeaderNames.AUTHORIZATION)).isPresent();
  }
}
