package dev.namu.server.querylog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.intake.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * The hand-built line against the libraries it replaced: names as dnsjava writes them, times as a
 * date formatter writes them, the whole line as JSON a parser reads back.
 */
class QueryLogLineTest {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Test
  void everyByteOfANameIsWrittenAsDnsjavaWritesIt() throws Exception {
    QueryLogLine line = new QueryLogLine();
    ObjectMapper json = new ObjectMapper();
    InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 53000);
    Random random = new Random(53);
    for (int n = 0; n < 2_000; n++) {
      byte[] wire = randomName(random);
      line.format(new QueryEvent(0, client, Transport.UDP, 0, 0, 0x8000, wire, 1, "zone", 1, 40));
      assertEquals(new Name(wire).toString(), json.readTree(line.toString()).get("qname").asText(),
          "name of " + n);
    }
    line.format(new QueryEvent(0, client, Transport.UDP, 0, 0, 0x8000, new byte[] {0}, 2, "zone", 1, 40));
    JsonNode root = json.readTree(line.toString());
    assertEquals(".", root.get("qname").asText());
    assertEquals("192.0.2.7", root.get("client").asText());
    assertEquals(53000, root.get("port").asInt());
    assertEquals("NS", root.get("qtype").asText());
    assertEquals("[]", root.get("flags").toString());
  }

  @Test
  void timesAcrossSecondsAndTheLineParseBack() throws Exception {
    QueryLogLine line = new QueryLogLine();
    ObjectMapper json = new ObjectMapper();
    Random random = new Random(7);
    InetSocketAddress client = new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 5353);
    long millis = Instant.parse("2026-12-31T23:59:58.990Z").toEpochMilli();
    for (int n = 0; n < 500; n++) {
      millis += random.nextInt(20);
      byte[] wire = randomName(random);
      QueryEvent e = new QueryEvent(millis, client, Transport.TCP, 0, 3, 0x8583, wire, 16,
          "zone", 12, 99);
      line.format(e);
      JsonNode parsed = json.readTree(line.toString());
      assertEquals(TIME.format(Instant.ofEpochMilli(millis)), parsed.get("time").asText());
      assertEquals(new Name(wire).toString(), parsed.get("qname").asText());
      assertEquals("2001:db8::1", parsed.get("client").asText());
      assertEquals("[\"aa\",\"rd\",\"ra\"]", parsed.get("flags").toString());
      assertEquals("NXDOMAIN", parsed.get("rcode").asText());
      assertEquals("TXT", parsed.get("qtype").asText());
    }
  }

  /** A name of random labels holding any byte, within 255 bytes on the wire. */
  private static byte[] randomName(Random random) {
    byte[] wire = new byte[255];
    int at = 0;
    int labels = random.nextInt(5);
    for (int i = 0; i < labels; i++) {
      int len = 1 + random.nextInt(20);
      wire[at++] = (byte) len;
      for (int j = 0; j < len; j++) {
        wire[at++] = (byte) random.nextInt(256);
      }
    }
    wire[at++] = 0;
    return java.util.Arrays.copyOf(wire, at);
  }
}
