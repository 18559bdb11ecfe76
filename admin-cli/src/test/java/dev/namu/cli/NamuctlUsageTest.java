package dev.namu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and help of the API commands that need no server; the server runs are in dns-server's e2e tests. */
class NamuctlUsageTest {

  private static Run run(String... args) {
    return Run.inProcess(args);
  }

  @Test
  void everyCommandHasHelp() {
    String[][] commands = {
      {"zone", "list"}, {"zone", "create"}, {"zone", "show"}, {"zone", "delete"}, {"zone", "import"},
      {"zone", "export"}, {"record", "list"}, {"record", "add"}, {"record", "set"}, {"record", "delete"},
      {"record", "batch"}, {"server", "status"}, {"server", "reload"}, {"key", "add"}, {"key", "list"},
      {"key", "delete"}, {"token", "add"}, {"token", "list"}, {"token", "delete"}, {"cache", "flush"},
      {"completion"}
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
  void aServerUrlThatIsNotHttpIsOneUsageLine() {
    for (String url : List.of("ftp://127.0.0.1:8053", "127.0.0.1:8053", "http://", "http:///api", "h ttp://x")) {
      Run r = run("zone", "list", "--token", "x", "--server", url);
      assertEquals(2, r.code(), url + "\n" + r);
      assertEquals("namuctl: Invalid value for option '--server': '" + url + "' is not an http:// or https:// URL"
          + " with a host (such as http://127.0.0.1:8053) (see namuctl zone list --help)\n", r.err());
    }
  }

  @Test
  void connectionOptionsThatCannotWorkAreOneClearLine(@TempDir Path dir) throws Exception {
    Run missing = run("zone", "list", "--data", dir.resolve("nowhere").toString(), "--server", "http://127.0.0.1:9");
    assertEquals(1, missing.code(), missing.toString());
    assertTrue(missing.err().startsWith("namuctl: no API token: the data directory "), missing.toString());
    assertEquals(1, missing.err().lines().count(), missing.toString());
    Files.writeString(dir.resolve("api-token"), "\n");
    Run empty = run("zone", "list", "--data", dir.toString(), "--server", "http://127.0.0.1:9");
    assertEquals(1, empty.code(), empty.toString());
    assertTrue(empty.err().contains("api-token is empty"), empty.toString());
    Files.writeString(dir.resolve("api-token"), "two words\n");
    Run spaced = run("zone", "list", "--data", dir.toString(), "--server", "http://127.0.0.1:9");
    assertEquals(1, spaced.code(), spaced.toString());
    assertTrue(spaced.err().startsWith("namuctl: the API token from "), spaced.toString());
    Run newline = run("zone", "list", "--token", "a\nb", "--server", "http://127.0.0.1:9");
    assertEquals(1, newline.code(), newline.toString());
    assertEquals("namuctl: the API token from --token has spaces, control or non-ASCII characters;"
        + " namud's tokens have none\n", newline.err());
  }

  @Test
  void withJsonEveryErrorIsJsonOnStdoutWithTheSameExitCode() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Run usage = run("record", "add", "home.lan", "--json");
    assertEquals(2, usage.code(), usage.toString());
    assertEquals("", usage.err());
    assertEquals("usage", json.readTree(usage.out()).get("error").asText(), usage.toString());
    assertTrue(json.readTree(usage.out()).get("message").asText().contains("Missing required parameter"), usage.out());

    Run badTtl = run("record", "add", "home.lan", "nas", "A", "192.0.2.1", "--ttl", "-1", "--json");
    assertEquals(2, badTtl.code(), badTtl.toString());
    assertTrue(json.readTree(badTtl.out()).get("message").asText().contains("TTL '-1'"), badTtl.out());

    Run unreachable = run("zone", "list", "--token", "x", "--server", "http://127.0.0.1:9", "--json");
    assertEquals(1, unreachable.code(), unreachable.toString());
    assertEquals("", unreachable.err());
    JsonNode error = json.readTree(unreachable.out());
    assertEquals("unreachable", error.get("error").asText(), unreachable.out());
    assertTrue(error.get("message").asText().startsWith("cannot reach namud"), unreachable.out());

    Run server = run("server", "status", "--server", "ftp://x", "--json");
    assertEquals(2, server.code(), server.toString());
    assertEquals("usage", json.readTree(server.out()).get("error").asText(), server.out());

    Run noToken = run("key", "list", "--data", "/nonexistent/namu", "--json");
    assertEquals(1, noToken.code(), noToken.toString());
    assertEquals("no_token", json.readTree(noToken.out()).get("error").asText(), noToken.out());
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
