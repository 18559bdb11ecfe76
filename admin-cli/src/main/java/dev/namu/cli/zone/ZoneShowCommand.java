package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.client.Table;
import dev.namu.cli.record.RecordListCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone show NAME}: SOA, serial and every record of a served zone. */
@Command(name = "show", description = "Show a zone and its records, and the keys of a signed zone.")
public final class ZoneShowCommand extends ReplyCommand {
  /** The keys of a signed zone: state and, for the active ZSK, when it rolls. */
  static final String[] KEY_COLUMNS = {"KEY:role", "TAG:tag", "ALGORITHM:algorithm", "STATE:state", "SINCE:since",
      "ROLLS-AT:rollsAt"};

  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name.")
  String name;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.get("zones/" + ApiClient.enc(name));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode z) {
    out.println("zone   " + z.path("name").asText() + "  (" + z.path("source").asText() + ")");
    out.println("serial " + z.path("serial").asLong());
    out.println("SOA    " + z.path("soa").asText());
    JsonNode signing = z.path("signing");
    if (signing.isObject()) {
      out.println("signed " + signing.path("denial").asText() + ", next upkeep "
          + signing.path("nextUpkeep").asText("-"));
      out.println();
      Table.print(out, signing.path("keys"), KEY_COLUMNS);
    }
    out.println();
    Table.print(out, z.path("rrsets"), RecordListCommand.COLUMNS);
  }
}
