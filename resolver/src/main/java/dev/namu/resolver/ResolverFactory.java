package dev.namu.resolver;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.namu.resolver.transport.NettyUpstreamTransport;
import dev.namu.resolver.transport.UpstreamTransport;
import java.util.Random;

/**
 * Builds resolvers. Iterating or forwarding is decided by the configuration (forwarders for
 * everything, conditional forward zones, stub zones, root hints); the same caches serve all.
 */
public final class ResolverFactory {
  /** IO threads of the default upstream transport. */
  public static final int DEFAULT_IO_THREADS = 2;

  private ResolverFactory() {}

  /** A resolver on a Netty UDP/TCP upstream transport and the system clock. */
  public static Resolver create(ResolverConfig config) {
    return create(config, Ticker.systemTicker());
  }

  /** A resolver on a Netty UDP/TCP upstream transport and the given clock (a server's tests). */
  public static Resolver create(ResolverConfig config, Ticker ticker) {
    return create(config, new NettyUpstreamTransport(DEFAULT_IO_THREADS, config.outgoingPorts()), ticker, SHARED_RANDOM);
  }

  /**
   * Server selection needs spread, not secrecy (IDs and ports, the RFC 5452 defences, come
   * from the transport's SecureRandom), so it uses the contention-free ThreadLocalRandom.
   */
  private static final Random SHARED_RANDOM = new Random() {
    private static final long serialVersionUID = 1L;

    @Override
    protected int next(int bits) {
      return java.util.concurrent.ThreadLocalRandom.current().nextInt() >>> (32 - bits);
    }
  };

  /**
   * A resolver on the given transport and clock (tests, replays). The resolver owns the
   * transport and closes it on {@link Resolver#close()}.
   *
   * @param random picks among equally fast servers (seed it for reproducible replays)
   */
  public static Resolver create(ResolverConfig config, UpstreamTransport transport, Ticker ticker, Random random) {
    return new DefaultResolver(config, transport, ticker, random);
  }
}
