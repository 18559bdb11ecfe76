package dev.namu.server.peers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Unbound started by a test as the peer resolver namud is compared with. It listens on one
 * loopback address and its queries leave from that address only (outgoing-interface), so it can
 * reach nothing but loopback; a test gives it stub zones for every name it may ask, and a root
 * stub (its own hierarchy's, or {@link #deadRootStub}) so that its built-in root hints are never
 * used.
 */
public final class UnboundPeer implements AutoCloseable {

  private static final long START_SECONDS = 30;

  private final Process process;
  private final Path log;
  private final InetSocketAddress address;

  private UnboundPeer(Process process, Path log, InetSocketAddress address) {
    this.process = process;
    this.log = log;
    this.address = address;
  }

  /**
   * The {@code server:} clause every test's Unbound shares: {@code address:port} in, {@code
   * address} out, no user, chroot or syslog, files in {@code dir}, the special-use {@code test.}
   * TLD delegated like any other (RFC 6761 6.2 has Unbound answer it itself). A test appends its
   * own server options (module-config, trust anchors...) and then its stub zones.
   */
  public static StringBuilder config(Path dir, String address, int port) {
    return new StringBuilder("server:\n")
        .append("  interface: ").append(address).append('\n')
        .append("  port: ").append(port).append('\n')
        .append("  outgoing-interface: ").append(address).append('\n')
        .append("  do-ip6: no\n  do-not-query-localhost: no\n  username: \"\"\n  chroot: \"\"\n")
        .append("  directory: \"").append(dir).append("\"\n")
        .append("  pidfile: \"").append(dir.resolve("unbound.pid")).append("\"\n")
        .append("  use-syslog: no\n  logfile: \"\"\n  verbosity: 1\n")
        .append("  access-control: 127.0.0.0/8 allow\n")
        .append("  local-zone: \"test.\" nodefault\n");
  }

  /** A stub zone for the root at a port of {@code address} nobody listens on. */
  public static String deadRootStub(String address) throws IOException {
    return "stub-zone:\n  name: \".\"\n  stub-addr: " + address + "@" + freePort(address) + "\n";
  }

  /** A UDP port of {@code address} that nobody listens on once this returns. */
  public static int freePort(String address) throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
      return s.getLocalPort();
    }
  }

  /**
   * Starts Unbound with {@code config} (written to {@code dir/unbound.conf}, its output to {@code
   * dir/unbound.out}) and returns once it answers a SOA question for {@code probe}, whatever the
   * answer. Skips the test when Unbound is not installed.
   *
   * @throws AssertionError when it exits or does not answer within 30 s (with its log)
   */
  public static UnboundPeer start(Path dir, CharSequence config, InetSocketAddress address, String probe)
      throws IOException, InterruptedException {
    var unbound = ToolLocator.find("unbound");
    assumeTrue(unbound.isPresent(), ToolLocator.missing("unbound", "unbound"));
    Path file = Files.writeString(dir.resolve("unbound.conf"), config);
    Path log = dir.resolve("unbound.out");
    Process process = new ProcessBuilder(unbound.get().toString(), "-d", "-c", file.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    UnboundPeer peer = new UnboundPeer(process, log, address);
    try {
      peer.awaitAnswering(probe);
      return peer;
    } catch (IOException | RuntimeException | Error | InterruptedException e) {
      peer.close();
      throw e;
    }
  }

  private void awaitAnswering(String probe) throws IOException, InterruptedException {
    byte[] query = question(probe);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address.getAddress(), 0))) {
      socket.setSoTimeout(200);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError("unbound exited: " + log());
        }
        socket.send(new DatagramPacket(query, query.length, address));
        try {
          socket.receive(new DatagramPacket(new byte[4096], 4096));
          return;
        } catch (SocketTimeoutException notYet) {
          // not listening yet
        }
      }
    }
    throw new AssertionError("unbound did not answer on " + address + " within " + START_SECONDS + " s: " + log());
  }

  private static byte[] question(String name) {
    try {
      return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.SOA, 1)).toWire();
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  public int port() {
    return address.getPort();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** What Unbound printed so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** SIGTERM, then SIGKILL if it is still running 10 s later. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
