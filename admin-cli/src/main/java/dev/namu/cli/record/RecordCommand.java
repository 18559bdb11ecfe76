package dev.namu.cli.record;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code namuctl record}: groups the record commands; alone it is a usage error. */
@Command(name = "record",
    description = {"Edit the records of a zone in namud's store, live.",
        "NAME is relative to the zone (nas), absolute with a trailing dot (nas.home.lan.) or when it ends in the",
        "zone's name (nas.home.lan), or @ for the apex. Non-ASCII names become punycode; spaces are refused.",
        "TXT data is one string (split into 255-byte pieces) unless it starts with a quote: '\"a\" \"b\"'."},
    subcommands = {RecordListCommand.class, RecordAddCommand.class, RecordSetCommand.class,
        RecordDeleteCommand.class, RecordBatchCommand.class})
public final class RecordCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(),
        "missing record command: try 'namuctl record add ZONE NAME TYPE RDATA'");
  }
}
