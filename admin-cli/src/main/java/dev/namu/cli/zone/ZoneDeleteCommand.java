package dev.namu.cli.zone;

import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ApiCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone delete NAME}: removes a stored zone (its journal stays). */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete a zone from namud's store; it stops being served at once.")
public final class ZoneDeleteCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name.")
  String name;

  @Override
  protected void run(ApiClient client, PrintWriter out) {
    var result = client.delete("zones/" + ApiClient.enc(name));
    if (json()) {
      printJson(out, result, client);
    } else {
      out.println("deleted zone " + result.path("zone").asText());
    }
  }
}
