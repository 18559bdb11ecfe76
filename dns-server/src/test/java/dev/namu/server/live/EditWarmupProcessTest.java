package dev.namu.server.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.zones.store.ZoneStore;
import dev.namu.zones.store.jdbc.JdbcStoreConfig;
import dev.namu.zones.store.jdbc.JdbcZoneStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * namud runs its API edit path on scratch data at start, before its own API listens, so the first
 * edits of a client find it compiled; none of that may show anywhere a user looks.
 */
class EditWarmupProcessTest {

  private static final Pattern WARMED = Pattern.compile("edit path warmed with (\\d+) scratch edits");
  private static final Pattern QUERIED = Pattern.compile("and (\\d+) scratch queries");

  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theEditPathIsWarmedAtStartAndLeavesNoTraceInTheStoreTheApiOrTheDataDirectory() throws Exception {
    Path data = dir.resolve("data");
    try (NamudProcess namud = NamudProcess.start(data, dir.resolve("namud.log"))) {
      String log = namud.output();
      // the warm-up ran, and before the API was announced (the one address a client may take)
      Matcher warmed = WARMED.matcher(log);
      assertTrue(warmed.find(), log);
      assertTrue(Integer.parseInt(warmed.group(1)) > 0, log);
      assertTrue(log.indexOf("edit path warmed") < log.indexOf("admin API listening"), log);
      assertEquals(1, log.split("admin API listening", -1).length - 1, log);

      String token = Files.readString(data.resolve("api-token")).trim();
      HttpResponse<String> zones = get(namud, "zones", token);
      assertEquals(200, zones.statusCode(), zones.body());
      assertFalse(zones.body().contains("warmup"), zones.body());
      assertEquals(404, get(namud, "zones/warmup.test.", token).statusCode());
      // the real edit path works after it, and the journal holds that edit alone
      HttpResponse<String> made = http.send(HttpRequest.newBuilder(URI.create(namud.apiUrl() + "/api/v1/zones"))
          .header("Authorization", "Bearer " + token)
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"lab.test\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, made.statusCode(), made.body());
    }
    try (Stream<Path> files = Files.list(data)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertTrue(names.stream().noneMatch(n -> n.startsWith("warmup")), names.toString());
    }
    try (ZoneStore store = JdbcZoneStore.open(JdbcStoreConfig.h2(data))) {
      assertEquals(List.of(Name.fromString("lab.test.")), store.zoneNames());
      assertEquals(0, store.journal(Name.fromString("warmup.test."), 10).size());
      assertEquals(1, store.journal(Name.fromString("lab.test."), 10).size());
    }
  }

  @Test
  void theQueryPathIsRunOnScratchDataAtStartAndNothingOfItIsCounted() throws Exception {
    Path data = dir.resolve("data");
    try (NamudProcess namud = NamudProcess.start(data, dir.resolve("namud.log"))) {
      String log = namud.output();
      Matcher warmed = QUERIED.matcher(log);
      assertTrue(warmed.find(), log);
      assertTrue(Integer.parseInt(warmed.group(1)) > 0, log);
      assertTrue(log.indexOf("scratch queries") < log.indexOf("admin API listening"), log);

      String token = Files.readString(data.resolve("api-token")).trim();
      assertEquals(0, queriesAnswered(namud, token), "the scratch queries are not the server's");
      // namud answers a real query after it, and counts that one
      Message reply = askUdp(namud, Message.newQuery(Record.newRecord(Name.fromString("localhost."), Type.A, DClass.IN)));
      assertEquals(Rcode.NOERROR, reply.getRcode(), reply.toString());
      assertEquals(1, queriesAnswered(namud, token));
    }
  }

  private long queriesAnswered(NamudProcess namud, String token) throws Exception {
    HttpResponse<String> status = get(namud, "status", token);
    assertEquals(200, status.statusCode(), status.body());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.body()).get("queries").asLong();
  }

  private static Message askUdp(NamudProcess namud, Message query) throws Exception {
    try (java.net.DatagramSocket socket = new java.net.DatagramSocket()) {
      socket.setSoTimeout(5_000);
      byte[] wire = query.toWire();
      socket.send(new java.net.DatagramPacket(wire, wire.length, namud.dns()));
      java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[4096], 4096);
      socket.receive(in);
      return new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
    }
  }

  private HttpResponse<String> get(NamudProcess namud, String path, String token) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(namud.apiUrl() + "/api/v1/" + path))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
