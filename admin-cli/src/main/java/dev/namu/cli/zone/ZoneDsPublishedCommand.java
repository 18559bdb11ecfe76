package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone ds-published NAME}: the parent serves the new KSK's DS; the new KSK takes over. */
@Command(name = "ds-published",
    description = {"Confirm the parent publishes the new KSK's DS (after 'namuctl zone rollover NAME --ksk'):",
        "the new KSK replaces the old one in the zone; then remove the old DS at the parent."})
public final class ZoneDsPublishedCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name.")
  String name;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.post("zones/" + ApiClient.enc(name) + "/ds-published", ApiClient.fields());
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    out.println("the new KSK of " + reply.path("zone").asText() + " signs now; the DS to keep at the parent:");
    reply.path("ds").forEach(ds -> out.println(ds.asText()));
  }
}
