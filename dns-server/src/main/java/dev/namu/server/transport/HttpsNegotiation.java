package dev.namu.server.transport;

import dev.namu.server.pipeline.QueryProcessor;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up a DNS over HTTPS connection once TLS has chosen its protocol: HTTP/2 when the client
 * offers {@code h2} in ALPN (RFC 8484 5.2: HTTP/2 is the minimum recommended), HTTP/1.1 otherwise.
 * Either way each request reaches a {@link DohHandler} whole, within the bounds below.
 */
final class HttpsNegotiation extends ApplicationProtocolNegotiationHandler {
  private static final Logger log = LoggerFactory.getLogger(HttpsNegotiation.class);

  /** A POST body holds one DNS message, at most 65535 bytes (RFC 8484 6); past it, 413. */
  static final int MAX_BODY = 65535;

  /**
   * Request line and headers, each: 16 KiB hold a GET of a 12 KiB query in base64url, more than any
   * query that is not an UPDATE needs; past it, 414 or 431 (HTTP/2: the stream is reset).
   */
  static final int MAX_HEADER = 16 * 1024;

  /**
   * Streams one HTTP/2 connection may have open at once (RFC 9113 6.5.2 SETTINGS_MAX_CONCURRENT_STREAMS):
   * the HTTP/2 form of TCP's queries in flight; 100 is what RFC 9113 5.1.2 recommends at least.
   */
  static final int MAX_STREAMS = 100;

  private final QueryProcessor processor;
  private final TcpConnection connection;

  HttpsNegotiation(QueryProcessor processor, TcpConnection connection) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.processor = processor;
    this.connection = connection;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      ctx.pipeline().addLast(
          Http2FrameCodecBuilder.forServer()
              .initialSettings(Http2Settings.defaultSettings()
                  .maxConcurrentStreams(MAX_STREAMS)
                  .maxHeaderListSize(MAX_HEADER))
              .build(),
          new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel stream) {
              stream.pipeline().addLast(
                  new Http2StreamFrameToHttpObjectCodec(true),
                  new HttpObjectAggregator(MAX_BODY),
                  new DohHandler(processor, connection, peer));
            }
          }));
      return;
    }
    ctx.pipeline().addLast(
        new HttpServerCodec(MAX_HEADER, MAX_HEADER, 8192),
        new HttpObjectAggregator(MAX_BODY),
        new DohHandler(processor, connection, peer));
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    // a client that does not trust the certificate hangs up during the handshake: not namud's error
    log.debug("DoH TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
