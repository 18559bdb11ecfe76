package dev.namu.cli.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ApiCommand;
import dev.namu.cli.client.ApiFailure;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code namuctl server reload}: re-read namud's config file and zone files. A bad config file
 * changes nothing (namud's reason, {@code FILE:LINE: key: problem}, is printed, exit 1); a broken
 * zone file keeps its old version serving (its problems printed, exit 1).
 */
@Command(name = "reload",
    description = {"Reload the config file and the zone files (as SIGHUP does). A bad config file changes",
        "nothing; a broken zone file keeps serving its old version; either is printed with exit status 1."})
public final class ServerReloadCommand extends ApiCommand {
  @Override
  protected void run(ApiClient client, PrintWriter out) {
    JsonNode r = client.post("reload", null);
    if (json()) {
      printJson(out, r, client);
    } else {
      out.println("reloaded: " + r.path("zonesLoaded").asInt() + " file zones loaded");
      List<String> applied = texts(r.path("applied"));
      if (!applied.isEmpty()) {
        out.println("applied: " + String.join(", ", applied));
      }
      List<String> restart = texts(r.path("needsRestart"));
      if (!restart.isEmpty()) {
        out.println("needs a restart: " + String.join(", ", restart));
      }
    }
    List<String> problems = texts(r.path("problems"));
    if (!problems.isEmpty()) {
      throw new ApiFailure(problems.size() + " problem(s) in zone files; those zones keep their old version", problems);
    }
  }

  private static List<String> texts(JsonNode list) {
    List<String> texts = new ArrayList<>();
    list.forEach(p -> texts.add(p.asText()));
    return texts;
  }
}
