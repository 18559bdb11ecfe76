package dev.namu.cli;

import dev.namu.cli.cache.CacheCommand;
import dev.namu.cli.explain.ExplainCommand;
import dev.namu.cli.client.ConnectionOptions;
import dev.namu.cli.key.KeyCommand;
import dev.namu.cli.token.TokenCommand;
import dev.namu.cli.record.RecordCommand;
import dev.namu.cli.server.ServerCommand;
import dev.namu.cli.zone.ZoneCommand;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code namuctl}: the top command. Each subcommand is its own class. Exit codes: 0 success, 1 the
 * command ran and found a problem (a bad zone, a refused edit, namud not reachable), 2 a usage error;
 * errors are one line on stderr, or JSON on stdout with {@code --json} ({@link ErrorReport}).
 */
@Command(
    name = "namuctl",
    // every command has -h/--help and -V/--version, from here
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Namuctl.Version.class,
    description = "Check and manage the zones of a Namu DNS server.",
    subcommands = {ZoneCommand.class, RecordCommand.class, ServerCommand.class, KeyCommand.class, TokenCommand.class,
        CacheCommand.class, ExplainCommand.class, CompletionCommand.class})
public final class Namuctl implements Callable<Integer> {

  /** Exit code of a command that ran and found the input bad. */
  public static final int EXIT_PROBLEMS = 1;

  /** Exit code of a usage error: picocli returns it for invalid input (CommandLine.ExitCode.USAGE). */
  public static final int EXIT_USAGE = 2;

  @Spec private CommandSpec spec;

  /** The global options (--server, --token, --json...), inherited by every command. */
  @Mixin(name = ConnectionOptions.MIXIN) private ConnectionOptions connection;

  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs namuctl in-process with the given output streams; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cmd = new CommandLine(new Namuctl());
    cmd.setOut(out);
    cmd.setErr(err);
    boolean json = ErrorReport.wantsJson(args);
    cmd.setParameterExceptionHandler((ex, a) -> {
      // One line that names the command and where its usage is, instead of the whole usage text.
      String where = ex.getCommandLine().getCommandSpec().qualifiedName();
      new ErrorReport("usage", ex.getMessage() + " (see " + where + " --help)", List.of())
          .print(json, ex.getCommandLine().getOut(), ex.getCommandLine().getErr());
      return EXIT_USAGE;
    });
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      // An unexpected failure is a bug, but the user still gets one clear line, not a trace.
      new ErrorReport("internal", "internal error: " + ex, List.of())
          .print(json, commandLine.getOut(), commandLine.getErr());
      return EXIT_PROBLEMS;
    });
    int code = cmd.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command: try 'namuctl zone check FILE'");
  }

  /** The version from the jar manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Namuctl.class.getPackage().getImplementationVersion();
      return new String[] {"namuctl " + (v == null ? "(development build)" : v)};
    }
  }
}
