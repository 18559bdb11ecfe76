package dev.namu.cli.record;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Parameters;

/**
 * Base of the record commands that edit ZONE (their first argument); for people they print the full
 * names the edit wrote (as the server read them: {@code nas.home.lan.}), then one line per zone it
 * changed: {@code home.lan.: serial 5 -> 6 (records +1 -0, SOA included)}.
 */
abstract class RecordEditCommand extends ReplyCommand {
  @Parameters(index = "0", paramLabel = "ZONE", description = "Zone name.")
  String zone;

  /** Most names listed for people; a batch of a thousand prints a count. */
  static final int NAMES_SHOWN = 10;

  @Override
  protected final void printHuman(PrintWriter out, JsonNode reply) {
    JsonNode names = reply.path("names");
    if (names.size() > NAMES_SHOWN) {
      out.println(names.size() + " names");
    } else {
      names.forEach(n -> out.println(n.asText()));
    }
    if (reply.has("view")) {
      out.println(reply.path("zone").asText() + " view " + reply.path("view").asText() + ": "
          + (reply.path("changed").asBoolean(false) ? "" : "no change, ") + reply.path("records").size()
          + " record(s) of its own");
      return;
    }
    if (!reply.path("changed").asBoolean(false)) {
      out.println(reply.path("zone").asText() + ": no change (serial " + reply.path("serial").asText() + ")");
      return;
    }
    for (JsonNode z : reply.path("zones")) {
      out.println(z.path("zone").asText() + ": serial " + z.path("serialBefore").asText() + " -> "
          + z.path("serialAfter").asText() + " (records +" + z.path("added").asInt() + " -"
          + z.path("removed").asInt() + ", SOA included)");
    }
  }

  /** The view whose records the command edits ({@code --view}), or null for the zone's. */
  String view() {
    return null;
  }

  /** The API path of ZONE's records, or of a view's records of ZONE with {@code --view}. */
  String records() {
    return records(ApiClient.fields());
  }

  /** As {@link #records()}, with these query parameters too. */
  String records(java.util.Map<String, Object> query) {
    java.util.Map<String, Object> all = new java.util.LinkedHashMap<>(query);
    if (view() != null) {
      all.put("view", view());
    }
    return ApiClient.query("zones/" + ApiClient.enc(zone) + "/records", all);
  }
}
