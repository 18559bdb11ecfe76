import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Slow TCP clients against a running namud: COUNT connections from 127.0.0.2 and up (SOURCES
 * addresses, so the per-address bound does not cap them) each send one byte of a query every
 * TRICKLE seconds and connect again when closed; meanwhile a new TCP query from 127.0.0.1 every
 * 100 ms, timed. Stops by itself after SECONDS. Prints the new queries' latency (median, max) and
 * how many got no answer.
 *
 * <p>java perf/TcpTrickle.java PORT [COUNT=2000] [SOURCES=40] [SECONDS=30] [TRICKLE=4]
 */
public final class TcpTrickle {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int sources = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    long seconds = args.length > 3 ? Long.parseLong(args[3]) : 30;
    long trickleMs = (args.length > 4 ? Long.parseLong(args[4]) : 4) * 1000;
    InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    SocketChannel[] slow = new SocketChannel[count];
    InetAddress[] from = new InetAddress[count];
    int connects = 0;
    for (int i = 0; i < count; i++) {
      from[i] = InetAddress.getByName("127.0.0." + (2 + i % sources));
      slow[i] = connect(from[i], server);
      connects++;
    }
    byte[] query = query();
    List<Long> micros = new ArrayList<>();
    int unanswered = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long nextTrickle = 0;
    ByteBuffer drain = ByteBuffer.allocate(512);
    while (System.nanoTime() < end) {
      if (System.nanoTime() >= nextTrickle) {
        nextTrickle = System.nanoTime() + trickleMs * 1_000_000L;
        for (int i = 0; i < count; i++) {
          boolean open;
          try {
            drain.clear();
            open = slow[i].read(drain) >= 0 && slow[i].write(ByteBuffer.wrap(new byte[] {1})) == 1;
          } catch (IOException e) {
            open = false;
          }
          if (!open) {
            slow[i].close();
            slow[i] = connect(from[i], server);
            connects++;
            slow[i].write(ByteBuffer.wrap(new byte[] {1}));
          }
        }
      }
      long start = System.nanoTime();
      try (Socket s = new Socket(server.getAddress(), port)) {
        s.setSoTimeout(5000);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(query.length);
        out.write(query);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        in.readFully(new byte[in.readUnsignedShort()]);
        micros.add((System.nanoTime() - start) / 1000);
      } catch (IOException e) {
        unanswered++;
      }
      Thread.sleep(100);
    }
    for (SocketChannel c : slow) {
      c.close();
    }
    long[] sorted = micros.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        "%d slow connections from %d addresses (%d connects), %d new TCP queries: median %.1f ms,"
            + " max %.1f ms, %d unanswered%n",
        count, sources, connects, sorted.length,
        sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1000.0,
        sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0, unanswered);
    System.exit(unanswered == 0 ? 0 : 1);
  }

  private static SocketChannel connect(InetAddress from, InetSocketAddress server) throws IOException {
    SocketChannel c = SocketChannel.open();
    c.bind(new InetSocketAddress(from, 0));
    c.connect(server);
    c.configureBlocking(false);
    return c;
  }

  /** nas.home.lan/A (a built-in example zone), id 0x1234, RD. */
  private static byte[] query() {
    ByteBuffer b = ByteBuffer.allocate(64);
    b.putShort((short) 0x1234).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
        .putShort((short) 0).putShort((short) 0);
    for (String label : new String[] {"nas", "home", "lan"}) {
      b.put((byte) label.length()).put(label.getBytes());
    }
    b.put((byte) 0).putShort((short) 1).putShort((short) 1);
    return Arrays.copyOf(b.array(), b.position());
  }
}
