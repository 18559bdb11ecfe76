package dev.namu.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ApiCommand;
import dev.namu.cli.client.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code namuctl server status}: uptime, query count, zones and serials. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show uptime, queries answered and zones.")
public final class ServerStatusCommand extends ApiCommand {
  @Override
  protected void run(ApiClient client, PrintWriter out) {
    JsonNode s = client.get("status");
    if (json()) {
      printJson(out, s, client);
      return;
    }
    out.println("started  " + s.path("startedAt").asText());
    out.println("uptime   " + s.path("uptimeSeconds").asLong() + " s");
    out.println("queries  " + (s.path("queries").isNull() ? "not counted" : s.path("queries").asText()));
    out.println();
    Table t = new Table("ZONE", "SERIAL", "RECORDS", "SOURCE");
    for (JsonNode z : s.path("zones")) {
      t.row(z.path("name").asText(), z.path("serial").asLong(), z.path("records").asInt(), z.path("source").asText());
    }
    t.print(out);
  }
}
