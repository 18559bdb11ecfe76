package dev.namu.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.NamudServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;

/**
 * NOTIFY out as a secondary meets it, with a test socket on loopback standing in for the
 * secondary: namud tells a zone's secondaries when it starts (as BIND and Knot do when they load a
 * zone), signs each NOTIFY with the zone's transfer key, and takes only a reply signed with that
 * key as the secondary's answer (RFC 8945 5.3), trying again otherwise.
 */
class NotifyOutTest {
  private static final Name ZONE = Name.fromConstantString("notify.test.");
  private static final Name KEY_NAME = Name.fromConstantString("notify-key.");
  private static final String SECRET = "bm90aWZ5LW5vdGlmeS1ub3RpZnktbm90aWZ5LW5vdGk=";
  private static final TSIG KEY = new TSIG(TSIG.HMAC_SHA256, KEY_NAME, SECRET);
  /** How long a NOTIFY may take to arrive on a loaded machine (its first goes 200 ms after the change). */
  private static final Duration ARRIVAL = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aZoneWithSecondariesIsNotifiedWhenNamudStarts() throws Exception {
    try (DatagramSocket secondary = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      try (NamudServer server = start()) {
        configure(server, secondary);
      }
      // a change made while namud ran and answered: drain whatever NOTIFY it sent, answered
      secondary.setSoTimeout(1);
      drain(secondary);
      try (NamudServer restarted = start()) {
        Received notify = receive(secondary, ARRIVAL);
        assertEquals(Opcode.NOTIFY, notify.message().getHeader().getOpcode());
        assertEquals(ZONE, notify.message().getQuestion().getName());
        answer(secondary, notify, true);
      }
    }
  }

  @Test
  void aReplyNotSignedWithTheZonesKeyIsNoAnswerAndTheNotifyIsSentAgain() throws Exception {
    try (DatagramSocket secondary = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        NamudServer server = start()) {
      configure(server, secondary);
      call(server, "POST", "zones/" + ZONE + "/records", "{\"name\":\"x\",\"type\":\"A\",\"data\":\"192.0.2.9\"}", 200);
      Received first = receive(secondary, ARRIVAL);
      assertTrue(first.signedWithKey(), "the NOTIFY is signed with the zone's transfer key");
      answer(secondary, first, false); // NOERROR, but unsigned: anyone could have sent it
      Received again = receive(secondary, ARRIVAL);
      assertTrue(again.signedWithKey());
      answer(secondary, again, true);
      assertEquals(ZONE, again.message().getQuestion().getName());
    }
  }

  private NamudServer start() {
    return NamudServer.start("--listen", "127.0.0.1:0", "--data", dir.resolve("data").toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion", "--rrl-rate", "0");
  }

  private void configure(NamudServer server, DatagramSocket secondary) throws Exception {
    call(server, "PUT", "zones/" + ZONE + "/text",
        "$ORIGIN " + ZONE + "\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ 3600 IN NS ns1\n"
            + "ns1 3600 IN A 192.0.2.53\n", 200);
    call(server, "POST", "keys", "{\"name\":\"" + KEY_NAME + "\",\"secret\":\"" + SECRET + "\"}", 201);
    call(server, "PUT", "zones/" + ZONE + "/transfer", "{\"allowTransfer\":[\"" + KEY_NAME + "\"],\"alsoNotify\":"
        + "[\"127.0.0.1:" + secondary.getLocalPort() + "\"]}", 200);
  }

  private record Received(Message message, byte[] wire, InetSocketAddress from) {
    boolean signedWithKey() {
      return message.getTSIG() != null && KEY.verify(message, wire, null) == Rcode.NOERROR;
    }
  }

  private static Received receive(DatagramSocket socket, Duration within) throws Exception {
    socket.setSoTimeout((int) within.toMillis());
    byte[] buffer = new byte[4096];
    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no NOTIFY within " + within.toSeconds() + " s", e);
    }
    byte[] wire = Arrays.copyOf(p.getData(), p.getLength());
    return new Received(new Message(wire), wire, (InetSocketAddress) p.getSocketAddress());
  }

  private static void drain(DatagramSocket socket) throws Exception {
    byte[] buffer = new byte[4096];
    while (true) {
      DatagramPacket p = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(p);
      } catch (SocketTimeoutException e) {
        return;
      }
    }
  }

  /** NOERROR to {@code notify}, signed with the key as a secondary signs it, or not at all. */
  private static void answer(DatagramSocket socket, Received notify, boolean signed) throws Exception {
    Message reply = new Message(notify.message().getHeader().getID());
    reply.getHeader().setOpcode(Opcode.NOTIFY);
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.AA);
    reply.addRecord(notify.message().getQuestion(), Section.QUESTION);
    if (signed) {
      KEY.apply(reply, notify.message().getTSIG());
    }
    byte[] wire = reply.toWire(65535);
    socket.send(new DatagramPacket(wire, wire.length, notify.from()));
  }

  private void call(NamudServer server, String method, String path, String body, int status) throws Exception {
    String api = "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/";
    String token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
  }
}
