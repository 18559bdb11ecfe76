package dev.namu.cli.zone;

import dev.namu.cli.client.DeleteCommand;
import picocli.CommandLine.Command;

/** {@code namuctl zone delete NAME}: removes a stored zone (its journal stays). */
@Command(name = "delete", description = "Delete a zone from namud's store; it stops being served at once.")
public final class ZoneDeleteCommand extends DeleteCommand {
  public ZoneDeleteCommand() {
    super("zones", "zone");
  }
}
