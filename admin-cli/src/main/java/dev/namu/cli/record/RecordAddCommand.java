package dev.namu.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.TtlConverter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code namuctl record add ZONE NAME TYPE RDATA... [--ttl N] [--no-ptr]}. */
@Command(name = "add", mixinStandardHelpOptions = true,
    description = {"Add a record; served at once, on disk when this returns.",
        "RDATA words are joined with spaces: record add home.lan @ MX 10 mail",
        "TXT data is one string: record add home.lan @ TXT 'v=spf1 -all'",
        "An A/AAAA record also gets its PTR when namud serves the reverse zone (--no-ptr to skip)."})
public final class RecordAddCommand extends RecordEditCommand {
  @Parameters(index = "1", paramLabel = "NAME", description = "Owner: relative (nas), absolute (nas.home.lan or nas.home.lan.), or @.")
  String name;

  @Parameters(index = "2", paramLabel = "TYPE", description = "Record type (A, AAAA, CNAME, MX, TXT, ...).")
  String type;

  @Parameters(index = "3..*", arity = "1..*", paramLabel = "RDATA", description = "Record data, as in a zone file.")
  List<String> rdata;

  @Option(names = "--ttl", paramLabel = "TTL", converter = TtlConverter.class,
      description = "TTL (default 3600): seconds, or 30m, 1h30m, 1d, 1w.")
  Long ttl;

  @Option(names = "--no-ptr", description = "Do not add a PTR record in the reverse zone.")
  boolean noPtr;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.post("zones/" + ApiClient.enc(zone) + "/records",
        records(name, type, String.join(" ", rdata), ttl, noPtr));
  }
}
