package dev.namu.server;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** A raw DNS client for tests: builds queries, sends them over UDP or TCP to loopback. */
public final class DnsWire {
  public static final int TIMEOUT_MS = 2000;
  /**
   * Read timeout for a TCP answer. TCP does not lose the answer: the timeout only ends a test whose
   * server hangs, so on a busy machine it is as long as the UDP tries together.
   */
  public static final int TCP_TIMEOUT_MS = 3 * TIMEOUT_MS;

  private DnsWire() {}

  public static Message query(String name, int type) {
    try {
      Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
      return q;
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static Message queryEdns(String name, int type, int udpSize, boolean dnssecOk) {
    Message q = query(name, type);
    q.addRecord(new OPTRecord(udpSize, 0, 0, dnssecOk ? org.xbill.DNS.ExtendedFlags.DO : 0), Section.ADDITIONAL);
    return q;
  }

  /** Tries of {@link #udp(InetSocketAddress, byte[])}: dig's default, as a stub resolver tries. */
  private static final int UDP_TRIES = 3;

  /**
   * Sends the query and waits for a reply, sending it again after each {@link #TIMEOUT_MS} without
   * one, {@link #UDP_TRIES} times in all, as a real client does: on a busy machine a datagram or
   * its answer may be late or lost. Null when nothing came back.
   */
  public static byte[] udp(InetSocketAddress server, byte[] query) throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0))) {
      s.setSoTimeout(TIMEOUT_MS);
      byte[] buf = new byte[65535];
      for (int i = 0; i < UDP_TRIES; i++) {
        s.send(new DatagramPacket(query, query.length, server));
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          s.receive(p);
          return Arrays.copyOf(buf, p.getLength());
        } catch (SocketTimeoutException e) {
          // tried again
        }
      }
      return null;
    }
  }

  /** Sends one datagram and waits for one, once; null when nothing came back in time. */

  public static byte[] udp(InetSocketAddress server, byte[] query, int timeoutMs) throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0))) {
      s.setSoTimeout(timeoutMs);
      s.send(new DatagramPacket(query, query.length, server));
      byte[] buf = new byte[65535];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        s.receive(p);
      } catch (SocketTimeoutException e) {
        return null;
      }
      return Arrays.copyOf(buf, p.getLength());
    }
  }

  public static Message udp(InetSocketAddress server, Message query) throws IOException {
    byte[] reply = udp(server, query.toWire());
    if (reply == null) {
      throw new SocketTimeoutException("no UDP reply from " + server);
    }
    return new Message(reply);
  }

  public static Message tcp(InetSocketAddress server, Message query) throws IOException {
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(TCP_TIMEOUT_MS);
      writeFrame(s, query.toWire());
      return new Message(readFrame(s));
    }
  }

  public static void writeFrame(Socket s, byte[] message) throws IOException {
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    out.writeShort(message.length);
    out.write(message);
    out.flush();
  }

  public static byte[] readFrame(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    int len = in.readUnsignedShort();
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }
}
