package dev.namu.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The metrics and health listener: {@code GET /metrics} (Prometheus text, or OpenMetrics when the
 * scraper's Accept asks for it), {@code GET /health} (200 while the process runs) and {@code GET
 * /ready} (200 once namud serves in full, 503 before). Netty's HTTP codec on one event loop of its
 * own, so a scrape never takes a DNS event loop's time. No token: it shows counts, never zone data,
 * and monitoring systems scrape without credentials; it listens on loopback unless told otherwise.
 */
public final class MetricsEndpoint implements AutoCloseable {
  /** A scraper or probe sends a request line and a few headers; anything bigger is not one. */
  private static final int MAX_REQUEST_BYTES = 8192;

  /** A connection silent this long is closed (Prometheus scrapes every 15 to 60 s, and reconnects). */
  private static final int IDLE_SECONDS = 120;

  private final EventLoopGroup group;
  private final Channel channel;

  private MetricsEndpoint(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /**
   * Binds {@code address} and serves.
   *
   * @param ready whether namud serves in full: sockets bound, zones and the zone store loaded
   * @throws UncheckedIOException when the address cannot be bound (the cause says why)
   */
  public static MetricsEndpoint open(InetSocketAddress address, PrometheusMeterRegistry registry,
      NamudMeters meters, BooleanSupplier ready) {
    EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("namud-metrics", true));
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(
                new ReadTimeoutHandler(IDLE_SECONDS),
                new HttpServerCodec(MAX_REQUEST_BYTES, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES),
                new HttpObjectAggregator(MAX_REQUEST_BYTES),
                new Handler(registry, meters, ready));
          }
        });
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      Throwable cause = bound.cause();
      throw new UncheckedIOException(cause instanceof IOException io ? io : new IOException(cause));
    }
    return new MetricsEndpoint(group, bound.channel());
  }

  /** The address bound, with its actual port. */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final PrometheusMeterRegistry registry;
    private final NamudMeters meters;
    private final BooleanSupplier ready;

    Handler(PrometheusMeterRegistry registry, NamudMeters meters, BooleanSupplier ready) {
      this.registry = registry;
      this.meters = meters;
      this.ready = ready;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (!request.decoderResult().isSuccess()) {
        reply(ctx, request, HttpResponseStatus.BAD_REQUEST, "bad request\n", TEXT, false);
        return;
      }
      boolean get = request.method().equals(HttpMethod.GET);
      boolean head = request.method().equals(HttpMethod.HEAD);
      String path = new QueryStringDecoder(request.uri()).path();
      if (!get && !head) {
        reply(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET\n", TEXT, true);
        return;
      }
      switch (path) {
        case "/metrics" -> {
          meters.refresh();
          String type = openMetricsAsked(request)
              ? OPEN_METRICS : PROMETHEUS_TEXT;
          reply(ctx, request, HttpResponseStatus.OK, registry.scrape(type), type, true);
        }
        case "/health" -> reply(ctx, request, HttpResponseStatus.OK, "ok\n", TEXT, true);
        case "/ready" -> {
          if (ready.getAsBoolean()) {
            reply(ctx, request, HttpResponseStatus.OK, "ready\n", TEXT, true);
          } else {
            reply(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE,
                "not ready: the zone store is still opening\n", TEXT, true);
          }
        }
        default -> reply(ctx, request, HttpResponseStatus.NOT_FOUND,
            "not found: GET /metrics, /health or /ready\n", TEXT, true);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // a reset, a read timeout: that connection only
      ctx.close();
    }

    /** OpenMetrics only when asked for by name; every Prometheus accepts its text format. */
    private static boolean openMetricsAsked(FullHttpRequest request) {
      String accept = request.headers().get(HttpHeaderNames.ACCEPT, "");
      return accept.contains("application/openmetrics-text");
    }

    private static void reply(ChannelHandlerContext ctx, FullHttpRequest request,
        HttpResponseStatus status, String body, String type, boolean keepAlive) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      boolean head = request.method().equals(HttpMethod.HEAD);
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
          head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      HttpUtil.setContentLength(response, bytes.length);
      boolean keep = keepAlive && HttpUtil.isKeepAlive(request);
      HttpUtil.setKeepAlive(response, keep);
      var written = ctx.writeAndFlush(response);
      if (!keep) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    }
  }

  private static final String TEXT = "text/plain; charset=utf-8";
  /** The exposition formats' media types; the registry writes the one named. */
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
}
