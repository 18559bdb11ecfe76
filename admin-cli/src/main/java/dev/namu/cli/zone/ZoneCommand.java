package dev.namu.cli.zone;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code namuctl zone}: groups the zone commands; alone it is a usage error. */
@Command(
    name = "zone",
    description = "Work with zones.",
    subcommands = {ZoneCheckCommand.class, ZoneListCommand.class, ZoneCreateCommand.class, ZoneShowCommand.class,
        ZoneDeleteCommand.class, ZoneImportCommand.class, ZoneExportCommand.class, ZoneUpdateCommand.class,
        ZoneSignCommand.class, ZoneDsCommand.class, ZoneUnsignCommand.class, ZoneRolloverCommand.class,
        ZoneDsPublishedCommand.class})
public final class ZoneCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing zone command: try 'namuctl zone check FILE'");
  }
}
