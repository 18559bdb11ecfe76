package dev.namu.cli.cache;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code namuctl cache}: groups the cache commands. */
@Command(name = "cache", description = "Work with the resolver cache.",
    subcommands = {CacheFlushCommand.class, CacheDumpCommand.class, CacheInfraCommand.class})
public final class CacheCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing cache command: try 'namuctl cache flush [NAME]', 'namuctl cache dump [NAME]' or 'namuctl cache infra'");
  }
}
