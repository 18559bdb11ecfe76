package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone delete NAME}: removes a stored zone (its journal stays). */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete a zone from namud's store; it stops being served at once.")
public final class ZoneDeleteCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name.")
  String name;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.delete("zones/" + ApiClient.enc(name));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    out.println("deleted zone " + reply.path("zone").asText());
  }
}
