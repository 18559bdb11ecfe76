package dev.namu.cli.key;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code namuctl key}: groups the TSIG key commands. */
@Command(name = "key",
    description = "Manage the TSIG keys that may update zones with RFC 2136 UPDATE (nsupdate, ACME clients).",
    subcommands = {KeyAddCommand.class, KeyListCommand.class, KeyDeleteCommand.class})
public final class KeyCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing key command: try 'namuctl key add NAME'");
  }
}
