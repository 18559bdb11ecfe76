package dev.namu.cli.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.namu.cli.client.ApiClient;
import dev.namu.cli.client.ReplyCommand;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code namuctl cache flush [NAME]}: drop cached answers for NAME and below, or all. */
@Command(name = "flush",
    description = "Drop cached answers for NAME and the names below it, or the whole cache.")
public final class CacheFlushCommand extends ReplyCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Name to flush (default: everything).")
  String name;

  @Override
  protected JsonNode request(ApiClient client) {
    return client.post("cache/flush", ApiClient.fields("name", name));
  }

  @Override
  protected void printHuman(PrintWriter out, JsonNode reply) {
    out.println("flushed " + reply.path("flushed").asText());
  }
}
