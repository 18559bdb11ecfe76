package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code namuctl zone update NAME --allow-transfer ... --also-notify ...}: who may transfer a stored
 * zone (AXFR, IXFR) and which secondaries get a NOTIFY when it changes; without options, shows them.
 */
@Command(name = "update",
    description = {"Set who may transfer a stored zone (AXFR/IXFR) and which secondaries are notified of its"
        + " changes; without options, show the settings.",
        "Each option replaces its list; 'none' empties it. Transfers are refused to everyone else."})
public final class ZoneUpdateCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name.")
  String name;

  @Option(names = "--allow-transfer", paramLabel = "KEY|CIDR", arity = "1..*",
      description = "TSIG key name (as in 'namuctl key add') or client address/CIDR that may transfer the zone.")
  List<String> allowTransfer;

  @Option(names = "--also-notify", paramLabel = "ADDR[:PORT]", arity = "1..*",
      description = "Secondary to send a NOTIFY to when the zone changes (port 53 unless given).")
  List<String> alsoNotify;

  @Override
  protected JsonNode request(ApiClient client) {
    String path = "zones/" + ApiClient.enc(name) + "/transfer";
    if (allowTransfer == null && alsoNotify == null) {
      return client.get(path);
    }
    return client.put(path, ApiClient.fields("allowTransfer", list(allowTransfer), "alsoNotify", list(alsoNotify)));
  }

  private static List<String> list(List<String> given) {
    return given == null || given.equals(List.of("none")) ? (given == null ? null : List.of()) : given;
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    out.println("zone           " + reply.path("name").asText());
    out.println("allow-transfer " + joined(reply.path("allowTransfer")));
    out.println("also-notify    " + joined(reply.path("alsoNotify")));
  }

  private static String joined(JsonNode list) {
    if (list.isEmpty()) {
      return "none";
    }
    StringBuilder b = new StringBuilder();
    list.forEach(e -> b.append(b.length() == 0 ? "" : " ").append(e.asText()));
    return b.toString();
  }
}
