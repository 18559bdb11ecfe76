package dev.namu.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.client.Table;
import dev.namu.cli.zone.ZoneListCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code namuctl server status}: uptime, query count, reply counts, zones and serials. */
@Command(
    name = "status",
    description = "Show uptime, queries answered, replies by kind and zones.")
public final class ServerStatusCommand extends ReplyCommand {
  @Override
  protected JsonNode request(ApiClient client) {
    return client.get("status");
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode s) {
    out.println("started  " + s.path("startedAt").asText());
    out.println("uptime   " + s.path("uptimeSeconds").asLong() + " s");
    out.println("queries  " + (s.path("queries").isNull() ? "not counted" : s.path("queries").asText()));
    JsonNode c = s.path("counters");
    if (c.isObject()) {
      out.println("replies  " + c.path("replies").asLong() + " (" + counts(c.path("rcode")) + ")");
      out.println("opcodes  " + counts(c.path("opcode")));
      out.println("sources  " + counts(c.path("source")));
      out.println("via      " + counts(c.path("transport")));
      out.println("dropped  " + sum(c.path("dropped")) + " (" + counts(c.path("dropped")) + ")");
      out.println("internal errors  " + c.path("internalErrors").asLong());
    }
    out.println();
    Table.print(out, s.path("zones"), ZoneListCommand.COLUMNS);
  }

  /** "NAME n, NAME n" for the kinds counted, in the server's order, or "none". */
  private static String counts(JsonNode byName) {
    StringBuilder line = new StringBuilder();
    byName.fields().forEachRemaining(e -> line.append(line.length() == 0 ? "" : ", ")
        .append(e.getKey()).append(' ').append(e.getValue().asLong()));
    return line.length() == 0 ? "none" : line.toString();
  }

  private static long sum(JsonNode byName) {
    long n = 0;
    for (JsonNode v : byName) {
      n += v.asLong();
    }
    return n;
  }
}
