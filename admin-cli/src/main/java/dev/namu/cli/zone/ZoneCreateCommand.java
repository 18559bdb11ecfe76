package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.client.TtlOption;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone create NAME}: a new stored zone with a SOA and NS records. */
@Command(name = "create",
    description = {"Create a zone in namud's store, served at once.",
        "Without options: SOA ns1.NAME hostmaster.NAME with serial YYYYMMDD01, NS ns1.NAME.",
        "NAME has two labels or more, each letters, digits, hyphens or underscores (non-ASCII: punycode)."})
public final class ZoneCreateCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name, e.g. home.lan")
  String name;

  @Option(names = "--ns", paramLabel = "HOST", description = "Name server (repeatable; relative to the zone or absolute with a trailing dot).")
  List<String> nameservers;

  @Option(names = "--email", paramLabel = "ADDR", description = "Responsible person, e.g. hostmaster@example.com")
  String email;

  @Mixin TtlOption ttl;

  @Option(names = "--allow-tld", description = "Allow a one-label zone (a top-level domain such as lan).")
  boolean allowTld;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.post("zones", ApiClient.fields("name", name, "nameservers", nameservers, "email", email,
        "ttl", ttl.value(), "allowTld", allowTld ? true : null));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    out.println("created zone " + reply.path("zone").asText() + " (serial " + reply.path("serial").asText() + ")");
  }
}
