package dev.namu.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.namu.server.config.ConfigBinder;
import dev.namu.server.config.ConfigFileReader;
import dev.namu.server.config.ConfigKey;
import dev.namu.server.config.EffectiveConfig;
import dev.namu.server.config.NamudCommandLine;
import dev.namu.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The example config shipped as /etc/namu/namud.yaml is tested like the README: it has a key for
 * every namud flag and no key namud does not know, each key says what it does, its default and its
 * flag, and its values are namud's defaults but for the package's paths.
 */
class NamudYamlExampleTest {
  private static final Path EXAMPLE = Path.of("src/main/dist/namud.yaml");

  /** Flags that are not settings: which file to read, what to do with it, help. */
  private static final Set<String> NOT_SETTINGS = Set.of("--config", "--check", "--json", "--help", "--version");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void everyFlagHasAKeyAndEveryKeyOfTheExampleIsNamuds() throws IOException {
    Set<String> flags = NamudCommandLine.commandLine().getCommandSpec().options().stream()
        .map(OptionSpec::longestName)
        .filter(f -> !NOT_SETTINGS.contains(f))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> keyed = Arrays.stream(ConfigKey.values()).map(ConfigKey::flag)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(flags, keyed, "namud's flags and the flags of the config keys");

    Set<String> written = new TreeSet<>();
    paths(YAML.readTree(EXAMPLE.toFile()), "", written);
    Set<String> known = Arrays.stream(ConfigKey.values()).map(ConfigKey::path)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(known, written, "the keys of " + EXAMPLE + " and namud's");
  }

  @Test
  void eachKeyIsCommentedWithItsFlagAndDefault() throws IOException {
    List<String> lines = Files.readAllLines(EXAMPLE);
    for (ConfigKey key : ConfigKey.values()) {
      String indent = key.group().isPresent() ? "  " : "";
      int from = key.group().map(g -> lines.indexOf(g + ":")).orElse(0);
      int at = from;
      while (at < lines.size() && !lines.get(at).startsWith(indent + key.leaf() + ":")) {
        at++;
      }
      assertTrue(from >= 0 && at < lines.size(), key.path() + " not in " + EXAMPLE);
      StringBuilder comment = new StringBuilder();
      for (int i = at - 1; i >= 0 && lines.get(i).strip().startsWith("#"); i--) {
        comment.insert(0, lines.get(i) + "\n");
      }
      assertTrue(comment.toString().matches("(?s).*Flag: " + key.flag() + "\\b.*"),
          key.path() + " has no comment naming " + key.flag() + ":\n" + comment);
      assertTrue(comment.toString().contains("Default: "), key.path() + " has no default in its comment:\n" + comment);
    }
  }

  @Test
  void theExampleKeepsNamudsDefaultsButThePackagePaths() {
    ObjectNode example = YAML.valueToTree(
        EffectiveConfig.of(ConfigBinder.bind(ConfigFileReader.read(EXAMPLE), Set.of(), List.of())));
    ObjectNode defaults = YAML.valueToTree(EffectiveConfig.of(NamudCommandLine.parse()));
    assertEquals("/etc/namu/zones", example.remove("zones").asText());
    assertEquals("/var/lib/namu", example.remove("data").asText());
    defaults.remove(List.of("zones", "data"));
    assertEquals(defaults, example);
  }

  /** The README's example of a config file is one namud reads, with the values it shows. */
  @Test
  void theReadmesExampleIsAConfigNamudReads(@TempDir Path dir) throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    String section = readme.substring(readme.indexOf("### Config file"));
    int start = section.indexOf("```yaml\n") + "```yaml\n".length();
    Path file = Files.writeString(dir.resolve("namud.yaml"), section.substring(start, section.indexOf("```", start)));
    ServerConfig config = ConfigBinder.bind(ConfigFileReader.read(file), Set.of(), List.of());
    assertEquals(Path.of("/etc/namu/zones"), config.zonesDir().orElseThrow());
    assertEquals(32 << 20, config.admin().apiLimits().maxBodyBytes());
    assertEquals(Set.of(Name.fromConstantString("corp.example.")), config.recursion().forwardZones().keySet());
  }

  /** The leaf keys of the file; a mapping of zones is one key's value, not keys. */
  private static void paths(JsonNode node, String prefix, Set<String> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix + e.getKey();
      if (e.getValue().isObject() && prefix.isEmpty() && ConfigKey.groups().contains(path)) {
        paths(e.getValue(), path + ".", out);
      } else {
        out.add(path);
      }
    }
  }
}
