package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ApiCommand;
import dev.namu.cli.client.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code namuctl zone list}: the zones namud serves, with serial, size and source. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the zones namud serves.")
public final class ZoneListCommand extends ApiCommand {
  @Override
  protected void run(ApiClient client, PrintWriter out) {
    JsonNode zones = client.get("zones");
    if (json()) {
      printJson(out, zones, client);
      return;
    }
    Table t = new Table("ZONE", "SERIAL", "RECORDS", "SOURCE");
    for (JsonNode z : zones) {
      t.row(z.path("name").asText(), z.path("serial").asLong(), z.path("records").asInt(), z.path("source").asText());
    }
    t.print(out);
  }
}
