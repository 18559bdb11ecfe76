package dev.namu.cli.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code namuctl token add NAME [--zone Z] [--name N [--subtree]] [--types T,...]}: makes a token
 * and prints it once; namud keeps only its SHA-256.
 */
@Command(name = "add",
    description = {"Make a named API token that may read and edit only the given zones, names and types.",
        "Prints the token once (save it: namud keeps only its hash); use it with --token or NAMU_TOKEN."})
public final class TokenAddCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Token name, e.g. acme-client")
  String name;

  @Option(names = "--zone", paramLabel = "ZONE",
      description = "Limit the token to this zone; repeatable. Default: any zone.")
  List<String> zones;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Limit the token to this name, relative to each zone (_acme-challenge) or absolute. Default: any name.")
  String owner;

  @Option(names = "--subtree", description = "With --name: the names below it too.")
  boolean subtree;

  @Option(names = "--types", paramLabel = "TYPE[,TYPE...]", split = ",",
      description = "Limit the token to these record types (TXT). Default: any type.")
  List<String> types;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.post("tokens", ApiClient.fields("name", name, "zones", zones, "owner", owner,
        "subtree", subtree ? Boolean.TRUE : null, "types", types));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode token) {
    out.println(token.path("token").asText());
  }
}
