package dev.namu.cli.server;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code namuctl server}: groups the server commands. */
@Command(name = "server", description = "Ask a running namud about itself.",
    subcommands = {ServerStatusCommand.class, ServerReloadCommand.class})
public final class ServerCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing server command: try 'namuctl server status'");
  }
}
