package dev.namu.server.querylog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.NamudServer;
import dev.namu.server.NamudStartException;
import dev.namu.server.config.ConfigFileException;
import dev.namu.server.config.ConfigLoader;
import dev.namu.server.config.EffectiveConfig;
import dev.namu.server.config.NamudCommandLine;
import dev.namu.server.config.ServerConfig;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The query log of a running namud, through its sockets: queries over UDP and TCP and the lines
 * they leave in the log file, read back as JSON.
 */
class QueryLogTest {
  /** One try per query, so one query is one reply is one line; long, for a loaded machine. */
  private static final int TIMEOUT_MS = 20_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path zones() throws IOException {
    Path zones = Files.createDirectories(dir.resolve("zones"));
    Files.writeString(zones.resolve("log.test.zone"), """
        $ORIGIN log.test.
        $TTL 3600
        @ SOA ns hostmaster 1 3600 600 86400 300
        @ NS ns
        ns A 192.0.2.1
        www A 192.0.2.80
        """);
    return zones;
  }

  private String[] args(String... more) throws IOException {
    List<String> a = new ArrayList<>(List.of("--listen", "127.0.0.1:0", "--zones", zones().toString(),
        "--data", dir.resolve("data").toString(), "--api", "127.0.0.1:0", "--no-recursion"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void aUdpAndATcpQueryEachGiveOneLineWithTheirFields() throws Exception {
    Path file = dir.resolve("query.log");
    Instant before = Instant.now().minusSeconds(1);
    NamudServer server = NamudServer.start(args("--query-log", file.toString()));
    InetSocketAddress dns = server.boundAddresses().get(0);
    Exchange first;
    Exchange second;
    Exchange tcp;
    try {
      first = udp(dns, "www.log.test.", Type.A);
      second = udp(dns, "www.log.test.", Type.A);
      tcp = tcp(dns, "www.log.test.", Type.A);
    } finally {
      server.close(); // writes and flushes the lines queued
    }
    Instant after = Instant.now().plusSeconds(1);
    List<JsonNode> lines = lines(file);
    assertEquals(3, lines.size(), "one line per query: " + lines);
    // the first answer is built from the zone; the same question again is a prepared copy
    check(lines.get(0), first, "udp", "zone", before, after);
    check(lines.get(1), second, "udp", "prepared", before, after);
    check(lines.get(2), tcp, "tcp", "prepared", before, after);
  }

  private static void check(JsonNode line, Exchange ex, String transport, String source, Instant before,
      Instant after) {
    String what = line.toString();
    Instant time = Instant.parse(line.get("time").asText());
    assertTrue(line.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
        "RFC 3339 UTC with milliseconds: " + what);
    assertTrue(!time.isBefore(before) && !time.isAfter(after), "time of the query: " + what);
    assertEquals("127.0.0.1", line.get("client").asText(), what);
    assertEquals(ex.clientPort(), line.get("port").asInt(), what);
    assertEquals(transport, line.get("transport").asText(), what);
    assertEquals("QUERY", line.get("opcode").asText(), what);
    assertEquals("www.log.test.", line.get("qname").asText(), what);
    assertEquals("A", line.get("qtype").asText(), what);
    assertEquals(Rcode.string(ex.reply().getRcode()), line.get("rcode").asText(), what);
    List<String> flags = new ArrayList<>();
    line.get("flags").forEach(f -> flags.add(f.asText()));
    List<String> expected = new ArrayList<>();
    int[] bits = {Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD, Flags.CD};
    String[] names = {"aa", "tc", "rd", "ra", "ad", "cd"};
    for (int i = 0; i < bits.length; i++) {
      if (ex.reply().getHeader().getFlag(bits[i])) {
        expected.add(names[i]);
      }
    }
    assertEquals(expected, flags, what);
    assertTrue(flags.containsAll(List.of("aa", "rd")), "an authoritative answer to a query with RD: " + what);
    assertEquals(source, line.get("source").asText(), what);
    assertTrue(line.get("latencyUs").asLong() >= 0, what);
    assertEquals(ex.size(), line.get("size").asInt(), "the reply's size as received: " + what);
  }

  @Test
  void aNameWithAnyByteIsEscapedAndTheLineStillParses() throws Exception {
    Path file = dir.resolve("query.log");
    // labels with a dot, a quote, a backslash, a NUL, a newline and a byte above ASCII
    Name odd = new Name(new byte[] {
        3, 'a', '.', 'b', 3, 'q', '"', 't', 4, 'n', 0, 'l', '\\', 3, 'x', '\n', (byte) 0xE9,
        3, 'l', 'o', 'g', 4, 't', 'e', 's', 't', 0});
    NamudServer server = NamudServer.start(args("--query-log", file.toString()));
    Exchange ex;
    try {
      ex = udp(server.boundAddresses().get(0), odd.toString(), Type.TXT);
    } finally {
      server.close();
    }
    assertEquals(Rcode.NXDOMAIN, ex.reply().getRcode(), "a name in the zone that is not there");
    String raw = Files.readString(file, StandardCharsets.ISO_8859_1);
    assertEquals(1, raw.lines().count(), "one line, the name's newline escaped:\n" + raw);
    assertTrue(raw.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n'), "printable ASCII only:\n" + raw);
    JsonNode line = JSON.readTree(raw);
    String qname = line.get("qname").asText();
    assertEquals("a\\.b.q\\\"t.n\\000l\\\\.x\\010\\233.log.test.", qname, "as dig shows it");
    assertEquals(odd, Name.fromString(qname), "the name read back is the name asked");
    assertEquals("TXT", line.get("qtype").asText());
  }

  @Test
  void aFullQueueDropsAndCountsEntriesAndAnswersGoOn() throws Exception {
    Path fifo = dir.resolve("query.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertEquals(0, mkfifo.waitFor(), "mkfifo");
    // The writer opens the FIFO, and waits there until someone reads it: the queue of 2 fills.
    ServerConfig config = NamudCommandLine.parse(args("--query-log", fifo.toString()));
    NamudServer server = NamudServer.start(config.withQueryLog(config.queryLog().withQueueCapacity(2)));
    int queries = 20;
    try {
      InetSocketAddress dns = server.boundAddresses().get(0);
      for (int i = 0; i < queries; i++) {
        assertEquals(Rcode.NOERROR, udp(dns, "www.log.test.", Type.A).reply().getRcode(),
            "answered while the log is stuck");
      }
      long dropped = status(server).get("queryLogDropped").asLong();
      assertTrue(dropped >= queries - 3 && dropped <= queries - 2,
          "all but the 2 queued (and 1 the writer may hold) dropped: " + dropped);
      long kept = queries - dropped;
      List<String> read = new ArrayList<>();
      // the reader lets the writer on: it writes what it kept, and nothing more comes
      BufferedReader in = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        BufferedReader r = new BufferedReader(new InputStreamReader(new FileInputStream(fifo.toFile()),
            StandardCharsets.US_ASCII));
        for (long n = 0; n < kept; n++) {
          read.add(r.readLine());
        }
        return r;
      });
      try (in) {
        for (String line : read) {
          assertEquals("www.log.test.", JSON.readTree(line).get("qname").asText(), line);
        }
        server.close();
        assertNull(in.readLine(), "no more lines than were kept");
      }
      assertEquals(dropped, server.counters().snapshot().get("queryLogDropped"), "the count still shown");
    } finally {
      server.close();
    }
  }

  @Test
  void theFileIsRotatedAtItsMaxSizeKeepingNFiles() throws Exception {
    Path file = dir.resolve("query.log");
    NamudServer server = NamudServer.start(
        args("--query-log", file.toString(), "--query-log-max-size", "1k", "--query-log-keep", "2"));
    int queries = 40;
    try {
      InetSocketAddress dns = server.boundAddresses().get(0);
      for (int i = 0; i < queries; i++) {
        assertNotNull(udp(dns, "q" + i + ".log.test.", Type.A).reply());
      }
    } finally {
      server.close();
    }
    Path one = dir.resolve("query.log.1");
    Path two = dir.resolve("query.log.2");
    assertTrue(Files.exists(one) && Files.exists(two), "FILE.1 and FILE.2 kept");
    assertFalse(Files.exists(dir.resolve("query.log.3")), "no more than 2 kept");
    List<Integer> order = new ArrayList<>();
    List<Path> files = List.of(two, one, file);
    for (int f = 0; f < files.size(); f++) {
      Path p = files.get(f);
      assertTrue(Files.size(p) <= 1024, p + " is at most 1k: " + Files.size(p));
      List<JsonNode> lines = lines(p);
      assertFalse(lines.isEmpty(), p + " has lines");
      if (p != file) {
        // a rotated file was full: the next file's first line would have taken it past 1k
        long next = Files.readAllLines(files.get(f + 1)).get(0).length() + 1;
        assertTrue(Files.size(p) + next > 1024, p + " rotated early: " + Files.size(p) + " + " + next);
      }
      for (JsonNode l : lines) {
        String q = l.get("qname").asText();
        order.add(Integer.parseInt(q.substring(1, q.indexOf('.'))));
      }
    }
    assertEquals(queries - 1, order.get(order.size() - 1), "the newest line is in FILE: " + order);
    assertTrue(order.size() < queries, "the oldest lines were rotated away: " + order);
    for (int i = 1; i < order.size(); i++) {
      assertEquals(order.get(i - 1) + 1, order.get(i), "FILE.2, FILE.1, FILE in order, none lost: " + order);
    }
  }

  @Test
  void aQueryLogNamudCannotWriteStopsItWithOneLine() throws IOException {
    Path missing = dir.resolve("no-such-dir").resolve("query.log");
    NamudStartException e = assertThrows(NamudStartException.class,
        () -> NamudServer.start(args("--query-log", missing.toString())).close());
    assertEquals("--query-log " + missing + ": directory " + missing.getParent() + " does not exist",
        e.getMessage());
    NamudStartException size = assertThrows(NamudStartException.class,
        () -> NamudServer.start(args("--query-log", "-", "--query-log-max-size", "10")).close());
    assertEquals("--query-log-max-size 10: must be between 1k and 1024g", size.getMessage());
  }

  @Test
  void theConfigFileKeysSetTheLogAndItsRotation() throws IOException {
    Path yaml = dir.resolve("namud.yaml");
    Path file = dir.resolve("query.log");
    Files.writeString(yaml, "query-log:\n  file: " + file + "\n  max-size: 2k\n  keep: 3\n");
    ServerConfig config = ConfigLoader.load(
        NamudCommandLine.commandLine().parseArgs("--config", yaml.toString()), ConfigLoader.DEFAULT_FILE);
    assertEquals(new QueryLogConfig(Optional.of(file), 2048, 3, QueryLogConfig.DEFAULT_QUEUE_CAPACITY),
        config.queryLog());
    Map<String, Object> keys = EffectiveConfig.of(config);
    assertEquals(Map.of("file", file.toString(), "max-size", "2k", "keep", 3), keys.get("query-log"),
        "namud --check --json gives them back");
    Files.writeString(yaml, "query-log:\n  file: " + file + "\n  keep: 1001\n");
    ConfigFileException e = assertThrows(ConfigFileException.class, () -> ConfigLoader.load(
        NamudCommandLine.commandLine().parseArgs("--config", yaml.toString()), ConfigLoader.DEFAULT_FILE));
    assertEquals(yaml + ":3: query-log.keep: 1001: must be 0 to 1000", e.getMessage());
    Path missing = dir.resolve("no-such-dir").resolve("query.log");
    Files.writeString(yaml, "query-log:\n  file: " + missing + "\n");
    ConfigFileException nowhere = assertThrows(ConfigFileException.class, () -> ConfigLoader.load(
        NamudCommandLine.commandLine().parseArgs("--config", yaml.toString()), ConfigLoader.DEFAULT_FILE));
    assertEquals(yaml + ":2: query-log.file: " + missing + ": directory " + missing.getParent()
        + " does not exist", nowhere.getMessage(), "found before namud binds anything, on its line");
  }

  @Test
  void offByDefault() throws Exception {
    NamudServer server = NamudServer.start(args());
    try {
      assertNotNull(udp(server.boundAddresses().get(0), "www.log.test.", Type.A).reply());
      assertFalse(status(server).has("queryLogDropped"), "no query log, no count");
    } finally {
      server.close();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("data", "zones"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /** A query, its reply and the client's port. */
  private record Exchange(Message reply, int size, int clientPort) {}

  private static Exchange udp(InetSocketAddress server, String name, int type) throws IOException {
    byte[] query = query(name, type);
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      s.setSoTimeout(TIMEOUT_MS);
      s.send(new DatagramPacket(query, query.length, server));
      byte[] buf = new byte[65535];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      return new Exchange(new Message(Arrays.copyOf(buf, p.getLength())), p.getLength(), s.getLocalPort());
    }
  }

  private static Exchange tcp(InetSocketAddress server, String name, int type) throws IOException {
    byte[] query = query(name, type);
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(TIMEOUT_MS);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] reply = new byte[in.readUnsignedShort()];
      in.readFully(reply);
      return new Exchange(new Message(reply), reply.length, s.getLocalPort());
    }
  }

  private static byte[] query(String name, int type) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)).toWire();
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  /** The counters of {@code GET /api/v1/status}. */
  private JsonNode status(NamudServer server) throws Exception {
    String token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/status"))
            .header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body()).get("counters");
  }
}
