package dev.namu.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.peers.ToolRun;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * A zone served from a file, with its transfer settings given as flags (the config file's
 * {@code transfer.allow} and {@code transfer.also-notify} become the same flags): real dig AXFRs
 * without the key (refused) and with it (the zone), and a reload of the file with a new serial
 * NOTIFYs the secondary, a test socket on loopback.
 */
class FileZoneTransferTest {
  private static final String ZONE = "filexfr.test.";
  private static final String KEY = "file-key.";
  private static final String SECRET = "ZmlsZS1maWxlLWZpbGUtZmlsZS1maWxlLWZpbGUtZmk=";
  private static final int NOTIFY_WITHIN_MS = 30_000;

  @TempDir Path dir;

  @Test
  void aFileZoneIsTransferredWithItsKeyOnlyAndAReloadWithANewSerialNotifies() throws Exception {
    var dig = ToolLocator.find("dig");
    assumeTrue(dig.isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Files.writeString(zones.resolve("filexfr.test.zone"), zoneText(1));
    try (DatagramSocket secondary = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        NamudServer server = NamudServer.start("--listen", "127.0.0.1:0", "--zones", zones.toString(),
            "--data", dir.resolve("data").toString(), "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion",
            "--rrl-rate", "0", "--allow-transfer", ZONE + "=" + KEY,
            "--also-notify", ZONE + "=127.0.0.1:" + secondary.getLocalPort())) {
      call(server, "POST", "keys", "{\"name\":\"" + KEY + "\",\"secret\":\"" + SECRET + "\"}", 201);
      int port = server.boundAddresses().get(0).getPort();

      String refused = ToolRun.of(dig.get().toString(), "@127.0.0.1", "-p", Integer.toString(port), "+tries=1", "+time=10",
          ZONE, "axfr").out();
      assertTrue(refused.contains("Transfer failed"), refused);
      String signed = ToolRun.of(dig.get().toString(), "@127.0.0.1", "-p", Integer.toString(port), "+tries=1", "+time=10",
          ZONE, "axfr", "-y", "hmac-sha256:" + KEY + ":" + SECRET).out();
      List<Record> records = records(signed);
      assertEquals(new HashSet<>(server.zones().current().zone(Name.fromString(ZONE)).records()),
          new HashSet<>(records), signed);
      assertTrue(records.size() > 3, signed);

      Files.writeString(zones.resolve("filexfr.test.zone"), zoneText(2));
      call(server, "POST", "reload", null, 200);
      // the NOTIFY sent at start (serial 1) may come first; the reload's carries serial 2
      long deadline = System.currentTimeMillis() + NOTIFY_WITHIN_MS;
      long serial = -1;
      while (serial != 2 && System.currentTimeMillis() < deadline) {
        Message notify = receive(secondary, (int) Math.max(1, deadline - System.currentTimeMillis()));
        assertEquals(Opcode.NOTIFY, notify.getHeader().getOpcode());
        assertEquals(Name.fromString(ZONE), notify.getQuestion().getName());
        assertTrue(notify.getTSIG() != null, "signed with the zone's transfer key");
        serial = ((SOARecord) notify.getSection(Section.ANSWER).get(0)).getSerial();
      }
      assertEquals(2, serial, "the reload's NOTIFY carries the new serial");
    }
  }

  private static String zoneText(long serial) {
    StringBuilder b = new StringBuilder("$ORIGIN " + ZONE + "\n@ 3600 IN SOA ns1 hostmaster " + serial
        + " 3600 600 86400 300\n@ 3600 IN NS ns1\nns1 3600 IN A 192.0.2.53\n");
    for (int i = 0; i < 20; i++) {
      b.append("h").append(i).append(" 3600 IN A 192.0.2.").append(100 + i + (int) serial).append('\n');
    }
    return b.toString();
  }

  private static Message receive(DatagramSocket socket, int withinMs) throws Exception {
    socket.setSoTimeout(withinMs);
    byte[] buffer = new byte[4096];
    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no NOTIFY with serial 2 within " + NOTIFY_WITHIN_MS + " ms", e);
    }
    Message m = new Message(Arrays.copyOf(p.getData(), p.getLength()));
    // answered, signed as a secondary would, so namud does not try again
    Message reply = new Message(m.getHeader().getID());
    reply.getHeader().setOpcode(Opcode.NOTIFY);
    reply.getHeader().setFlag(Flags.QR);
    reply.addRecord(m.getQuestion(), Section.QUESTION);
    new TSIG(TSIG.HMAC_SHA256, Name.fromString(KEY), SECRET).apply(reply, m.getTSIG());
    byte[] wire = reply.toWire(65535);
    socket.send(new DatagramPacket(wire, wire.length, p.getSocketAddress()));
    return m;
  }

  /** The records of dig's output, its TSIG records and the closing SOA left out. */
  private static List<Record> records(String out) throws Exception {
    List<Record> records = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.isBlank() || line.startsWith(";") || line.contains("\tTSIG\t")) {
        continue;
      }
      String[] f = line.trim().split("\\s+", 5);
      records.add(Record.fromString(Name.fromString(f[0]), Type.value(f[3]), DClass.value(f[2]),
          Long.parseLong(f[1]), f[4], Name.root));
    }
    return records;
  }

  private void call(NamudServer server, String method, String path, String body, int status) throws Exception {
    String api = "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/";
    String token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
  }
}
