package dev.namu.cli.zone;

import dev.namu.cli.client.ListCommand;
import picocli.CommandLine.Command;

/** {@code namuctl zone list}: the zones namud serves, with serial, size and source. */
@Command(name = "list", description = "List the zones namud serves.")
public final class ZoneListCommand extends ListCommand {

  /** The columns of the zones table, also printed by {@code server status}. */
  public static final String[] COLUMNS = {"ZONE:name", "SERIAL:serial", "RECORDS:records", "SOURCE:source"};

  public ZoneListCommand() {
    super("zones", COLUMNS);
  }
}
