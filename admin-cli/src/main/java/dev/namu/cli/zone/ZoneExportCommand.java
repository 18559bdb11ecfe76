package dev.namu.cli.zone;

import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ApiCommand;
import dev.namu.cli.client.ApiFailure;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code namuctl zone export NAME}: the zone as a zone file that imports back exactly. */
@Command(name = "export",
    description = "Print a served zone as a zone file (re-importing it gives exactly the same records).")
public final class ZoneExportCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "Zone name.")
  String name;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
  Path output;

  @Override
  protected void run(ApiClient client, PrintWriter out) {
    String text = client.getText("zones/" + ApiClient.enc(name) + "/text");
    if (output == null) {
      out.print(text);
      return;
    }
    try {
      Files.writeString(output, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ApiFailure("cannot write " + output + ": " + e.getMessage());
    }
  }
}
