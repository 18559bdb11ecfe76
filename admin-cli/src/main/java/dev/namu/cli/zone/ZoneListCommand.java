package dev.namu.cli.zone;

import dev.namu.cli.client.ListCommand;
import picocli.CommandLine.Command;

/**
 * {@code namuctl zone list}: the zones namud serves, with serial, size and source, and for a
 * secondary zone its state and last refresh ("-" for the others).
 */
@Command(name = "list", description = "List the zones namud serves.")
public final class ZoneListCommand extends ListCommand {

  /** The columns of the zones table, also printed by {@code server status}. */
  public static final String[] COLUMNS = {"ZONE:name", "SERIAL:serial", "RECORDS:records", "SOURCE:source",
      "STATE:state", "REFRESHED:lastRefresh", "RESULT:lastRefreshResult"};

  public ZoneListCommand() {
    super("zones", COLUMNS);
  }
}
