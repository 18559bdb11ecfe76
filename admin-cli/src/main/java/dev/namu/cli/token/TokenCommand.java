package dev.namu.cli.token;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code namuctl token}: groups the named API token commands. */
@Command(name = "token",
    description = "Manage named admin API tokens, each limited to some zones, names and types (one per script).",
    subcommands = {TokenAddCommand.class, TokenListCommand.class, TokenDeleteCommand.class})
public final class TokenCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing token command: try 'namuctl token add NAME'");
  }
}
