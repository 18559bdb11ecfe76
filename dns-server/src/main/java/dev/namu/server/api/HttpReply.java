package dev.namu.server.api;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/** An {@link ApiResponse} as the HTTP/1.1 message written on the connection. */
final class HttpReply {
  private HttpReply() {}

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
