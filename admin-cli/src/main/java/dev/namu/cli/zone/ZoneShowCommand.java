package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ApiCommand;
import dev.namu.cli.client.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone show NAME}: SOA, serial and every record of a served zone. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show a zone and its records.")
public final class ZoneShowCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name.")
  String name;

  @Override
  protected void run(ApiClient client, PrintWriter out) {
    JsonNode z = client.get("zones/" + ApiClient.enc(name));
    if (json()) {
      printJson(out, z, client);
      return;
    }
    out.println("zone   " + z.path("name").asText() + "  (" + z.path("source").asText() + ")");
    out.println("serial " + z.path("serial").asLong());
    out.println("SOA    " + z.path("soa").asText());
    out.println();
    Table t = new Table("NAME", "TTL", "TYPE", "DATA");
    for (JsonNode r : z.path("rrsets")) {
      t.row(r.path("name").asText(), r.path("ttl").asLong(), r.path("type").asText(), r.path("data").asText());
    }
    t.print(out);
  }
}
