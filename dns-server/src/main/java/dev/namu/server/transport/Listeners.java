package dev.namu.server.transport;

import dev.namu.server.intake.Transport;
import dev.namu.server.pipeline.QueryProcessor;
import dev.namu.server.tls.ServerTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP and TCP sockets namud listens on: for every address one TCP listener and, with epoll,
 * one UDP socket per event loop sharing the port through SO_REUSEPORT (so the kernel spreads
 * queries over the cores); with NIO one UDP socket. Also the DNS over TLS and DNS over HTTPS
 * listeners, whose connections count in the same connection table and stop the same way as TCP's.
 */
public final class Listeners implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  /** Largest UDP query we read; bigger datagrams arrive cut and get FORMERR. */
  private static final int MAX_UDP_QUERY = 4096;

  /**
   * Datagrams read per system call with epoll (recvmmsg): one read batch fills this many
   * {@link #MAX_UDP_QUERY}-byte slots of one pooled buffer, and its replies leave in one flush
   * (sendmmsg), as NSD and Knot do; one recvmsg per query cost a third of the CPU under load.
   */
  private static final int UDP_READ_BATCH = 16;

  /**
   * Kernel socket buffer asked for each UDP socket (capped by net.core.rmem_max / wmem_max): room
   * for bursts while an event loop is busy with the previous batch.
   */
  private static final int UDP_SOCKET_BUFFER = 4 << 20;

  /** With port 0 the UDP port is picked first; if TCP cannot have the same one, pick again. */
  private static final int EPHEMERAL_PORT_ATTEMPTS = 8;

  private static final int TCP_BACKLOG = 1024;
  private static final WriteBufferWaterMark TCP_WATER_MARK =
      new WriteBufferWaterMark(64 * 1024, 256 * 1024);

  /** The sockets of one address. */
  private record Bound(InetSocketAddress actual, List<Channel> udp, Channel tcp) {
    void close() {
      tcp.close().awaitUninterruptibly();
      udp.forEach(c -> c.close().awaitUninterruptibly());
    }
  }

  /** By the address as asked (its port may be 0), in the order bound; guarded by this. */
  private final Map<InetSocketAddress, Bound> bound = new LinkedHashMap<>();
  /** The DNS over TLS and DNS over HTTPS listeners, bound at start; guarded by this. */
  private final List<Channel> dot = new ArrayList<>();
  private final List<Channel> doh = new ArrayList<>();
  private final ChannelGroup connections =
      new DefaultChannelGroup("namud-tcp", GlobalEventExecutor.INSTANCE);
  private final EventLoops loops;
  private final UdpQueryHandler udpHandler;
  private final QueryProcessor processor;
  private final TcpSettings tcp;
  private final ConnectionTable connectionTable;
  /** Set when {@link #stop} begins; a connection set up after that is stopped as it is set up. */
  private volatile boolean stopping;

  private Listeners(EventLoops loops, QueryProcessor processor, TcpSettings tcp) {
    this.loops = loops;
    this.udpHandler = new UdpQueryHandler(processor);
    this.processor = processor;
    this.tcp = tcp;
    this.connectionTable = new ConnectionTable(tcp.maxConnections(), tcp.maxConnectionsPerClient());
  }

  /**
   * Binds UDP and TCP on every address.
   *
   * @param mayFail failures to log and skip (say, ::1 on a host without IPv6); any other
   *     failure closes what was bound and is thrown
   * @throws ListenFailure for the first address that could not be bound and may not fail
   */
  public static Listeners open(
      EventLoops loops,
      List<InetSocketAddress> addresses,
      TcpSettings tcp,
      QueryProcessor processor,
      Predicate<ListenFailure> mayFail) {
    Listeners listeners = new Listeners(loops, processor, tcp);
    try {
      listeners.add(addresses, mayFail);
    } catch (RuntimeException e) {
      listeners.close();
      throw e;
    }
    return listeners;
  }

  /**
   * Binds UDP and TCP on more addresses, all or none: when one cannot be bound (and may not fail),
   * those bound by this call are closed again and the failure is thrown. An address already bound
   * is left as it is.
   *
   * @throws ListenFailure for the first address that could not be bound and may not fail
   */
  public synchronized void add(List<InetSocketAddress> addresses, Predicate<ListenFailure> mayFail) {
    List<InetSocketAddress> added = new ArrayList<>();
    try {
      for (InetSocketAddress address : addresses) {
        if (bound.containsKey(address)) {
          continue;
        }
        try {
          bound.put(address, bindBoth(address));
          added.add(address);
        } catch (ListenFailure failure) {
          if (!mayFail.test(failure)) {
            throw failure;
          }
          log.warn("not listening on {}: {}", address, failure.reason().words());
        }
      }
    } catch (RuntimeException e) {
      remove(added);
      throw e;
    }
  }

  /**
   * Stops listening on these addresses (as asked, as {@link #add} took them). Connections already
   * open on them go on until the client closes them or they are idle for the idle timeout.
   */
  public synchronized void remove(Collection<InetSocketAddress> addresses) {
    for (InetSocketAddress address : addresses) {
      Bound b = bound.remove(address);
      if (b != null) {
        b.close();
      }
    }
  }

  /** The addresses bound, as asked (a port may be 0), in the order bound. */
  public synchronized Set<InetSocketAddress> askedAddresses() {
    return Set.copyOf(bound.keySet());
  }

  /** The addresses bound, with their actual ports (one port for UDP and TCP per address). */
  public synchronized List<InetSocketAddress> boundAddresses() {
    return bound.values().stream().map(Bound::actual).toList();
  }

  /** UDP sockets bound, over all addresses: one per event loop and address with epoll. */
  public synchronized int udpSocketCount() {
    return bound.values().stream().mapToInt(b -> b.udp().size()).sum();
  }

  /** Open TCP connections now. */
  public int openConnections() {
    return connectionTable.size();
  }

  private Bound bindBoth(InetSocketAddress address) {
    boolean ephemeral = address.getPort() == 0;
    for (int attempt = 1; ; attempt++) {
      List<Channel> udp = bindUdp(address);
      InetSocketAddress actual = (InetSocketAddress) udp.get(0).localAddress();
      try {
        InetSocketAddress both = new InetSocketAddress(address.getAddress(), actual.getPort());
        return new Bound(both, List.copyOf(udp), bindTcp(both));
      } catch (ListenFailure failure) {
        udp.forEach(c -> c.close().awaitUninterruptibly());
        if (!ephemeral
            || failure.reason() != ListenFailure.Reason.ADDRESS_IN_USE
            || attempt == EPHEMERAL_PORT_ATTEMPTS) {
          throw failure;
        }
      }
    }
  }

  private List<Channel> bindUdp(InetSocketAddress address) {
    int copies = loops.epoll() ? loops.threads() : 1;
    Bootstrap b =
        new Bootstrap()
            .group(loops.group())
            .channel(loops.datagramChannel())
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.SO_RCVBUF, UDP_SOCKET_BUFFER)
            .option(ChannelOption.SO_SNDBUF, UDP_SOCKET_BUFFER)
            .handler(udpHandler);
    if (loops.epoll()) {
      b.option(EpollChannelOption.SO_REUSEPORT, true)
          // each datagram gets a MAX_UDP_QUERY slot; a longer one arrives cut, as with recvmsg
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_QUERY)
          .option(
              ChannelOption.RCVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(MAX_UDP_QUERY * UDP_READ_BATCH));
    } else {
      b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_UDP_QUERY));
    }
    List<Channel> channels = new ArrayList<>();
    Channel first = bindOrThrow(b.bind(address), address, "UDP");
    channels.add(first);
    InetSocketAddress actual =
        new InetSocketAddress(
            address.getAddress(), ((InetSocketAddress) first.localAddress()).getPort());
    try {
      for (int i = 1; i < copies; i++) {
        channels.add(bindOrThrow(b.bind(actual), actual, "UDP"));
      }
    } catch (ListenFailure f) {
      channels.forEach(c -> c.close().awaitUninterruptibly());
      throw f;
    }
    return channels;
  }

  private Channel bindTcp(InetSocketAddress address) {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(loops.group())
            .channel(loops.serverChannel())
            .option(ChannelOption.SO_BACKLOG, TCP_BACKLOG)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TCP_WATER_MARK)
            .childHandler(new StreamInitializer(Transport.TCP, null));
    return bindOrThrow(b.bind(address), address, "TCP");
  }

  /**
   * Binds the DNS over TLS ({@code dot}, RFC 7858) and DNS over HTTPS ({@code doh}, RFC 8484)
   * listeners, all or none, with the certificate of {@code tls} as it is when each connection
   * comes.
   *
   * @throws ListenFailure for the first address that could not be bound
   */
  public synchronized void addEncrypted(
      List<InetSocketAddress> dotAddresses, List<InetSocketAddress> dohAddresses, ServerTls tls) {
    List<Channel> added = new ArrayList<>();
    try {
      for (InetSocketAddress address : dotAddresses) {
        added.add(bindOrThrow(streamBootstrap(new StreamInitializer(Transport.DOT, tls::dot)).bind(address),
            address, "TLS"));
        dot.add(added.get(added.size() - 1));
      }
      for (InetSocketAddress address : dohAddresses) {
        added.add(bindOrThrow(streamBootstrap(new HttpsInitializer(tls)).bind(address), address, "HTTPS"));
        doh.add(added.get(added.size() - 1));
      }
    } catch (RuntimeException e) {
      added.forEach(c -> c.close().awaitUninterruptibly());
      dot.removeAll(added);
      doh.removeAll(added);
      throw e;
    }
  }

  /** The DNS over TLS addresses bound, with their actual ports. */
  public synchronized List<InetSocketAddress> tlsAddresses() {
    return dot.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
  }

  /** The DNS over HTTPS addresses bound, with their actual ports. */
  public synchronized List<InetSocketAddress> httpsAddresses() {
    return doh.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
  }

  private ServerBootstrap streamBootstrap(ChannelInitializer<Channel> initializer) {
    return new ServerBootstrap()
        .group(loops.group())
        .channel(loops.serverChannel())
        .option(ChannelOption.SO_BACKLOG, TCP_BACKLOG)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TCP_WATER_MARK)
        .childHandler(initializer);
  }

  private static Channel bindOrThrow(ChannelFuture future, InetSocketAddress address, String proto) {
    future.awaitUninterruptibly();
    if (!future.isSuccess()) {
      Throwable cause = future.cause();
      throw new ListenFailure(
          address, proto, ListenFailure.classify(cause), String.valueOf(cause.getMessage()));
    }
    return future.channel();
  }

  /**
   * Sets up each accepted connection, or closes it at once when the connection table will not
   * take it. TCP, TLS and HTTPS connections share the table, its limits and the idle timeout: each
   * holds a socket and its buffers alike.
   */
  private abstract class AdmittingInitializer extends ChannelInitializer<Channel> {
    /** Adds the connection's handlers, after the TLS handler when there is one. */
    abstract void build(Channel ch, TcpConnection connection);

    @Override
    protected void initChannel(Channel ch) {
      InetSocketAddress peer = (InetSocketAddress) ch.remoteAddress();
      TcpConnection connection = connectionTable.admit(ch, peer.getAddress());
      if (connection == null) {
        ch.close();
        return;
      }
      ch.closeFuture().addListener(f -> connectionTable.release(connection));
      build(ch, connection);
      // added to the group before reading the flag, as stop sets the flag before reading the
      // group: a connection set up while the server stops is seen by one of the two
      connections.add(ch);
      if (stopping) {
        ch.pipeline().fireUserEventTriggered(StopDrain.STOP);
      }
    }
  }

  /** TCP (RFC 7766), or DNS over TLS (RFC 7858): the same framing behind TLS. */
  private final class StreamInitializer extends AdmittingInitializer {
    private final Transport transport;
    private final Supplier<SslContext> tls;

    /** @param tls the TLS context of the moment, or null for plain TCP */
    StreamInitializer(Transport transport, Supplier<SslContext> tls) {
      this.transport = transport;
      this.tls = tls;
    }

    @Override
    void build(Channel ch, TcpConnection connection) {
      if (tls != null) {
        ch.pipeline().addLast(tls.get().newHandler(ch.alloc()));
      }
      ch.pipeline()
          .addLast(
              StopDrain.INSTANCE,
              // after TLS: a handshake that never ends is idle too
              new IdleStateHandler(0, 0, tcp.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
              new QueryFramer(connection, tcp.messageDeadline()),
              new LengthFieldPrepender(2),
              new TcpQueryHandler(processor, connection, transport));
    }
  }

  /** DNS over HTTPS (RFC 8484): TLS, then HTTP/2 or HTTP/1.1 as ALPN decides. */
  private final class HttpsInitializer extends AdmittingInitializer {
    private final ServerTls tls;

    HttpsInitializer(ServerTls tls) {
      this.tls = tls;
    }

    @Override
    void build(Channel ch, TcpConnection connection) {
      ch.pipeline()
          .addLast(
              tls.doh().newHandler(ch.alloc()),
              StopDrain.INSTANCE,
              new IdleStateHandler(0, 0, tcp.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
              new IdleClose(),
              new HttpsNegotiation(processor, connection));
    }
  }

  /**
   * Stops taking new queries and connections, then lets each open connection send what it has
   * answered and closes it.
   */
  public void stop(Duration timeout) {
    stopping = true;
    List<ChannelFuture> closing = new ArrayList<>();
    synchronized (this) {
      bound.values().forEach(b -> {
        closing.add(b.tcp().close());
        b.udp().forEach(c -> closing.add(c.close()));
      });
      dot.forEach(c -> closing.add(c.close()));
      doh.forEach(c -> closing.add(c.close()));
    }
    closing.forEach(f -> f.awaitUninterruptibly(timeout.toMillis()));
    // Each connection finishes on its own event loop: from here its pipeline may be torn down at
    // any moment, by a client that hangs up or an idle timeout.
    connections.forEach(c -> c.pipeline().fireUserEventTriggered(StopDrain.STOP));
    connections.newCloseFuture().awaitUninterruptibly(timeout.toMillis());
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(2));
  }
}
