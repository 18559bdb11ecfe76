package dev.namu.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.zone.ZoneListCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code namuctl server status}: uptime, query count, zones and serials. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show uptime, queries answered and zones.")
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
    out.println();
    ZoneListCommand.printZones(out, s.path("zones"));
  }
}
