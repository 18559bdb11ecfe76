package dev.namu.cli.key;

import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ApiCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl key delete NAME}: updates signed with it are refused from now on. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a TSIG key.")
public final class KeyDeleteCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Key name.")
  String name;

  @Override
  protected void run(ApiClient client, PrintWriter out) {
    var r = client.delete("keys/" + ApiClient.enc(name));
    if (json()) {
      printJson(out, r, client);
    } else {
      out.println("deleted key " + r.path("deleted").asText());
    }
  }
}
