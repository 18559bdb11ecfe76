package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.client.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code namuctl zone list}: the zones namud serves, with serial, size and source. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the zones namud serves.")
public final class ZoneListCommand extends ReplyCommand {
  @Override
  protected JsonNode request(ApiClient client) {
    return client.get("zones");
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode zones) {
    printZones(out, zones);
  }

  /** The zones table, also printed by {@code server status}. */
  public static void printZones(PrintWriter out, JsonNode zones) {
    Table t = new Table("ZONE", "SERIAL", "RECORDS", "SOURCE");
    for (JsonNode z : zones) {
      t.row(z.path("name").asText(), z.path("serial").asLong(), z.path("records").asInt(), z.path("source").asText());
    }
    t.print(out);
  }
}
