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

/** {@code namuctl zone sign NAME}: new keys, and namud signs the zone from now on. */
@Command(name = "sign",
    description = {"Sign a stored zone: namud makes a KSK and a ZSK, signs the zone now and keeps it signed",
        "through edits, signature refreshes and ZSK rollovers. Prints the DS for the parent."})
public final class ZoneSignCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name.")
  String name;

  @Option(names = "--algorithm", paramLabel = "ALG", defaultValue = "ecdsap256sha256",
      description = "ecdsap256sha256 (default) or ed25519.")
  String algorithm;

  @Option(names = "--nsec3", description = "Deny existence with NSEC3 (no opt-out, no extra iterations, no salt) instead of NSEC.")
  boolean nsec3;

  @Option(names = "--zsk-lifetime", paramLabel = "DAYS", defaultValue = "30",
      description = "Days a ZSK signs before it is rolled (default 30).")
  int zskLifetimeDays;

  @Option(names = "--propagation-delay", paramLabel = "SECONDS", defaultValue = "3600",
      description = "Seconds each key rollover step waits on top of the TTLs, for secondaries to catch up"
          + " (default 3600).")
  long propagationDelaySeconds;

  @Spec CommandSpec spec;

  @Override
  protected JsonNode request(ApiClient client) {
    if (zskLifetimeDays < 1) {
      throw new ParameterException(spec.commandLine(), "--zsk-lifetime must be at least 1 day");
    }
    if (propagationDelaySeconds < 0) {
      throw new ParameterException(spec.commandLine(), "--propagation-delay must be 0 or more seconds");
    }
    return client.post("zones/" + ApiClient.enc(name) + "/signing", ApiClient.fields("algorithm", algorithm,
        "nsec3", nsec3, "zskLifetimeSeconds", zskLifetimeDays * 86_400L,
        "propagationDelaySeconds", propagationDelaySeconds));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    out.println("zone " + reply.path("zone").asText() + " is signed (" + reply.path("denial").asText()
        + "); publish this DS at the parent:");
    reply.path("ds").forEach(ds -> out.println(ds.asText()));
  }
}
