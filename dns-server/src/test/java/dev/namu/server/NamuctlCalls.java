package dev.namu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.namu.cli.Namuctl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** namuctl run in this JVM against a running namud, as its operator runs it. */
public final class NamuctlCalls {

  private NamuctlCalls() {}

  /**
   * Runs namuctl with {@code args} against the admin API at {@code api}, with the admin token namud
   * keeps in {@code data}; asserts it succeeded and returns what it printed.
   */
  public static String succeed(String api, Path data, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--server", api, "--data", data.toString()));
    int exit = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    assertEquals(0, exit, String.join(" ", args) + "\n" + out + err);
    return out.toString();
  }
}
