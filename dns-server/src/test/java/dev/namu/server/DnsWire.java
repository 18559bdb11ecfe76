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

  /** Sends one datagram and waits for one; null when nothing came back in time. */
  public static byte[] udp(InetSocketAddress server, byte[] query) throws IOException {
    return udp(server, query, TIMEOUT_MS);
  }

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
      s.setSoTimeout(TIMEOUT_MS);
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
