package dev.namu.cli.key;

import dev.namu.cli.client.DeleteCommand;
import picocli.CommandLine.Command;

/** {@code namuctl key delete NAME}: updates signed with it are refused from now on. */
@Command(name = "delete", description = "Delete a TSIG key.")
public final class KeyDeleteCommand extends DeleteCommand {
  public KeyDeleteCommand() {
    super("keys", "deleted");
  }
}
