package dev.namu.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Parameters;

/** Base of the commands that delete one named thing (a zone, a key) and say so: {@code deleted zone home.lan.}. */
public abstract class DeleteCommand extends ReplyCommand {

  @Parameters(index = "0", paramLabel = "NAME", description = "Name of the ${PARENT-COMMAND-NAME} to delete.")
  String name;

  private final String collection;
  private final String replyField;

  /** Deletes {@code collection/NAME}; prints "deleted", the group's name ({@code zone}) and the reply's {@code replyField}. */
  protected DeleteCommand(String collection, String replyField) {
    this.collection = collection;
    this.replyField = replyField;
  }

  @Override
  protected final JsonNode request(ApiClient client) {
    return client.delete(collection + "/" + ApiClient.enc(name));
  }

  @Override
  protected final void printHuman(PrintWriter out, JsonNode reply) {
    out.println("deleted " + spec.parent().name() + " " + reply.path(replyField).asText());
  }
}
