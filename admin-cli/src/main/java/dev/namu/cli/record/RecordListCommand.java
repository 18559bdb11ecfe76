package dev.namu.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.client.Table;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl record list ZONE [NAME [TYPE]]}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List records, optionally of one name and type.")
public final class RecordListCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "ZONE", description = "Zone name.")
  String zone;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Only this owner name.")
  String name;

  @Parameters(index = "2", arity = "0..1", paramLabel = "TYPE", description = "Only this type.")
  String type;

  @Override
  protected JsonNode request(ApiClient client) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("name", name);
    q.put("type", type);
    return client.get(ApiClient.query("zones/" + ApiClient.enc(zone) + "/records", q));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode records) {
    printRecords(out, records);
  }

  /** The records table, also printed by {@code zone show}. */
  public static void printRecords(PrintWriter out, JsonNode records) {
    Table t = new Table("NAME", "TTL", "TYPE", "DATA");
    for (JsonNode r : records) {
      t.row(r.path("name").asText(), r.path("ttl").asLong(), r.path("type").asText(), r.path("data").asText());
    }
    t.print(out);
  }
}
