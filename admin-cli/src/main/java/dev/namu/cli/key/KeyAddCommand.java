package dev.namu.cli.key;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.client.ScopeOptions;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code namuctl key add NAME [--algorithm A] [--secret B64]}: stores a key and prints it once, as a
 * BIND key file that {@code nsupdate -k FILE} reads.
 */
@Command(name = "add",
    description = {"Add (or replace) a TSIG key; a random secret is made unless --secret is given.",
        "Prints the key once, as a key file for 'nsupdate -k FILE' (save it: it is not shown again)."})
public final class KeyAddCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Key name, e.g. acme-client")
  String name;

  @Option(names = "--algorithm", paramLabel = "ALG", defaultValue = "hmac-sha256",
      description = "hmac-sha256 (default), hmac-sha384 or hmac-sha512.")
  String algorithm;

  @Option(names = "--secret", paramLabel = "BASE64", description = "Use this secret instead of a random one.")
  String secret;

  @Mixin ScopeOptions scope = new ScopeOptions();

  @Override
  protected JsonNode request(ApiClient client) {
    Map<String, Object> body = ApiClient.fields("name", name, "algorithm", algorithm, "secret", secret);
    body.putAll(scope.fields());
    return client.post("keys", body);
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode key) {
    out.println("key \"" + key.path("name").asText() + "\" {");
    out.println("\talgorithm " + key.path("algorithm").asText() + ";");
    out.println("\tsecret \"" + key.path("secret").asText() + "\";");
    out.println("};");
    if (!"any zone, name and type".equals(key.path("scope").asText())) {
      // a comment in the key file: nsupdate skips it, the reader sees what the key may change
      out.println("# may change: " + key.path("scope").asText());
    }
  }
}
