package dev.namu.cli.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.client.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code namuctl cache infra}: what the resolver knows of each upstream server address. */
@Command(name = "infra",
    description = "Show the resolver's upstream servers: smoothed RTT, timeouts, EDNS, back-off,"
        + " case-blind (asked without 0x20), lameness, TTL left.")
public final class CacheInfraCommand extends ReplyCommand {

  @Override
  protected JsonNode request(ApiClient client) {
    return client.get("cache/infra");
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    JsonNode servers = reply.path("servers");
    if (servers.isEmpty()) {
      out.println("no upstream server asked yet");
      return;
    }
    ArrayNode rows = JsonNodeFactory.instance.arrayNode();
    for (JsonNode s : servers) {
      ObjectNode row = rows.addObject();
      row.put("address", s.path("address").asText());
      row.put("rtt", s.path("rttMillis").asLong() + " ms");
      row.put("timeouts", s.path("timeouts").asLong());
      row.put("edns", s.path("edns").asBoolean() ? "yes" : "failed");
      row.put("cookies", s.path("cookies").asBoolean() ? "yes" : "-");
      long backedOff = s.path("backedOffMillis").asLong();
      row.put("backoff", backedOff == 0 ? "-" : backedOff + " ms");
      // a server that did not repeat the question's random case, asked without 0x20 for a while
      row.put("caseBlind", s.path("caseBlind").asBoolean() ? "yes" : "-");
      StringBuilder lame = new StringBuilder();
      s.path("lameZones").forEach(z -> lame.append(lame.length() == 0 ? "" : ",").append(z.asText()));
      row.put("lame", lame.length() == 0 ? "-" : lame.toString());
      row.put("ttl", s.path("ttl").asLong() + " s");
    }
    Table.print(out, rows, "ADDRESS:address", "RTT:rtt", "TIMEOUTS:timeouts", "EDNS:edns", "COOKIES:cookies",
        "BACKED-OFF:backoff", "CASE-BLIND:caseBlind", "TTL:ttl", "LAME-FOR:lame");
  }
}
