package dev.namu.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/**
 * Base of the commands that make one API request and print its reply: the server's JSON as it is
 * with {@code --json} (for scripts), else {@link #printHuman} for people.
 */
public abstract class ReplyCommand extends ApiCommand {

  /** Makes the request; a refusal is thrown as {@link ApiFailure}. */
  protected abstract JsonNode request(ApiClient client);

  /** Prints the reply for people (without {@code --json}). */
  protected abstract void printHuman(PrintWriter out, JsonNode reply);

  @Override
  protected final void run(ApiClient client, PrintWriter out) {
    JsonNode reply = request(client);
    if (json()) {
      printJson(out, reply, client);
    } else {
      printHuman(out, reply);
    }
  }
}
