package dev.namu.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.namu.cli.ErrorReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that call the admin API: runs the command, turns a refusal into one
 * {@code namuctl: message} line (and its problems) on stderr, or JSON on stdout with {@code --json}, and
 * exit code 1.
 */
public abstract class ApiCommand implements Callable<Integer> {

  @Spec protected CommandSpec spec;

  protected abstract void run(ApiClient client, PrintWriter out);

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      run(connection().client(), out);
      out.flush();
      return 0;
    } catch (ApiFailure e) {
      new ErrorReport(e.code(), e.getMessage(), e.problems()).print(json(), out, spec.commandLine().getErr());
      return e.exitCode();
    }
  }

  protected void printJson(PrintWriter out, JsonNode node, ApiClient client) {
    try {
      out.println(client.json().copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
    } catch (java.io.IOException e) {
      throw new ApiFailure("cannot print JSON: " + e.getMessage());
    }
  }

  protected boolean json() {
    return connection().json();
  }

  /**
   * The global options, which the top command holds: picocli binds an inherited option to the field
   * of the command that declares it, wherever on the command line it is given.
   */
  private ConnectionOptions connection() {
    return (ConnectionOptions) spec.root().mixins().get(ConnectionOptions.MIXIN).userObject();
  }
}
