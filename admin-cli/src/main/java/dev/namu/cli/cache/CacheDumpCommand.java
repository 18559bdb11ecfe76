package dev.namu.cli.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import dev.namu.cli.client.Table;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code namuctl cache dump [NAME] [--limit N]}: what the resolver has cached, for NAME or all. */
@Command(name = "dump",
    description = "Show what the resolver has cached for NAME (every type), or the whole cache up to --limit entries.")
public final class CacheDumpCommand extends ReplyCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Name to show (default: the whole cache).")
  String name;

  @Option(names = "--limit", paramLabel = "N",
      description = "Without NAME: show at most N entries, the first in DNS name order (default 1000, at most 100000).")
  Integer limit;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.get(ApiClient.query("cache/dump", ApiClient.fields("name", name, "limit", limit)));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    JsonNode entries = reply.path("entries");
    if (entries.isEmpty()) {
      out.println(name == null ? "the cache is empty" : "nothing cached for " + reply.path("name").asText());
      return;
    }
    // One row per record; the entry's columns on its first row only.
    ArrayNode rows = JsonNodeFactory.instance.arrayNode();
    for (JsonNode e : entries) {
      ObjectNode first = rows.addObject();
      first.put("name", e.path("name").asText());
      first.set("type", e.path("type"));
      first.put("kind", e.path("kind").asText());
      first.set("trust", e.path("trust"));
      first.put("ttl", e.path("ttl").asLong() + "/" + e.path("originalTtl").asLong()
          + (e.path("stale").asBoolean() ? " stale" : ""));
      first.set("zone", e.path("zone"));
      JsonNode records = e.path("records");
      first.put("data", records.isEmpty() ? "-" : records.get(0).asText());
      for (int i = 1; i < records.size(); i++) {
        ObjectNode more = rows.addObject();
        for (String column : new String[] {"name", "type", "kind", "trust", "ttl", "zone"}) {
          more.put(column, "");
        }
        more.put("data", records.get(i).asText());
      }
    }
    Table.print(out, rows, "NAME:name", "TYPE:type", "KIND:kind", "TRUST:trust", "TTL:ttl", "ZONE:zone", "DATA:data");
    long omitted = reply.path("omitted").asLong();
    if (omitted > 0) {
      out.println(reply.path("shown").asLong() + " of " + reply.path("total").asLong() + " entries shown, "
          + omitted + " more not shown (raise --limit, or give a NAME)");
    }
  }
}
