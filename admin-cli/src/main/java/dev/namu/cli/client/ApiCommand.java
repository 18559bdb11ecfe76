package dev.namu.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.namu.cli.ErrorReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that call the admin API: runs the command, turns a refusal into one
 * {@code namuctl: message} line (and its problems) on stderr, or JSON on stdout with {@code --json}, and
 * exit code 1.
 */
public abstract class ApiCommand implements Callable<Integer> {

  /** Exit code when the server refused or could not be reached. */
  public static final int EXIT_FAILED = 1;

  @Mixin protected ConnectionOptions connection;

  @Spec protected CommandSpec spec;

  protected abstract void run(ApiClient client, PrintWriter out);

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      run(connection.client(), out);
      out.flush();
      return 0;
    } catch (ApiFailure e) {
      new ErrorReport(e.code(), e.getMessage(), e.problems()).print(json(), out, spec.commandLine().getErr());
      return EXIT_FAILED;
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
    return connection.json();
  }
}
