package dev.namu.server.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** An {@link ApiResponse} as the HTTP/1.1 message written on the connection. */
final class HttpReply {
  /** How long a connection ended by a refusal stays half-open for its client to read the answer. */
  private static final long LINGER_SECONDS = 2;

  private HttpReply() {}

  /**
   * Sends a refusal and ends the connection without reading what the client may still be sending:
   * shut our side (the client reads the answer, then end of stream), drop what arrives, and close a
   * little later. Closing at once with unread bytes would reset the connection, and the client
   * might lose the answer with it.
   */
  static void sendThenEnd(Channel ch, ApiResponse answer) {
    ch.writeAndFlush(of(answer, false)).addListener(f -> {
      if (f.isSuccess() && ch instanceof DuplexChannel duplex) {
        duplex.shutdownOutput();
        ch.config().setAutoRead(true);
        ch.eventLoop().schedule(() -> ch.close(), LINGER_SECONDS, TimeUnit.SECONDS);
      } else {
        ch.close();
      }
    });
  }

  /** @param keepAlive false to tell the client this connection ends after this answer */
  static FullHttpResponse of(ApiResponse r, boolean keepAlive) {
    FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
        Unpooled.wrappedBuffer(r.body()));
    http.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, r.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length)
        .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      http.headers().set(h.getKey(), h.getValue());
    }
    return http;
  }
}
