package dev.namu.cli.zone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ApiFailure;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.zones.file.ZoneFileBytes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone import FILE}: moves a zone file into namud's store (create or replace). */
@Command(name = "import",
    description = {"Import a zone file into namud's store: creates the zone or replaces all its records.",
        "The zone is then edited live (record add ...); its file is no longer used.",
        "Check a file first with: namuctl zone check --for-import FILE"})
public final class ZoneImportCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "FILE", description = "Zone file.")
  Path file;

  @Option(names = "--origin", paramLabel = "NAME",
      description = "Zone name (default: the file's SOA owner or $ORIGIN, else FILE's name without .zone).")
  String origin;

  @Override
  protected JsonNode request(ApiClient client) {
    Name given = ImportOrigin.option(origin, spec.commandLine());
    byte[] bytes;
    try {
      bytes = ZoneFileBytes.read(file);
    } catch (IOException e) {
      throw new ApiFailure("cannot read " + file + ": " + e.getMessage());
    }
    String zone = ImportOrigin.of(given, file, bytes, spec.commandLine()).toString();
    return client.putText("zones/" + ApiClient.enc(zone) + "/text", new String(bytes, StandardCharsets.UTF_8));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    out.println("imported zone " + reply.path("zone").asText() + " (serial " + reply.path("serial").asText() + ")");
  }
}
