package dev.namu.cli.zone;

import dev.namu.cli.Namuctl;
import dev.namu.zones.file.ZoneDirectory;
import dev.namu.zones.file.ZoneFileLoader;
import dev.namu.zones.file.ZoneLoad;
import dev.namu.zones.model.ZoneProblem;
import dev.namu.zones.model.ZoneSnapshot;
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
 * {@code namuctl zone check FILE [--origin NAME]}: loads a zone file exactly as namud would and
 * prints each problem as {@code file:line: message} (and, for a zone that loads, each warning as
 * {@code file:line: warning: message}), then one summary line. Exit 0 when the zone is good
 * (warnings or not), 1 when it is not, 2 for a usage error. Works offline; it never contacts a server.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check a zone file as namud would load it (like named-checkzone).",
      "Prints each problem as FILE:LINE: MESSAGE, then a summary.",
      "Exit status: 0 good, 1 problems found, 2 usage error."
    })
public final class ZoneCheckCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The zone file to check.")
  private Path file;

  @Option(
      names = "--origin",
      paramLabel = "NAME",
      description = "The zone's name ($ORIGIN at the start). Default: FILE's name without .zone.")
  private String origin;

  @Override
  public Integer call() {
    Name zone = origin();
    ZoneLoad load = new ZoneFileLoader().load(file, zone);
    PrintWriter out = spec.commandLine().getOut();
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

  private Name origin() {
    if (origin != null) {
      try {
        return Name.fromString(origin, Name.root);
      } catch (TextParseException e) {
        throw new ParameterException(spec.commandLine(),
            "invalid --origin '" + origin + "': " + e.getMessage());
      }
    }
    try {
      return ZoneDirectory.originOf(file);
    } catch (TextParseException e) {
      throw new ParameterException(spec.commandLine(), "cannot tell the zone name from '"
          + file + "' (expected NAME.zone): give --origin NAME");
    }
  }
}
