package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone ds NAME}: the DS records the parent publishes for a zone namud signs. */
@Command(name = "ds",
    description = {"Print the DS records (SHA-256) of a signed zone's KSKs, for its parent.",
        "During a KSK rollover both the old and the new KSK's DS are printed."})
public final class ZoneDsCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name.")
  String name;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.get("zones/" + ApiClient.enc(name) + "/ds");
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    reply.path("ds").forEach(ds -> out.println(ds.asText()));
  }
}
