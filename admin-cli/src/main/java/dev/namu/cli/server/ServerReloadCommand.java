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
 * {@code namuctl server reload}: re-read the zone files. A broken file keeps its old version serving;
 * its problems are printed and the exit code is 1.
 */
@Command(name = "reload",
    description = {"Reload the zone files (as SIGHUP does). A broken file keeps serving its old version;",
        "its problems are printed and the exit status is 1."})
public final class ServerReloadCommand extends ApiCommand {
  @Override
  protected void run(ApiClient client, PrintWriter out) {
    JsonNode r = client.post("reload", null);
    if (json()) {
      printJson(out, r, client);
    } else {
      out.println("reloaded: " + r.path("zonesLoaded").asInt() + " file zones loaded");
    }
    List<String> problems = new ArrayList<>();
    r.path("problems").forEach(p -> problems.add(p.asText()));
    if (!problems.isEmpty()) {
      throw new ApiFailure(problems.size() + " problem(s) in zone files; those zones keep their old version", problems);
    }
  }
}
