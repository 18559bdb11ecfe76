package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.TtlConverter;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone create NAME}: a new stored zone with a SOA and NS records. */
@Command(name = "create", mixinStandardHelpOptions = true,
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

  @Option(names = "--ttl", paramLabel = "TTL", converter = TtlConverter.class,
      description = "TTL of SOA and NS (default 3600): seconds, or 30m, 1h30m, 1d, 1w.")
  Long ttl;

  @Option(names = "--allow-tld", description = "Allow a one-label zone (a top-level domain such as lan).")
  boolean allowTld;

  @Override
  protected JsonNode request(ApiClient client) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    if (nameservers != null) {
      body.put("nameservers", nameservers);
    }
    if (email != null) {
      body.put("email", email);
    }
    if (ttl != null) {
      body.put("ttl", ttl);
    }
    if (allowTld) {
      body.put("allowTld", true);
    }
    return client.post("zones", body);
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    out.println("created zone " + reply.path("zone").asText() + " (serial " + reply.path("serial").asText() + ")");
  }
}
