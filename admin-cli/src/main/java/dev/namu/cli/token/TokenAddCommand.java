package dev.namu.cli.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.client.ScopeOptions;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin ScopeOptions scope = new ScopeOptions();

  @Override
  protected JsonNode request(ApiClient client) {
    Map<String, Object> body = ApiClient.fields("name", name);
    body.putAll(scope.fields());
    return client.post("tokens", body);
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode token) {
    out.println(token.path("token").asText());
  }
}
