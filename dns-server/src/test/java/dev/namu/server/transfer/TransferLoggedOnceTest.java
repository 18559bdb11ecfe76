package dev.namu.server.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.namu.server.NamudServer;
import dev.namu.server.peers.ToolLocator;
import dev.namu.server.peers.ToolRun;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zone transfer of many messages is one reply for the counters and one query log line, with its
 * message count and size, as Knot and BIND log one line per transfer: a real dig AXFR against
 * namud with the query log on.
 */
class TransferLoggedOnceTest {
  private static final String ZONE = "logged.test.";

  @TempDir Path dir;

  @Test
  void anAxfrOfSeveralMessagesIsOneReplyAndOneLogLine() throws Exception {
    var dig = ToolLocator.find("dig");
    assumeTrue(dig.isPresent(), ToolLocator.missing("dig", "bind9-dnsutils"));
    Path log = dir.resolve("query.log");
    NamudServer server = NamudServer.start("--listen", "127.0.0.1:0", "--data", dir.resolve("data").toString(),
        "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion", "--rrl-rate", "0", "--query-log", log.toString());
    String out;
    long replies;
    try {
      StringBuilder text = new StringBuilder("$ORIGIN " + ZONE + "\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 86400 300\n"
          + "@ 3600 IN NS ns1\nns1 3600 IN A 192.0.2.53\n");
      for (int i = 0; i < 3000; i++) {
        text.append("h").append(i).append(" 3600 IN A 10.1.").append(i / 256).append('.').append(i % 256).append('\n');
      }
      call(server, "PUT", "zones/" + ZONE + "/text", text.toString());
      call(server, "PUT", "zones/" + ZONE + "/transfer", "{\"allowTransfer\":[\"127.0.0.1/32\"]}");
      long before = server.counters().replyCount();
      out = ToolRun.of(dig.get().toString(), "@127.0.0.1", "-p", Integer.toString(server.boundAddresses().get(0).getPort()),
          "+tries=1", "+time=10", ZONE, "axfr").out();
      replies = server.counters().replyCount() - before;
    } finally {
      server.close(); // writes out the lines queued
    }
    Matcher size = Pattern.compile("XFR size: (\\d+) records \\(messages (\\d+), bytes (\\d+)\\)").matcher(out);
    assertTrue(size.find(), out);
    int messages = Integer.parseInt(size.group(2));
    assertTrue(messages > 1, "a transfer of several messages\n" + size.group());
    assertEquals(1, replies, "one transfer, one reply counted");

    List<JsonNode> transfers = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(log, StandardCharsets.US_ASCII)) {
      JsonNode n = json.readTree(line);
      if (n.path("transport").asText().equals("tcp")) {
        transfers.add(n);
      }
    }
    assertEquals(1, transfers.size(), "one line for the transfer: " + transfers);
    JsonNode line = transfers.get(0);
    assertEquals("AXFR", line.get("qtype").asText(), line.toString());
    assertEquals(ZONE, line.get("qname").asText(), line.toString());
    assertEquals(messages, line.get("messages").asInt(), line.toString());
    // dig counts the bytes of the messages without their 2-byte TCP length
    assertEquals(Long.parseLong(size.group(3)), line.get("size").asLong(), line.toString());
  }

  private void call(NamudServer server, String method, String path, String body) throws Exception {
    String api = "http://127.0.0.1:" + server.admin().apiAddress().orElseThrow().getPort() + "/api/v1/";
    String token = Files.readString(dir.resolve("data").resolve("api-token")).trim();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api + path))
        .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), method + " " + path + ": " + r.body());
  }
}
