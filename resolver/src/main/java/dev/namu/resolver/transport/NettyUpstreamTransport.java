package dev.namu.resolver.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * UDP and TCP upstream queries on a small Netty NIO event loop group.
 *
 * <p>UDP queries go through a {@link UdpPortPool}: a bounded set of sockets on random ports,
 * renewed as they are used, with random IDs and replies matched on address, port, ID and
 * question (RFC 5452 sections 9.2 and 3), and, when asked, the question's letters in random case
 * that the reply must repeat (0x20, {@link QuestionCase}). Each TCP query uses its own connection
 * on Netty (RFC 7766 framing: two-byte length prefix), with a random ID from a {@link
 * SecureRandom}.
 */
public final class NettyUpstreamTransport implements UpstreamTransport {
  private static final Logger LOG = LoggerFactory.getLogger(NettyUpstreamTransport.class);

  private final EventLoopGroup group;
  private final SecureRandom random = new SecureRandom();
  private final AtomicLong rejected = new AtomicLong();
  private final UdpPortPool udp;
  private final Bootstrap tcp;

  /** @param ioThreads threads reading UDP replies (TCP, rare, has one event loop of its own) */
  public NettyUpstreamTransport(int ioThreads) {
    this(ioThreads, UdpPortPool.DEFAULT_PORTS, UdpPortPool.DEFAULT_REUSE);
  }

  /**
   * @param udpPorts open UDP sockets per local address (more ports, more for a spoofer to guess)
   * @param udpReuse queries sent from one UDP socket before it is replaced by a new random port
   */
  public NettyUpstreamTransport(int ioThreads, int udpPorts, int udpReuse) {
    this(ioThreads, new OutgoingPorts(udpPorts, 0, 0), udpReuse);
  }

  /** @param ports the UDP sockets kept open and the ports they bind (outgoing-range) */
  public NettyUpstreamTransport(int ioThreads, OutgoingPorts ports) {
    this(ioThreads, ports, UdpPortPool.DEFAULT_REUSE);
  }

  private NettyUpstreamTransport(int ioThreads, OutgoingPorts ports, int udpReuse) {
    try {
      this.udp = new UdpPortPool(ioThreads, ports, udpReuse, rejected);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot open the upstream UDP selector", e);
    }
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("namu-upstream-tcp", true));
    this.tcp = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true);
  }

  @Override
  public CompletableFuture<Message> send(InetSocketAddress server, Message query, Protocol protocol, Duration timeout) {
    return send(server, query, protocol, timeout, false);
  }

  @Override
  public CompletableFuture<Message> send(InetSocketAddress server, Message query, Protocol protocol,
      Duration timeout, boolean randomCase) {
    CompletableFuture<Message> result = new CompletableFuture<>();
    if (protocol == Protocol.UDP) {
      udp.send(server, query, timeout, randomCase, result);
    } else {
      int id = random.nextInt(0x10000);
      query.getHeader().setID(id);
      AskedQuestion asked = AskedQuestion.of(query, randomCase, () -> random.nextInt(0x10000));
      sendTcp(server, query, asked, asked.withId(id), timeout, result);
    }
    return result;
  }

  private void sendTcp(InetSocketAddress server, Message query, AskedQuestion asked, byte[] wire, Duration timeout,
      CompletableFuture<Message> result) {
    Bootstrap b = tcp.clone()
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535 + 2, 0, 2, 0, 2));
            ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                accept(server, query, asked, frame, result);
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                result.completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK,
                    server + ": TCP connection closed before a reply"));
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                result.completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK,
                    server + ": " + cause.getMessage(), cause));
              }
            });
          }
        });
    ChannelFuture cf = b.connect(server);
    Channel ch = cf.channel();
    cf.addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK,
            server + ": TCP connect failed: " + f.cause().getMessage(), f.cause()));
        return;
      }
      ByteBuf out = ch.alloc().buffer(wire.length + 2);
      out.writeShort(wire.length).writeBytes(wire);
      ch.writeAndFlush(out);
    });
    armTimeout(ch, server, timeout, result);
  }

  private void armTimeout(Channel ch, InetSocketAddress server, Duration timeout, CompletableFuture<Message> result) {
    ScheduledFuture<?> timer = ch.eventLoop().schedule(
        () -> result.completeExceptionally(new UpstreamException(UpstreamException.Kind.TIMEOUT,
            server + ": no reply within " + timeout.toMillis() + " ms")),
        Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    result.whenComplete((m, e) -> {
      timer.cancel(false);
      ch.close();
    });
  }

  private void accept(InetSocketAddress server, Message query, AskedQuestion asked, ByteBuf content,
      CompletableFuture<Message> result) {
    byte[] bytes = ByteBufUtil.getBytes(content);
    if (!asked.accepts(bytes)) {
      // 0x20 over TCP: no off-path forger can write into the connection, so the server itself
      // does not keep case; fail now and let the caller ask it without 0x20.
      rejected.incrementAndGet();
      result.completeExceptionally(AskedQuestion.caseMismatch(server));
      return;
    }
    Message reply;
    try {
      reply = ReplyDecoder.decode(bytes);
    } catch (IOException e) {
      // A malformed datagram may be an attacker's; keep waiting for the real reply.
      rejected.incrementAndGet();
      LOG.debug("malformed upstream reply ignored: {}", e.getMessage());
      return;
    }
    if (!ReplyMatcher.matches(query, reply)) {
      rejected.incrementAndGet();
      LOG.debug("upstream reply with wrong ID, question or cookie ignored (RFC 5452, RFC 7873 5.3)");
      return;
    }
    result.complete(reply);
  }

  @Override
  public long rejectedReplies() {
    return rejected.get();
  }

  /** Open UDP sockets (for tests: the pool stays bounded). */
  int openUdpSockets() {
    return udp.openSockets();
  }

  @Override
  public void close() {
    udp.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
