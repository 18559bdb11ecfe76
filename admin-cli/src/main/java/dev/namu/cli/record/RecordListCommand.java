package dev.namu.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.client.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code namuctl record list ZONE [NAME [TYPE]]}. */
@Command(name = "list", description = "List records, optionally of one name and type.")
public final class RecordListCommand extends ReplyCommand {

  /** The columns of the records table, also printed by {@code zone show}. */
  public static final String[] COLUMNS = {"NAME:name", "TTL:ttl", "TYPE:type", "DATA:data"};

  @Parameters(index = "0", paramLabel = "ZONE", description = "Zone name.")
  String zone;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "Only this owner name.")
  String name;

  @Parameters(index = "2", arity = "0..1", paramLabel = "TYPE", description = "Only this type.")
  String type;

  @Mixin ViewOption view;

  @Override
  protected JsonNode request(ApiClient client) {
    String records = "zones/" + ApiClient.enc(zone) + "/records";
    return client.get(ApiClient.query(records, ApiClient.fields("name", name, "type", type, "view", view.name)));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode records) {
    Table.print(out, records, COLUMNS);
  }
}
