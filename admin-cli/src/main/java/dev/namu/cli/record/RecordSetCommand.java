package dev.namu.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import picocli.CommandLine.Command;

/** {@code namuctl record set ZONE NAME TYPE RDATA [RDATA...]}: replaces a whole RRset. */
@Command(name = "set",
    description = {"Replace all records of one name and type with the given ones.",
        "Each RDATA argument is one record; quote data with spaces: record set home.lan @ MX '10 mail' '20 backup'"})
public final class RecordSetCommand extends RRsetCommand {
  @Override
  protected JsonNode request(ApiClient client) {
    return client.put(records(), body(rdata));
  }
}
