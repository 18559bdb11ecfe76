package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code namuctl zone rollover NAME --ksk}: starts a KSK rollover by double-DS; {@code --zsk}: a ZSK
 * rollover by pre-publication now, rather than at the end of the ZSK's lifetime.
 */
@Command(name = "rollover",
    description = {"Start a KSK rollover (double-DS): namud makes a new KSK; publish both DS records it",
        "prints at the parent, wait for the DS TTL, then run 'namuctl zone ds-published NAME'.",
        "Or start a ZSK rollover (pre-publication) now: namud publishes a new ZSK and takes the",
        "steps itself, as it does at the end of each ZSK lifetime (namuctl zone sign --zsk-lifetime)."})
public final class ZoneRolloverCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name.")
  String name;

  @Option(names = "--ksk", description = "Roll the key signing key.")
  boolean ksk;

  @Option(names = "--zsk", description = "Roll the zone signing key now.")
  boolean zsk;

  @Spec CommandSpec spec;

  @Override
  protected JsonNode request(ApiClient client) {
    if (ksk == zsk) {
      throw new ParameterException(spec.commandLine(), "say which key to roll: --ksk or --zsk");
    }
    return client.post("zones/" + ApiClient.enc(name) + (ksk ? "/ksk-rollover" : "/zsk-rollover"),
        ApiClient.fields());
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    if (zsk) {
      out.println("ZSK rollover of " + reply.path("zone").asText() + " started; namud takes the steps"
          + " (namuctl zone show " + reply.path("zone").asText() + " shows them):");
      reply.path("keys").forEach(k -> out.println(k.path("role").asText() + " " + k.path("tag").asText() + " "
          + k.path("state").asText() + " since " + k.path("since").asText()));
      return;
    }
    out.println("KSK rollover of " + reply.path("zone").asText() + " started; publish these DS at the parent:");
    reply.path("ds").forEach(ds -> out.println(ds.asText()));
    out.println("then, once the parent serves them and their TTL has passed: namuctl zone ds-published "
        + reply.path("zone").asText());
  }
}
