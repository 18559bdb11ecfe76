package dev.namu.server;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for a namud that client tools (dig, kdig, nsupdate) talk to: free for UDP and
 * TCP and below the kernel's ephemeral range. namud's UDP sockets use SO_REUSEPORT, and so do the
 * client sockets of BIND's tools; for two sockets of the same user that both set it, Linux may hand
 * the server's port to the client as its own ephemeral port (seen about once in 15,000 binds).
 * dig then sends its query from that port to that port and reads its own query back (";; Warning:
 * query response not set"). A server port the kernel never hands out cannot be shared that way.
 */
public final class ToolPorts {
  private static final int LOWEST = 20_000;

  private ToolPorts() {}

  /** {@code 127.0.0.1:PORT} for {@code --listen}, PORT free now and outside the ephemeral range. */
  public static String listen() {
    return "127.0.0.1:" + freePort();
  }

  public static int freePort() {
    int below = ephemeralLow();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (free(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port in " + LOWEST + "-" + (below - 1));
  }

  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      int low = Integer.parseInt(range.split("\\s+")[0]);
      return low > LOWEST + 1000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768; // Linux's default; elsewhere the range is higher still
    }
  }

  private static boolean free(int port) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, port));
        ServerSocket tcp = new ServerSocket(port, 1, loopback)) {
      return udp.isBound() && tcp.isBound();
    } catch (IOException e) {
      return false;
    }
  }
}
