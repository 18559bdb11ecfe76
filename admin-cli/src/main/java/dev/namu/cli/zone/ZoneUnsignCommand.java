package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone unsign NAME}: namud stops signing the zone and forgets its keys. */
@Command(name = "unsign",
    description = {"Stop signing a zone: its keys are deleted and its DNSSEC records removed.",
        "Remove the DS at the parent first, or validators will find the zone bogus."})
public final class ZoneUnsignCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name.")
  String name;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.delete("zones/" + ApiClient.enc(name) + "/signing");
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    out.println("zone " + reply.path("zone").asText() + " is no longer signed (serial "
        + reply.path("serial").asText() + ")");
  }
}
