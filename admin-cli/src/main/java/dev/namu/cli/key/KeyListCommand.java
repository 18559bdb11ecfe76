package dev.namu.cli.key;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.client.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code namuctl key list}: names and algorithms; secrets are never listed. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List TSIG keys (never their secrets).")
public final class KeyListCommand extends ReplyCommand {
  @Override
  protected JsonNode request(ApiClient client) {
    return client.get("keys");
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode keys) {
    Table t = new Table("KEY", "ALGORITHM", "CREATED");
    for (JsonNode k : keys) {
      t.row(k.path("name").asText(), k.path("algorithm").asText(), k.path("created").asText());
    }
    t.print(out);
  }
}
