package dev.namu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and help of the API commands that need no server; the server runs are in dns-server's e2e tests. */
class NamuctlUsageTest {

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everyCommandHasHelp() {
    String[][] commands = {
      {"zone", "list"}, {"zone", "create"}, {"zone", "show"}, {"zone", "delete"}, {"zone", "import"},
      {"zone", "export"}, {"record", "list"}, {"record", "add"}, {"record", "set"}, {"record", "delete"},
      {"record", "batch"}, {"server", "status"}, {"server", "reload"}, {"key", "add"}, {"key", "list"},
      {"key", "delete"}, {"cache", "flush"}, {"completion"}
    };
    for (String[] c : commands) {
      String[] args = java.util.Arrays.copyOf(c, c.length + 1);
      args[c.length] = "--help";
      Run r = run(args);
      assertEquals(0, r.code(), String.join(" ", c));
      assertTrue(r.out().contains("Usage: namuctl " + String.join(" ", c)), r.out());
    }
  }

  @Test
  void missingArgumentsAreUsageErrors() {
    assertEquals(2, run("record", "add", "home.lan").code());
    assertEquals(2, run("record").code());
    assertEquals(2, run("key").code());
    assertEquals(2, run("record", "add", "home.lan", "nas", "A", "192.0.2.1", "--ttl", "soon").code());
  }

  @Test
  void noTokenIsAClearFailure(@TempDir Path empty) {
    Run r = run("zone", "list", "--data", empty.toString(), "--server", "http://127.0.0.1:9");
    assertEquals(1, r.code());
    assertTrue(r.err().contains("no API token"), r.err());
    assertTrue(r.err().contains("--token"), r.err());
  }

  @Test
  void unreachableServerIsAClearFailure() {
    // port 9 (discard) on loopback: nothing listens there in a test environment
    Run r = run("zone", "list", "--token", "x", "--server", "http://127.0.0.1:9");
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("namuctl: cannot reach namud"), r.err());
  }

  @Test
  void completionScriptCoversTheCommands() {
    Run r = run("completion");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("namuctl"));
    assertTrue(r.out().contains("record"));
    assertTrue(r.out().contains("--no-ptr"));
  }
}
