package dev.namu.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code namuctl record delete ZONE NAME [TYPE [RDATA...]]}. */
@Command(name = "delete",
    description = {"Delete one record (with RDATA), an RRset (with TYPE) or every record of a name.",
        "Deleting an A/AAAA record also deletes its PTR in a served reverse zone (--no-ptr to skip)."})
public final class RecordDeleteCommand extends RecordEditCommand {
  @Parameters(index = "1", paramLabel = "NAME", description = "Owner: relative (nas), absolute (nas.home.lan or nas.home.lan.), or @.")
  String name;

  @Parameters(index = "2", arity = "0..1", paramLabel = "TYPE", description = "Record type.")
  String type;

  @Parameters(index = "3..*", arity = "0..*", paramLabel = "RDATA", description = "Record data (words joined with spaces).")
  List<String> rdata;

  @Mixin PtrOption ptr;

  @Mixin ViewOption view;

  @Override
  String view() {
    return view.name;
  }

  @Override
  protected JsonNode request(ApiClient client) {
    String data = rdata == null || rdata.isEmpty() ? null : String.join(" ", rdata);
    // the API's default is ptr=true: the query says so only when it is not
    return client.delete(records(
        ApiClient.fields("name", name, "type", type, "data", data, "ptr", ptr.ptr() ? null : "false")));
  }
}
