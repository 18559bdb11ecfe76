package dev.namu.server.recursion;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.xbill.DNS.Message;

/**
 * Upstream servers scripted in Java on loopback addresses 127.0.0.x, one shared free UDP port,
 * each answering with a function of the query and keeping every query it got with the port it
 * came from: what a resolver shows its upstreams (names, EDNS size, source ports) is there to see.
 * Only loopback addresses are bound.
 */
final class ScriptedHierarchy implements AutoCloseable {
  /** One query as a server got it. */
  record Seen(String server, Message query, int sourcePort) {}

  /** A server: its loopback address and how it answers (null: no reply). */
  record Server(String address, Function<Message, Message> answer) {}

  private static final int BIND_ATTEMPTS = 10;

  private final List<DatagramSocket> sockets = new ArrayList<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  final int port;

  private ScriptedHierarchy(List<Server> servers) throws IOException {
    IOException last = null;
    int bound = 0;
    for (int attempt = 0; attempt < BIND_ATTEMPTS && bound == 0; attempt++) {
      try {
        bound = bindAll(servers);
      } catch (BindException e) {
        // the port was free on the first address but not on another: try another port
        close();
        sockets.clear();
        last = e;
      }
    }
    if (bound == 0) {
      throw last;
    }
    port = bound;
  }

  static ScriptedHierarchy start(Server... servers) throws IOException {
    return new ScriptedHierarchy(List.of(servers));
  }

  private int bindAll(List<Server> servers) throws IOException {
    int shared = 0;
    for (Server s : servers) {
      InetAddress address = InetAddress.getByName(s.address());
      if (!address.isLoopbackAddress()) {
        throw new IllegalArgumentException("not loopback: " + s.address());
      }
      DatagramSocket udp = new DatagramSocket(null);
      udp.bind(new InetSocketAddress(address, shared));
      sockets.add(udp);
      shared = udp.getLocalPort();
      Thread t = new Thread(() -> serve(udp, s), "scripted-" + s.address());
      t.setDaemon(true);
      t.start();
    }
    return shared;
  }

  private void serve(DatagramSocket udp, Server server) {
    byte[] buffer = new byte[65535];
    while (!udp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        udp.receive(p);
        Message query = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        seen.add(new Seen(server.address(), query, p.getPort()));
        Message reply = server.answer().apply(query);
        if (reply != null) {
          byte[] wire = reply.toWire();
          udp.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
        }
      } catch (SocketException closed) {
        return;
      } catch (IOException | RuntimeException e) {
        // a datagram the script cannot read or answer: dropped, as a real server might
      }
    }
  }

  /** Every query so far, in the order the servers got them. */
  List<Seen> seen() {
    return List.copyOf(seen);
  }

  /** A named.root file whose one root server is {@code address}. */
  static Path hints(Path dir, String address) throws IOException {
    return Files.writeString(dir.resolve("root.hints"),
        ". 3600000 NS a.root-servers.\na.root-servers. 3600000 A " + address + "\n");
  }

  @Override
  public void close() {
    for (DatagramSocket s : sockets) {
      s.close();
    }
  }
}
