package dev.namu.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** One line per zone an edit changed: {@code home.lan.: serial 5 -> 6 (+1 -0)}. */
public final class EditSummary {
  private EditSummary() {}

  public static void print(PrintWriter out, JsonNode result) {
    if (!result.path("changed").asBoolean(false)) {
      out.println(result.path("zone").asText() + ": no change (serial " + result.path("serial").asText() + ")");
      return;
    }
    for (JsonNode z : result.path("zones")) {
      out.println(z.path("zone").asText() + ": serial " + z.path("serialBefore").asText() + " -> "
          + z.path("serialAfter").asText() + " (records +" + z.path("added").asInt() + " -"
          + z.path("removed").asInt() + ", SOA included)");
    }
  }
}
