package dev.namu.cli.zone;

import dev.namu.cli.Namuctl;
import dev.namu.zones.file.ZoneDirectory;
import dev.namu.zones.file.ZoneFileBytes;
import dev.namu.zones.file.ZoneFileLoader;
import dev.namu.zones.file.ZoneFileRules;
import dev.namu.zones.file.ZoneLoad;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code namuctl zone check FILE [--origin NAME] [--for-import]}: loads a zone file exactly as
 * namud would (from {@code --zones}, or with {@code --for-import} as {@code zone import} sends it)
 * and prints each problem as {@code file:line: message} (and, for a zone that loads, each warning
 * as {@code file:line: warning: message}), then one summary line. Exit 0 when the zone is good
 * (warnings or not), 1 when it is not or the file cannot be read, 2 for a usage error. Works
 * offline; it never contacts a server.
 */
@Command(
    name = "check",
    description = {
      "Check a zone file as namud would load it (like named-checkzone).",
      "Prints each problem as FILE:LINE: MESSAGE, then a summary.",
      "With --for-import, checks it as 'zone import' would import it.",
      "Exit status: 0 good, 1 problems found, 2 usage error."
    })
public final class ZoneCheckCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The zone file to check.")
  private Path file;

  @Option(
      names = "--origin",
      paramLabel = "NAME",
      description = "The zone's name ($ORIGIN at the start). Default: FILE's name without .zone"
          + " (with --for-import: the file's SOA owner or $ORIGIN, else FILE's name).")
  private String origin;

  @Option(
      names = "--for-import",
      description = "Check the file as 'zone import' sends it to namud: no $INCLUDE, at most "
          + ZoneFileRules.IMPORT_MAX_RECORDS + " records, the zone name as import takes it.")
  private boolean forImport;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Name given = ImportOrigin.option(origin, spec.commandLine());
    Name zone;
    ZoneLoad load;
    try {
      if (forImport) {
        byte[] text = ZoneFileBytes.read(file);
        zone = ImportOrigin.of(given, file, text, spec.commandLine());
        load = new ZoneFileLoader().load(file.toString(), text, zone, ZoneFileRules.IMPORT);
      } else {
        ZoneFileBytes.check(file); // one line for a file that is none, before the zone name is asked
        zone = given != null ? given : fileNameOrigin();
        load = new ZoneFileLoader().load(file, zone);
      }
    } catch (IOException e) {
      // one line, as the loader says it, and no summary: there is no zone to speak of
      out.println(new ZoneProblem(file.toString(), 0, "cannot read zone file: " + e.getMessage()));
      return Namuctl.EXIT_PROBLEMS;
    }
    for (ZoneProblem p : load.problems()) {
      out.println(p);
    }
    if (load.ok()) {
      ZoneSnapshot z = load.zone().get();
      for (ZoneProblem w : z.warnings()) {
        out.println(w.file() + ":" + w.line() + ": warning: " + w.message());
      }
      int w = z.warnings().size();
      out.println("zone " + z.origin() + " is ok: serial " + z.serial() + ", "
          + z.records().size() + " records" + (w == 0 ? "" : w == 1 ? " (1 warning)" : " (" + w + " warnings)"));
      return 0;
    }
    int n = load.problems().size();
    out.println("zone " + zone + " has " + n + (n == 1 ? " problem" : " problems")
        + "; namud would not serve it");
    return Namuctl.EXIT_PROBLEMS;
  }

  private Name fileNameOrigin() {
    try {
      return ZoneDirectory.originOf(file);
    } catch (TextParseException e) {
      throw new ParameterException(spec.commandLine(), "cannot tell the zone name from '"
          + file + "' (expected NAME.zone): give --origin NAME");
    }
  }
}
