package dev.namu.cli.key;

import dev.namu.cli.client.ListCommand;
import picocli.CommandLine.Command;

/** {@code namuctl key list}: names and algorithms; secrets are never listed. */
@Command(name = "list", description = "List TSIG keys (never their secrets).")
public final class KeyListCommand extends ListCommand {
  public KeyListCommand() {
    super("keys", "KEY:name", "ALGORITHM:algorithm", "CREATED:created", "SCOPE:scope");
  }
}
