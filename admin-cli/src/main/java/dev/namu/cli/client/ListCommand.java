package dev.namu.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** Base of the commands that get a list from the API and print it as a {@link Table} for people. */
public abstract class ListCommand extends ReplyCommand {

  private final String path;
  private final String[] columns;

  /** {@code columns} as {@link Table#print} takes them: {@code "HEADER:field"}. */
  protected ListCommand(String path, String... columns) {
    this.path = path;
    this.columns = columns.clone();
  }

  @Override
  protected JsonNode request(ApiClient client) {
    return client.get(path);
  }

  @Override
  protected final void printHuman(PrintWriter out, JsonNode items) {
    Table.print(out, items, columns);
  }
}
