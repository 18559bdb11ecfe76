package dev.namu.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.TtlConverter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code namuctl record set ZONE NAME TYPE RDATA [RDATA...]}: replaces a whole RRset. */
@Command(name = "set", mixinStandardHelpOptions = true,
    description = {"Replace all records of one name and type with the given ones.",
        "Each RDATA argument is one record; quote data with spaces: record set home.lan @ MX '10 mail' '20 backup'"})
public final class RecordSetCommand extends RecordEditCommand {
  @Parameters(index = "1", paramLabel = "NAME", description = "Owner: relative (nas), absolute (nas.home.lan or nas.home.lan.), or @.")
  String name;

  @Parameters(index = "2", paramLabel = "TYPE", description = "Record type.")
  String type;

  @Parameters(index = "3..*", arity = "1..*", paramLabel = "RDATA", description = "One argument per record.")
  List<String> rdata;

  @Option(names = "--ttl", paramLabel = "TTL", converter = TtlConverter.class,
      description = "TTL of the RRset (default 3600): seconds, or 30m, 1h30m, 1d, 1w.")
  Long ttl;

  @Option(names = "--no-ptr", description = "Do not update PTR records in the reverse zone.")
  boolean noPtr;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.put("zones/" + ApiClient.enc(zone) + "/records", records(name, type, rdata, ttl, noPtr));
  }
}
