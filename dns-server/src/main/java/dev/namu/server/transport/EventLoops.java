package dev.namu.server.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The event loops and channel classes: native epoll where Netty's native library loads (Linux),
 * Java NIO anywhere else.
 *
 * @param epoll true with native epoll, which also gives SO_REUSEPORT for one UDP socket per loop
 */
public record EventLoops(EventLoopGroup group, boolean epoll, int threads) implements AutoCloseable {

  /** @param threads event loop threads; 0 for one per available processor */
  public static EventLoops create(int threads) {
    int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    DefaultThreadFactory factory = new DefaultThreadFactory("namud-io", true);
    if (Epoll.isAvailable()) {
      return new EventLoops(new EpollEventLoopGroup(n, factory), true, n);
    }
    return new EventLoops(new NioEventLoopGroup(n, factory), false, n);
  }

  public Class<? extends DatagramChannel> datagramChannel() {
    return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
  }

  public Class<? extends ServerChannel> serverChannel() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  /** Lets queued tasks finish (answers in flight), then stops the threads. */
  public void shutdown(Duration quiet, Duration timeout) {
    group
        .shutdownGracefully(quiet.toMillis(), timeout.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(timeout.toMillis() + 1000);
  }

  @Override
  public void close() {
    shutdown(Duration.ofMillis(50), Duration.ofSeconds(3));
  }
}
