package dev.namu.cli.key;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl key delete NAME}: updates signed with it are refused from now on. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a TSIG key.")
public final class KeyDeleteCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Key name.")
  String name;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.delete("keys/" + ApiClient.enc(name));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    out.println("deleted key " + reply.path("deleted").asText());
  }
}
