package dev.namu.cli.key;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import java.util.List;
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

  @Option(names = "--zone", paramLabel = "ZONE",
      description = "Limit the key to this zone; repeatable. Default: any zone.")
  List<String> zones;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Limit the key to this name, relative to each zone (_acme-challenge) or absolute. Default: any name.")
  String owner;

  @Option(names = "--subtree", description = "With --name: the names below it too.")
  boolean subtree;

  @Option(names = "--types", paramLabel = "TYPE[,TYPE...]", split = ",",
      description = "Limit the key to these record types (TXT). Default: any type.")
  List<String> types;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.post("keys", ApiClient.fields("name", name, "algorithm", algorithm, "secret", secret,
        "zones", zones, "owner", owner, "subtree", subtree ? Boolean.TRUE : null, "types", types));
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
