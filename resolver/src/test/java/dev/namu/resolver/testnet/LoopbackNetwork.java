package dev.namu.resolver.testnet;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Message;

/**
 * Runs {@link MiniAuthority} servers on loopback addresses 127.0.0.x, all on one shared
 * ephemeral port (UDP and TCP), so a resolver with that upstream port override can iterate
 * through them without root rights. Only loopback addresses are ever bound.
 */
public final class LoopbackNetwork implements AutoCloseable {
  private static final int BIND_ATTEMPTS = 10;

  private final List<AutoCloseable> sockets = new ArrayList<>();
  /** Sockets forged replies are sent from when they claim another loopback address, by address. */
  private final Map<InetAddress, DatagramSocket> forgers = new java.util.concurrent.ConcurrentHashMap<>();
  private final int port;

  private LoopbackNetwork(Map<String, MiniAuthority> servers) throws IOException {
    int p = 0;
    IOException last = null;
    for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
      try {
        p = bindAll(servers);
        last = null;
        break;
      } catch (BindException e) {
        closeAll();
        last = e;
      }
    }
    if (last != null) throw last;
    this.port = p;
  }

  /** Starts the servers; keys are loopback addresses ("127.0.0.11"). */
  public static LoopbackNetwork start(Map<String, MiniAuthority> servers) throws IOException {
    for (String a : servers.keySet()) {
      if (!InetAddress.getByName(a).isLoopbackAddress()) throw new IllegalArgumentException("not loopback: " + a);
    }
    return new LoopbackNetwork(new LinkedHashMap<>(servers));
  }

  public int port() {
    return port;
  }

  private int bindAll(Map<String, MiniAuthority> servers) throws IOException {
    int shared = 0;
    for (Map.Entry<String, MiniAuthority> e : servers.entrySet()) {
      InetAddress addr = InetAddress.getByName(e.getKey());
      DatagramSocket udp = new DatagramSocket(null);
      udp.bind(new InetSocketAddress(addr, shared));
      sockets.add(udp);
      if (shared == 0) shared = udp.getLocalPort();
      ServerSocket tcp = new ServerSocket();
      tcp.bind(new InetSocketAddress(addr, shared));
      sockets.add(tcp);
      DatagramSocket forger = new DatagramSocket(new InetSocketAddress(addr, 0));
      sockets.add(forger);
      MiniAuthority server = e.getValue();
      daemon(() -> serveUdp(udp, forger, server, this::forgerAt), "udp-" + e.getKey());
      daemon(() -> serveTcp(tcp, server), "tcp-" + e.getKey());
    }
    return shared;
  }

  private static void daemon(Runnable r, String name) {
    Thread t = new Thread(r, "loopback-" + name);
    t.setDaemon(true);
    t.start();
  }

  /** A socket on another loopback address, opened on first use and closed with the network. */
  private DatagramSocket forgerAt(String address) {
    try {
      InetAddress a = InetAddress.getByName(address);
      if (!a.isLoopbackAddress()) throw new IllegalArgumentException("not loopback: " + address);
      return forgers.computeIfAbsent(a, k -> {
        try {
          DatagramSocket s = new DatagramSocket(new InetSocketAddress(k, 0));
          synchronized (sockets) {
            sockets.add(s);
          }
          return s;
        } catch (SocketException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void serveUdp(DatagramSocket udp, DatagramSocket forger, MiniAuthority server,
      java.util.function.Function<String, DatagramSocket> forgerAt) {
    byte[] buf = new byte[65535];
    while (!udp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        for (MiniAuthority.Spoof s : server.spoofsFor(q)) {
          byte[] w = s.message().toWire();
          DatagramSocket from = s.fromAddress() != null ? forgerAt.apply(s.fromAddress()) : s.otherPort() ? forger : udp;
          from.send(new DatagramPacket(w, w.length, p.getSocketAddress()));
        }
        Message reply = server.handle(q, false);
        if (reply != null) {
          byte[] w = reply.toWire();
          udp.send(new DatagramPacket(w, w.length, p.getSocketAddress()));
        }
      } catch (SocketException closed) {
        return;
      } catch (IOException | RuntimeException e) {
        // A query the mini server cannot parse or answer: drop it, as a real server might.
      }
    }
  }

  private static void serveTcp(ServerSocket tcp, MiniAuthority server) {
    while (!tcp.isClosed()) {
      try (Socket s = tcp.accept()) {
        s.setSoTimeout(5000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        int len = in.readUnsignedShort();
        byte[] q = in.readNBytes(len);
        Message reply = server.handle(new Message(q), true);
        if (reply != null) {
          byte[] w = reply.toWire();
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          out.writeShort(w.length);
          out.write(w);
          out.flush();
        }
      } catch (SocketException closed) {
        if (tcp.isClosed()) return;
      } catch (IOException | RuntimeException e) {
        // one bad connection; keep serving
      }
    }
  }

  private void closeAll() {
    forgers.clear();
    synchronized (sockets) {
      for (AutoCloseable c : sockets) {
        try {
          c.close();
        } catch (Exception ignored) {
          // closing test sockets
        }
      }
      sockets.clear();
    }
  }

  @Override
  public void close() {
    closeAll();
  }
}
