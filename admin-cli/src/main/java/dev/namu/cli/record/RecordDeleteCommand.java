package dev.namu.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code namuctl record delete ZONE NAME [TYPE [RDATA...]]}. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Delete one record (with RDATA), an RRset (with TYPE) or every record of a name.",
        "Deleting an A/AAAA record also deletes its PTR in a served reverse zone (--no-ptr to skip)."})
public final class RecordDeleteCommand extends RecordEditCommand {
  @Parameters(index = "1", paramLabel = "NAME", description = "Owner: relative (nas), absolute (nas.home.lan or nas.home.lan.), or @.")
  String name;

  @Parameters(index = "2", arity = "0..1", paramLabel = "TYPE", description = "Record type.")
  String type;

  @Parameters(index = "3..*", arity = "0..*", paramLabel = "RDATA", description = "Record data (words joined with spaces).")
  List<String> rdata;

  @Option(names = "--no-ptr", description = "Leave PTR records alone.")
  boolean noPtr;

  @Override
  protected JsonNode request(ApiClient client) {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("name", name);
    q.put("type", type);
    q.put("data", rdata == null || rdata.isEmpty() ? null : String.join(" ", rdata));
    q.put("ptr", noPtr ? "false" : null);
    return client.delete(ApiClient.query("zones/" + ApiClient.enc(zone) + "/records", q));
  }
}
