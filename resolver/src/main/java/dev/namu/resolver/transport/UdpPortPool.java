package dev.namu.resolver.transport;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * UDP upstream queries over a bounded pool of sockets, each bound to a port the kernel picks at
 * random, the way Unbound keeps {@code outgoing-range} ports open instead of paying for a new
 * socket per query.
 *
 * <p>RFC 5452's defences stay whole: every query goes out from a port picked at random among
 * {@link #DEFAULT_PORTS} open ones with a random ID (section 9.2; a {@link SecureRandom} per
 * sending thread), and a reply is accepted only when it comes from the queried address and port,
 * carries the ID of a query outstanding on that socket, and repeats its question (section 3,
 * {@link ReplyMatcher}), in the random case it was sent in when 0x20 is asked for ({@link
 * AskedQuestion}); anything else is counted and ignored while the wait goes on. A socket is
 * replaced by a freshly bound one after {@link #DEFAULT_REUSE} queries, so the set of open ports
 * keeps moving and cannot be learnt once and for all.
 *
 * <p>Sockets are unconnected (one socket serves many servers), so an ICMP port-unreachable is not
 * reported: a server that is down costs its timeout, as it does with a silent one. Sockets for
 * loopback servers bind to the loopback address; others to the wildcard address.
 *
 * <p>Sends happen on the caller's thread (a non-blocking {@code sendto}, no hand-over); replies
 * are read by {@code threads} receiver threads, each owning a share of the sockets, and the
 * query's future completes on the receiver thread. Timeouts are swept every {@link #SWEEP_MILLIS}.
 */
final class UdpPortPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UdpPortPool.class);
  /** Open sockets per local binding (Unbound's outgoing-range is 4096, fd-bound). */
  static final int DEFAULT_PORTS = 256;
  /** Queries sent from one socket before it is replaced by one on a new random port. */
  static final int DEFAULT_REUSE = 64;
  /** How often outstanding queries are checked for expiry. */
  static final long SWEEP_MILLIS = 10;
  /** Largest UDP reply read (our EDNS size is at most this). */
  private static final int MAX_REPLY = 65535;
  /** Random ports of the outgoing range tried before a socket cannot be opened. */
  private static final int BIND_ATTEMPTS = 64;
  /** Attempts at a free random ID on one socket before the query fails. */
  private static final int ID_ATTEMPTS = 16;
  /**
   * A retired socket stays open at least this long, so a sender that picked it just before it
   * was retired can still use it; after that it closes once nothing is outstanding on it.
   */
  private static final long RETIRE_GRACE_NANOS = 2_000_000_000L;
  private static final InetSocketAddress LOOPBACK_V4 = local(new byte[] {127, 0, 0, 1});
  private static final InetSocketAddress LOOPBACK_V6 = local(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  private static final InetSocketAddress ANY_V4 = local(new byte[4]);
  private static final InetSocketAddress ANY_V6 = local(new byte[16]);

  private final int portsPerBinding;
  /** First and last port sockets may bind, or 0 and 0 for the kernel's pick. */
  private final int lowPort;
  private final int highPort;
  private final int reuse;
  private final Receiver[] receivers;
  private final ConcurrentHashMap<InetSocketAddress, AtomicReferenceArray<Port>> bindings = new ConcurrentHashMap<>();
  private final ThreadLocal<RandomBits> random = ThreadLocal.withInitial(RandomBits::new);
  private final AtomicLong rejected;
  private final AtomicInteger nextReceiver = new AtomicInteger();
  private volatile boolean closed;

  UdpPortPool(int threads, int portsPerBinding, int reuse, AtomicLong rejected) throws IOException {
    this(threads, new OutgoingPorts(portsPerBinding, 0, 0), reuse, rejected);
  }

  UdpPortPool(int threads, OutgoingPorts ports, int reuse, AtomicLong rejected) throws IOException {
    if (threads < 1 || reuse < 1) {
      throw new IllegalArgumentException("threads and reuse must be positive");
    }
    this.portsPerBinding = ports.sockets();
    this.lowPort = ports.low();
    this.highPort = ports.high();
    this.reuse = reuse;
    this.rejected = rejected;
    this.receivers = new Receiver[threads];
    for (int i = 0; i < threads; i++) {
      receivers[i] = new Receiver(Selector.open());
      Thread t = new Thread(receivers[i]::run, "namu-upstream-udp-" + i);
      t.setDaemon(true);
      t.start();
    }
  }

  /**
   * Unpredictable bits for ports and IDs, one source per sending thread (no lock shared between
   * threads), drawn from a {@link SecureRandom} a block at a time: one DRBG call serves many
   * queries instead of one call per draw.
   */
  private static final class RandomBits {
    private final SecureRandom source = newRandom();
    private final byte[] block = new byte[512];
    private int next = block.length;

    /** A uniformly random int in [0, bound), bound at most 65536. */
    int below(int bound) {
      if (next + 2 > block.length) {
        source.nextBytes(block);
        next = 0;
      }
      int v = ((block[next] & 0xff) << 8) | (block[next + 1] & 0xff);
      next += 2;
      // bounds are powers of two in practice (65536, pool sizes); otherwise the modulo bias of
      // at most bound/65536 is harmless for choosing a socket
      return bound == 0x10000 ? v : v % bound;
    }

    private static SecureRandom newRandom() {
      try {
        return SecureRandom.getInstance("DRBG"); // its own state: no lock shared between threads
      } catch (NoSuchAlgorithmException e) {
        return new SecureRandom();
      }
    }
  }

  /**
   * Sends {@code query} (its ID is set here) and completes with the matching reply; with {@code
   * randomCase}, its question name goes out with letters in random case and only a reply that
   * repeats them is accepted (see {@link QuestionCase}).
   */
  void send(InetSocketAddress server, Message query, Duration timeout, boolean randomCase,
      CompletableFuture<Message> result) {
    if (closed) {
      result.completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK, "resolver closed"));
      return;
    }
    RandomBits rnd = random.get();
    Port port;
    try {
      port = pick(localFor(server.getAddress()), rnd);
    } catch (IOException e) {
      result.completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK,
          server + ": no UDP socket: " + e.getMessage(), e));
      return;
    }
    long deadline = System.nanoTime() + Math.max(1, timeout.toNanos());
    AskedQuestion asked = AskedQuestion.of(query, randomCase, () -> rnd.below(0x10000));
    Pending p = new Pending(server, query, deadline, timeout.toMillis(), result, asked);
    int id = -1;
    for (int i = 0; i < ID_ATTEMPTS && id < 0; i++) {
      int candidate = rnd.below(0x10000);
      if (port.pending.putIfAbsent(candidate, p) == null) id = candidate;
    }
    if (id < 0) {
      result.completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK,
          server + ": no free query ID on port " + port.localPort));
      return;
    }
    query.getHeader().setID(id);
    byte[] wire = asked.withId(id);
    try {
      if (port.channel.send(ByteBuffer.wrap(wire), server) == 0) {
        fail(port, id, p, server + ": socket send buffer full");
      }
    } catch (IOException | RuntimeException e) {
      fail(port, id, p, server + ": send failed: " + e.getMessage());
    }
  }

  private static void fail(Port port, int id, Pending p, String why) {
    if (port.pending.remove(id, p)) {
      p.result.completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK, why));
    }
  }

  /** Where a socket for this server binds: loopback for loopback servers, else the wildcard. */
  static InetSocketAddress localFor(InetAddress server) {
    boolean v4 = server instanceof Inet4Address;
    if (server.isLoopbackAddress()) {
      return v4 ? LOOPBACK_V4 : LOOPBACK_V6;
    }
    return v4 ? ANY_V4 : ANY_V6;
  }

  private static InetSocketAddress local(byte[] address) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(address), 0);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: the length is right
    }
  }

  /** A random open socket of the binding, opening or replacing it as needed. */
  private Port pick(InetSocketAddress local, RandomBits rnd) throws IOException {
    AtomicReferenceArray<Port> slots = bindings.computeIfAbsent(local, k -> new AtomicReferenceArray<>(portsPerBinding));
    int i = rnd.below(portsPerBinding);
    Port p = slots.get(i);
    if (p == null || p.retired()) {
      Port fresh = open(local, rnd);
      if (slots.compareAndSet(i, p, fresh)) {
        if (p != null) p.retire();
        p = fresh;
      } else {
        fresh.retire(); // another thread filled the slot first; the receiver closes ours
        p = slots.get(i);
        if (p == null) throw new IOException("socket slot contention");
      }
    }
    if (p.uses.incrementAndGet() >= reuse) {
      // Last query from this port: the next pick of this slot opens a new random port; this one
      // stays open until its outstanding queries are answered or time out.
      p.retire();
    }
    return p;
  }

  private Port open(InetSocketAddress local, RandomBits rnd) throws IOException {
    DatagramChannel ch = DatagramChannel.open(
        local.getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
    try {
      ch.configureBlocking(false);
      bind(ch, local, rnd);
      Receiver owner = receivers[Math.floorMod(nextReceiver.getAndIncrement(), receivers.length)];
      Port p = new Port(ch, ((InetSocketAddress) ch.getLocalAddress()).getPort(), owner);
      owner.adopt(p);
      return p;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Binds the socket to a random free port: the kernel's pick of its ephemeral ports, or one drawn
   * here from the configured range (a port in use by another socket is drawn again).
   */
  private void bind(DatagramChannel ch, InetSocketAddress local, RandomBits rnd) throws IOException {
    if (lowPort == 0) {
      ch.bind(local); // port 0: the kernel picks a random free ephemeral port
      return;
    }
    int size = highPort - lowPort + 1;
    for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      int port = lowPort + randomBelow(rnd, size);
      try {
        ch.bind(new InetSocketAddress(local.getAddress(), port));
        return;
      } catch (java.net.BindException inUse) {
        // taken (by a socket of ours still draining, or another program): draw again
      }
    }
    throw new IOException("no free port in the outgoing range " + lowPort + "-" + highPort
        + " after " + BIND_ATTEMPTS + " tries");
  }

  /** Uniform in [0, bound) for any bound up to 65536, by rejection of the remainder. */
  private static int randomBelow(RandomBits rnd, int bound) {
    int limit = 0x10000 - 0x10000 % bound;
    while (true) {
      int v = rnd.below(0x10000);
      if (v < limit) return v % bound;
    }
  }

  /** Open sockets, retired ones still draining included (for tests). */
  int openSockets() {
    int n = 0;
    for (Receiver r : receivers) n += r.ports.size();
    return n;
  }

  /** Open sockets that new queries may still pick: at most the pool size per binding. */
  int socketsInService() {
    int n = 0;
    for (Receiver r : receivers) {
      for (Port p : r.ports) if (!p.retired()) n++;
    }
    return n;
  }

  @Override
  public void close() {
    closed = true;
    for (Receiver r : receivers) r.selector.wakeup();
  }

  /** One query waiting for its reply. */
  private record Pending(InetSocketAddress server, Message query, long deadline, long timeoutMillis,
      CompletableFuture<Message> result, AskedQuestion asked) {}

  /** One open socket and the queries outstanding on it, by ID. */
  private static final class Port {
    final DatagramChannel channel;
    final int localPort;
    final Receiver owner;
    final ConcurrentHashMap<Integer, Pending> pending = new ConcurrentHashMap<>();
    final AtomicInteger uses = new AtomicInteger();
    /** System.nanoTime() when retired (0: in service). */
    private volatile long retiredAt;

    Port(DatagramChannel channel, int localPort, Receiver owner) {
      this.channel = channel;
      this.localPort = localPort;
      this.owner = owner;
    }

    boolean retired() {
      return retiredAt != 0;
    }

    void retire() {
      if (retiredAt == 0) retiredAt = System.nanoTime() | 1;
    }

    boolean closable(long now) {
      long at = retiredAt;
      return at != 0 && now - at >= RETIRE_GRACE_NANOS && pending.isEmpty();
    }
  }

  /** A thread reading the replies of its share of the sockets, and expiring their queries. */
  private final class Receiver {
    final Selector selector;
    final Set<Port> ports = ConcurrentHashMap.newKeySet();
    final java.util.Queue<Port> adopted = new java.util.concurrent.ConcurrentLinkedQueue<>();
    final ByteBuffer buffer = ByteBuffer.allocate(MAX_REPLY);

    Receiver(Selector selector) {
      this.selector = selector;
    }

    /** Registration happens on the receiver thread (the selector is not shared). */
    void adopt(Port p) {
      ports.add(p);
      adopted.add(p);
      selector.wakeup();
    }

    void run() {
      long nextSweep = System.nanoTime();
      try {
        while (!closed) {
          selector.select(SWEEP_MILLIS);
          Port p;
          while ((p = adopted.poll()) != null) {
            try {
              p.channel.register(selector, SelectionKey.OP_READ, p);
            } catch (IOException | RuntimeException e) {
              LOG.warn("upstream UDP socket could not be watched: {}", e.toString());
              p.retire();
            }
          }
          Iterator<SelectionKey> it = selector.selectedKeys().iterator();
          while (it.hasNext()) {
            SelectionKey k = it.next();
            it.remove();
            if (k.isValid() && k.isReadable()) drain((Port) k.attachment());
          }
          long now = System.nanoTime();
          if (now - nextSweep >= 0) {
            sweep(now);
            nextSweep = now + SWEEP_MILLIS * 1_000_000L;
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.error("upstream UDP receiver stopped: {}", e.toString());
      } finally {
        shutdown();
      }
    }

    private void drain(Port p) {
      while (true) {
        buffer.clear();
        SocketAddress from;
        try {
          from = p.channel.receive(buffer);
        } catch (IOException e) {
          LOG.debug("upstream UDP receive on port {} failed: {}", p.localPort, e.toString());
          return;
        }
        if (from == null) return;
        buffer.flip();
        deliver(p, from, buffer);
      }
    }

    /** RFC 5452 section 3: address, port, ID and question must all match an outstanding query. */
    private void deliver(Port p, SocketAddress from, ByteBuffer data) {
      if (data.remaining() < 12) {
        rejected.incrementAndGet();
        return;
      }
      int id = data.getShort(0) & 0xffff;
      Pending q = p.pending.get(id);
      if (q == null || !q.server().equals(from)) {
        rejected.incrementAndGet();
        LOG.debug("upstream reply on port {} from {} with no query of that ID to that server ignored",
            p.localPort, from);
        return;
      }
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      if (!q.asked().accepts(bytes)) {
        // 0x20: the right ID from the right address and port, with the question's letters in
        // another case. A forger who guessed ID and port, or a server that does not keep case:
        // wait on for the real reply; the timeout tells which (see the sweep).
        rejected.incrementAndGet();
        LOG.debug("upstream reply on port {} from {} with the question in another case ignored (0x20)",
            p.localPort, from);
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
      if (!ReplyMatcher.matches(q.query(), reply)) {
        rejected.incrementAndGet();
        LOG.debug("upstream reply with wrong question or cookie ignored (RFC 5452, RFC 7873 5.3)");
        return;
      }
      if (p.pending.remove(id, q)) {
        q.result().complete(reply);
      }
    }

    private void sweep(long now) {
      for (Port p : ports) {
        if (!p.pending.isEmpty()) {
          for (Map.Entry<Integer, Pending> e : p.pending.entrySet()) {
            Pending q = e.getValue();
            if (now - q.deadline() >= 0 && p.pending.remove(e.getKey(), q)) {
              q.result().completeExceptionally(q.asked().caseChanged()
                  ? AskedQuestion.caseMismatch(q.server())
                  : new UpstreamException(UpstreamException.Kind.TIMEOUT,
                      q.server() + ": no reply within " + q.timeoutMillis() + " ms"));
            }
          }
        }
        if (p.closable(now)) {
          ports.remove(p);
          closeQuietly(p);
        }
      }
    }

    private void shutdown() {
      for (Port p : ports) {
        for (Pending q : p.pending.values()) {
          q.result().completeExceptionally(new UpstreamException(UpstreamException.Kind.NETWORK, "resolver closed"));
        }
        p.pending.clear();
        closeQuietly(p);
      }
      ports.clear();
      try {
        selector.close();
      } catch (IOException e) {
        LOG.debug("closing selector: {}", e.toString());
      }
    }

    private void closeQuietly(Port p) {
      try {
        p.channel.close();
      } catch (IOException e) {
        LOG.debug("closing upstream socket: {}", e.toString());
      }
    }
  }
}
