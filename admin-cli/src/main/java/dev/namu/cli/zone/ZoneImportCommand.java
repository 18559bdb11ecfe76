package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ApiFailure;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.zones.file.ZoneDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone import FILE}: moves a zone file into namud's store (create or replace). */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import a zone file into namud's store: creates the zone or replaces all its records.",
        "The zone is then edited live (record add ...); its file is no longer used."})
public final class ZoneImportCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "FILE", description = "Zone file (NAME.zone, or give --origin).")
  Path file;

  @Option(names = "--origin", paramLabel = "NAME", description = "Zone name (default: FILE's name without .zone).")
  String origin;

  @Override
  protected JsonNode request(ApiClient client) {
    String zone = origin;
    if (zone == null) {
      try {
        zone = ZoneDirectory.originOf(file).toString();
      } catch (TextParseException e) {
        throw new ParameterException(spec.commandLine(),
            "cannot tell the zone name from '" + file + "' (expected NAME.zone): give --origin NAME");
      }
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ApiFailure("cannot read " + file + ": " + e.getMessage());
    }
    return client.putText("zones/" + ApiClient.enc(zone) + "/text", text);
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    out.println("imported zone " + reply.path("zone").asText() + " (serial " + reply.path("serial").asText() + ")");
  }
}
