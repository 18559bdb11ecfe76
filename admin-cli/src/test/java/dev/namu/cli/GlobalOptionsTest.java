package dev.namu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * namuctl's global options (--server, --token, --data, --config, --json) before or after the command,
 * and the settings file, through namuctl's entry point against an API on loopback.
 */
class GlobalOptionsTest {

  @TempDir Path dir;
  private StubApi api;

  @BeforeEach
  void start() throws Exception {
    api = new StubApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static Run run(String... args) {
    return Run.inProcess(args);
  }

  private Path settings(String text) throws Exception {
    Path file = dir.resolve("namuctl.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void globalOptionsWorkBeforeAndAfterTheCommand() throws Exception {
    Run before = run("--server", api.url(), "--token", "one", "zone", "list");
    assertEquals(0, before.code(), before.toString());
    assertTrue(before.out().contains("stub.test."), before.toString());

    Run after = run("zone", "list", "--server", api.url(), "--token", "two");
    assertEquals(0, after.code(), after.toString());

    Run between = run("--json", "zone", "--token", "three", "list", "--server", api.url());
    assertEquals(0, between.code(), between.toString());
    assertEquals("stub.test.", new ObjectMapper().readTree(between.out()).get(0).get("name").asText(), between.out());

    Run delete = run("--token", "four", "zone", "delete", "--server", api.url(), "old.test");
    assertEquals(0, delete.code(), delete.toString());
    assertEquals("deleted zone old.test.\n", delete.out());

    assertEquals(List.of("one", "two", "three", "four"), api.tokens());
  }

  @Test
  void aRefusedTokenIsTheServersOneLineForEveryMethod() throws Exception {
    for (String[] command : new String[][] {{"key", "list"}, {"key", "add", "acme"}, {"key", "delete", "acme"}}) {
      Run r = run(command[0], command[1], command.length > 2 ? command[2] : "--json", "--server", api.url(),
          "--token", "wrong");
      assertEquals(1, r.code(), r.toString());
      if (command.length > 2) {
        assertEquals("namuctl: missing or wrong API token\n", r.err(), String.join(" ", command));
      } else {
        assertEquals("unauthorized", new ObjectMapper().readTree(r.out()).get("error").asText(), r.out());
      }
    }
  }

  @Test
  void aGlobalOptionBeforeTheCommandIsCheckedAsAfterIt() {
    Run r = run("--server", "ftp://x", "--token", "t", "zone", "list");
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().startsWith("namuctl: Invalid value for option '--server': 'ftp://x'"), r.toString());
    assertEquals(1, r.err().lines().count(), r.toString());
  }

  @Test
  void serverAndTokenComeFromTheSettingsFile() throws Exception {
    Files.writeString(dir.resolve("token.txt"), "from-token-file\n");
    Path withFile = settings("# namuctl settings\nserver: " + api.url() + "\ntoken-file: token.txt   # beside this file\n");
    Run r = run("zone", "list", "--config", withFile.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("stub.test."), r.toString());

    Path withToken = settings("---\nserver: '" + api.url() + "'\ntoken: \"from-settings\"\n");
    assertEquals(0, run("--config", withToken.toString(), "zone", "list").code());

    assertEquals(List.of("from-token-file", "from-settings"), api.tokens());
  }

  @Test
  void flagsBeatTheSettingsFile() throws Exception {
    Path file = settings("server: http://127.0.0.1:9\ntoken: from-settings\n");
    Run r = run("zone", "list", "--config", file.toString(), "--server", api.url(), "--token", "from-flag");
    assertEquals(0, r.code(), r.toString());

    Path data = Files.createDirectory(dir.resolve("data"));
    Files.writeString(data.resolve("api-token"), "from-data\n");
    Run d = run("zone", "list", "--config", file.toString(), "--server", api.url(), "--data", data.toString());
    assertEquals(0, d.code(), d.toString());

    // the settings file's server is used when no flag names one: nothing listens on port 9
    Run s = run("zone", "list", "--config", file.toString());
    assertEquals(1, s.code(), s.toString());
    assertTrue(s.err().startsWith("namuctl: cannot reach namud at http://127.0.0.1:9/"), s.toString());

    assertEquals(List.of("from-flag", "from-data"), api.tokens());
  }

  @Test
  void aBadSettingsFileIsOneLineAndExitStatus2() throws Exception {
    String[][] cases = {
      {"sever: http://127.0.0.1:8053\n", ":1: unknown setting 'sever' (known: server, token, token-file)"},
      {"server: http://127.0.0.1:8053\nserver: http://127.0.0.1:8054\n", ":2: server is set twice (first on line 1)"},
      {"server:\n  url: http://127.0.0.1:8053\n", ":1: server has no value"},
      {"token: a\n  more: b\n", ":2: expected a top-level 'key: value' line (keys: server, token, token-file)"},
      {"- server\n", ":1: expected a top-level 'key: value' line (keys: server, token, token-file)"},
      {"server: ftp://x\ntoken: t\n", ":1: server: 'ftp://x' is not an http:// or https:// URL with a host"
          + " (such as http://127.0.0.1:8053)"},
      {"token: \"a\\tb\"\n", ":1: token: a quoted value must be one quoted string without escapes"},
      {"token: a\ntoken-file: b\n", ": token and token-file are both set; keep one"},
    };
    for (String[] c : cases) {
      Path file = settings(c[0]);
      Run r = run("zone", "list", "--config", file.toString());
      assertEquals(2, r.code(), c[0] + r);
      assertEquals("namuctl: " + file + c[1] + "\n", r.err(), c[0]);
      assertFalse(r.out().contains("Exception"), r.toString());

      Run json = run("zone", "list", "--config", file.toString(), "--json");
      assertEquals(2, json.code(), json.toString());
      assertEquals("bad_config", new ObjectMapper().readTree(json.out()).get("error").asText(), json.out());
    }
    Run missing = run("zone", "list", "--config", dir.resolve("nowhere.yaml").toString());
    assertEquals(2, missing.code(), missing.toString());
    assertEquals("namuctl: cannot read settings file " + dir.resolve("nowhere.yaml") + " (NoSuchFileException)\n",
        missing.err());
    Files.writeString(dir.resolve("empty-token"), "\n");
    Run emptyToken = run("zone", "list", "--config", settings("server: " + api.url() + "\ntoken-file: empty-token\n").toString());
    assertEquals(1, emptyToken.code(), emptyToken.toString());
    assertTrue(emptyToken.err().startsWith("namuctl: no API token: " + dir.resolve("empty-token")
        + " (token-file: in " + dir.resolve("namuctl.yaml") + ") is empty"), emptyToken.toString());
    assertEquals(List.of(), api.tokens());
  }

  private Run process(Map<String, String> env, String... args) throws Exception {
    return Run.asProcess(env, dir, args);
  }

  @Test
  void theEnvironmentBeatsTheSettingsFileInItsDefaultPlace() throws Exception {
    Path home = Files.createDirectory(dir.resolve("home"));
    Path config = Files.createDirectories(home.resolve(".config/namu"));
    Files.writeString(config.resolve("namuctl.yaml"), "server: " + api.url() + "\ntoken: from-settings\n");
    Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString()));
    Run settings = process(env, "zone", "list");
    assertEquals(0, settings.code(), settings.toString());

    env.put("NAMU_TOKEN", "from-env");
    assertEquals(0, process(env, "zone", "list").code());

    Path xdg = Files.createDirectories(dir.resolve("xdg/namu"));
    Files.writeString(xdg.resolve("namuctl.yaml"), "server: http://127.0.0.1:9\n");
    env.put("XDG_CONFIG_HOME", xdg.getParent().toString());
    Run fromXdg = process(env, "zone", "list");
    assertEquals(1, fromXdg.code(), fromXdg.toString());
    assertTrue(fromXdg.err().startsWith("namuctl: cannot reach namud at http://127.0.0.1:9/"), fromXdg.toString());

    env.put("NAMU_SERVER", api.url());
    assertEquals(0, process(env, "zone", "list").code());

    assertEquals(List.of("from-settings", "from-env", "from-env"), api.tokens());
  }
}
