package dev.namu.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.namu.server.update.TsigKeyring;
import dev.namu.zones.edit.ZoneEditor;
import dev.namu.zones.registry.ZoneRegistry;
import dev.namu.zones.store.ZoneStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin HTTP API: Netty's HTTP/1.1 codec on one event loop of its own (never a DNS one), and a
 * small pool of workers that run the requests. Every request needs {@code Authorization: Bearer
 * TOKEN}. Bad input is a 4xx with a JSON body {@code {"error": code, "message": text, "problems":
 * [...]}}; a 500 only means a bug. The admin token may do anything; a named token ({@link ApiCaller})
 * only reads and edits the zones, names and types of its scope (403 otherwise). Each connection is bounded in time and size ({@link ApiLimits}),
 * so a slow, silent or greedy client costs only its own connection.
 *
 * <pre>
 * GET    /api/v1/status                      POST /api/v1/reload
 * GET    /api/v1/zones                       POST /api/v1/zones {name, nameservers?, email?, ttl?, serial?}
 * GET    /api/v1/zones/Z                     DELETE /api/v1/zones/Z
 * GET    /api/v1/zones/Z/records?name=&type=
 * POST   /api/v1/zones/Z/records {name, type, ttl?, data, ptr?}           add one record
 * PUT    /api/v1/zones/Z/records {name, type, ttl?, data: [..], ptr?}     replace an RRset
 * DELETE /api/v1/zones/Z/records?name=&type=&data=&ptr=                  delete a record, RRset or name
 * POST   /api/v1/zones/Z/batch {changes: [{op: add|delete|replace, ...}], ptr?}   one edit
 * GET    /api/v1/zones/Z/text                PUT /api/v1/zones/Z/text (zone file body: import)
 * GET    /api/v1/zones/Z/journal?limit=
 * GET    /api/v1/keys    POST /api/v1/keys {name, algorithm?, secret?, zones?, owner?, subtree?, types?}
 * DELETE /api/v1/keys/NAME
 * GET    /api/v1/tokens  POST /api/v1/tokens {name, zones?, owner?, subtree?, types?}  DELETE /api/v1/tokens/NAME
 * POST   /api/v1/cache/flush {name?}
 * </pre>
 *
 * <p>A connection's pipeline: {@link RequestDeadline} (time to send a request), the HTTP codec
 * (bounded request line and headers), {@link TokenCheck} (before any body is kept), {@link BodyLimit}
 * (413 over the limit), {@link RequestQueue} (one request at a time, in order, on a worker).
 */
public final class AdminApi implements AutoCloseable {

  /** Longest request line (method, path and query) and largest header block read. */
  static final int MAX_REQUEST_LINE = 8 * 1024;
  static final int MAX_HEADERS = 16 * 1024;
  private static final int BACKLOG = 128;

  private final EventLoopGroup loop;
  private final ThreadPoolExecutor workers;
  private final Channel listener;

  private AdminApi(EventLoopGroup loop, ThreadPoolExecutor workers, Channel listener) {
    this.loop = loop;
    this.workers = workers;
    this.listener = listener;
  }

  /**
   * Binds {@code address} (port 0 for an ephemeral one) and starts serving.
   *
   * @param edits where the zone edits asked are counted by result
   */
  public static AdminApi start(InetSocketAddress address, ApiToken token, ZoneEditor editor, ZoneStore store,
      ZoneRegistry registry, TsigKeyring keyring, ServerControl server, Optional<CacheControl> cache, Clock clock,
      ApiLimits limits, ApiEdits edits) throws IOException {
    // a field given twice is refused: Jackson would keep the last and drop the first without a word,
    // so {"name":"a.lan","name":"b.lan"} made b.lan (RFC 8259 4: such an object's meaning is undefined)
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    ApiTokens tokens = new ApiTokens(token, store);
    ApiRouter router = new ApiRouter(
        new AdminOperations(editor, store, registry, keyring, tokens, server, cache, clock), json, edits);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor workers = new ThreadPoolExecutor(limits.workers(), limits.workers(), 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(limits.queuedRequests()), r -> {
          Thread t = new Thread(r, "namu-api-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("namu-api-io", true));
    AtomicInteger open = new AtomicInteger();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(loop)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, BACKLOG)
        // Answers leave in one write; without TCP_NODELAY, Nagle and the client's delayed ACK
        // could hold one ~40 ms.
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (open.incrementAndGet() > limits.maxConnections()) {
              open.decrementAndGet();
              refuse(ch, json, limits.maxConnections());
              return;
            }
            ch.closeFuture().addListener(f -> open.decrementAndGet());
            RequestDeadline deadline = new RequestDeadline(limits.requestTimeout(), json);
            ch.pipeline()
                .addLast(deadline)
                .addLast(new HttpResponseEncoder())
                .addLast(new FramingKeptDecoder(MAX_REQUEST_LINE, MAX_HEADERS, 64 * 1024))
                .addLast(new TokenCheck(tokens))
                .addLast(new BodyLimit(limits.maxBodyBytes(), json))
                .addLast(new RequestQueue(router, tokens, workers, json, deadline));
          }
        });
    ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownNow();
      Throwable cause = bound.cause();
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    }
    // the caller says where it listens: a scratch API (the edit warm-up) is no address a client should take
    return new AdminApi(loop, workers, bound.channel());
  }

  /**
   * One connection too many: a 503 the client can read, then the connection ends, so a flood of
   * connections cannot starve the clients already served.
   */
  private static void refuse(Channel ch, ObjectMapper json, int max) {
    ch.pipeline().addLast(new HttpServerCodec(), new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // whatever it asked, the answer is the 503
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset by the client: nothing to log
      }
    });
    ApiException busy = new ApiException(503, "too_many_connections",
        "the admin API has " + max + " connections open; try again shortly");
    HttpReply.sendThenEnd(ch, ApiResponse.error(json, busy));
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  @Override
  public void close() {
    listener.close().awaitUninterruptibly();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    workers.shutdownNow();
  }
}
