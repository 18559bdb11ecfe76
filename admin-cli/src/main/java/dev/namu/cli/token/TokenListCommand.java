package dev.namu.cli.token;

import dev.namu.cli.client.ListCommand;
import picocli.CommandLine.Command;

/** {@code namuctl token list}: names and scopes; tokens are never shown again. */
@Command(name = "list", description = "List named API tokens and what each may change (never the tokens).")
public final class TokenListCommand extends ListCommand {
  public TokenListCommand() {
    super("tokens", "TOKEN:name", "CREATED:created", "SCOPE:scope");
  }
}
