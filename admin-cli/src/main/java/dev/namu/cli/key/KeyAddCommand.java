package dev.namu.cli.key;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
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

  @Override
  protected JsonNode request(ApiClient client) {
    return client.post("keys", ApiClient.fields("name", name, "algorithm", algorithm, "secret", secret));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode key) {
    out.println("key \"" + key.path("name").asText() + "\" {");
    out.println("\talgorithm " + key.path("algorithm").asText() + ";");
    out.println("\tsecret \"" + key.path("secret").asText() + "\";");
    out.println("};");
  }
}
