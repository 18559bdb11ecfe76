package dev.namu.cli.token;

import dev.namu.cli.client.DeleteCommand;
import picocli.CommandLine.Command;

/** {@code namuctl token delete NAME}: requests with it are refused from now on. */
@Command(name = "delete", description = "Delete a named API token.")
public final class TokenDeleteCommand extends DeleteCommand {
  public TokenDeleteCommand() {
    super("tokens", "deleted");
  }
}
