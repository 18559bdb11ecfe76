package dev.namu.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads namud's YAML config file into {@link FileSetting}s, each with its line. The YAML is read
 * as a stream of tokens (Jackson), not bound to classes, so every value keeps the line it was
 * written on; the checks of the values themselves are the flags' ({@link ConfigBinder}). Here: the
 * file is readable YAML, every key is known and given once, every value is of its key's kind.
 */
public final class ConfigFileReader {
  /** "key:" with no value is null (left out, the default), not an empty text. */
  private static final YAMLFactory YAML =
      YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

  /** The example with every key is some 4 KiB; a file this big is another file given by mistake. */
  private static final long MAX_BYTES = 1 << 20;

  private final Path file;
  private final List<FileSetting> settings = new ArrayList<>();

  private ConfigFileReader(Path file) {
    this.file = file;
  }

  /**
   * The settings of the file, in the order written; none for an empty file.
   *
   * @throws ConfigFileException for a file that cannot be read or is not a valid config
   */
  public static List<FileSetting> read(Path file) {
    String text;
    try {
      if (Files.isDirectory(file)) {
        throw new ConfigFileException(file, "is a directory, not a config file");
      }
      if (Files.exists(file) && !Files.isRegularFile(file)) {
        // reading a FIFO waits for a writer, and a device may never end: namud would hang at start
        // (and at every SIGHUP) with no word of why
        throw new ConfigFileException(file, "not a regular file (a device or a FIFO); a config file must be a regular file");
      }
      if (Files.size(file) > MAX_BYTES) {
        throw new ConfigFileException(file, "larger than " + (MAX_BYTES >> 10) + " KiB; not a config file");
      }
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigFileException(file, "no such file");
    } catch (AccessDeniedException e) {
      throw new ConfigFileException(file, "cannot read it: permission denied");
    } catch (IOException e) {
      throw new ConfigFileException(file, "cannot read it: " + e.getMessage());
    }
    ConfigFileReader reader = new ConfigFileReader(file);
    try (JsonParser p = YAML.createParser(text)) {
      reader.document(p);
    } catch (JacksonException e) {
      throw reader.syntaxError(e);
    } catch (IOException e) {
      throw new ConfigFileException(file, "cannot read it: " + e.getMessage());
    }
    return List.copyOf(reader.settings);
  }

  private void document(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      return; // an empty file: the defaults
    }
    if (first != JsonToken.START_OBJECT) {
      throw error(p, "", "the file must be a mapping of keys (listen: [127.0.0.1:53], zones: DIR ...), not "
          + describe(p));
    }
    mapping(p, "");
    if (p.nextToken() != null) {
      throw error(p, "", "a second YAML document (---); namud reads one");
    }
  }

  /** The keys of one mapping, the top of the file ({@code prefix} empty) or a group. */
  private void mapping(JsonParser p, String prefix) throws IOException {
    Map<String, Integer> seen = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String path = prefix + p.currentName();
      int line = line(p);
      Integer first = seen.putIfAbsent(p.currentName(), line);
      if (first != null) {
        throw new ConfigFileException(file, line, path, "given twice (first on line " + first + ")");
      }
      p.nextToken();
      if (prefix.isEmpty() && ConfigKey.groups().contains(path)) {
        if (p.currentToken() == JsonToken.START_OBJECT) {
          mapping(p, path + ".");
        } else if (p.currentToken() != JsonToken.VALUE_NULL) {
          throw new ConfigFileException(file, line, path,
              "expected a group of keys (" + known(path + ".") + "), got " + describe(p));
        }
        continue;
      }
      ConfigKey key = ConfigKey.at(path).orElseThrow(() -> new ConfigFileException(file, line, path,
          "unknown key; known here: " + known(prefix)));
      value(p, key, line);
    }
  }

  private void value(JsonParser p, ConfigKey key, int line) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return; // "key:" with no value: the default, as when the key is left out
    }
    switch (key.kind()) {
      case TEXT -> add(key, line, key.flag(), scalar(p, key, "text"));
      case NUMBER -> {
        if (!p.currentToken().isNumeric()) {
          throw wrongType(p, key, "a number");
        }
        // as a plain decimal, the form the flag reads (YAML also writes 1e1 or 0x10)
        add(key, line, key.flag(), p.getDecimalValue().toPlainString());
      }
      case WHOLE_NUMBER -> add(key, line, key.flag(), wholeNumber(p, key));
      case ENABLED -> {
        if (!p.currentToken().isBoolean()) {
          throw wrongType(p, key, "true or false");
        }
        add(key, line, p.currentToken() == JsonToken.VALUE_FALSE ? List.of(key.flag()) : List.of());
      }
      case LIST, NON_EMPTY_LIST -> {
        List<Located> items = list(p, key);
        if (items.isEmpty() && key.kind() == ConfigKey.Kind.NON_EMPTY_LIST) {
          throw new ConfigFileException(file, line, key.path(),
              "an empty list; give at least one, or leave the key out for the default");
        }
        for (Located item : items) {
          add(key, item.line(), key.flag(), item.text());
        }
      }
      case ZONE_MAP -> zoneMap(p, key);
      case VIEW_MAP -> viewMap(p, key);
    }
  }

  /** {@code NAME: {match-clients: [VALUE, ...]}}: the key's flag {@code NAME=VALUE} for each. */
  private void viewMap(JsonParser p, ConfigKey key) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw wrongType(p, key, "a mapping of view names to their settings (inside: {match-clients: [192.168.0.0/16]})");
    }
    Map<String, Integer> seen = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String view = p.currentName();
      int line = line(p);
      Integer first = seen.putIfAbsent(view, line);
      if (first != null) {
        throw new ConfigFileException(file, line, key.path(),
            "view " + view + " given twice (first on line " + first + ")");
      }
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw wrongType(p, key, "for view " + view + " a mapping: {match-clients: [ADDRESS/CIDR or key NAME, ...]}");
      }
      boolean matched = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String setting = p.currentName();
        int settingLine = line(p);
        if (!setting.equals("match-clients")) {
          throw new ConfigFileException(file, settingLine, key.path() + "." + view + "." + setting,
              "unknown key; known here: match-clients");
        }
        p.nextToken();
        List<Located> items = list(p, key);
        if (items.isEmpty()) {
          throw new ConfigFileException(file, settingLine, key.path() + "." + view + ".match-clients",
              "an empty list: a view must match some clients");
        }
        for (Located item : items) {
          add(key, item.line(), key.flag(), view + "=" + item.text());
        }
        matched = true;
      }
      if (!matched) {
        throw new ConfigFileException(file, line, key.path() + "." + view, "no match-clients: a view must match some clients");
      }
    }
  }

  /**
   * {@code zone: VALUE} or {@code zone: [VALUE, ...]}: the key's flag {@code zone=VALUE} for each
   * ({@code --forward-zone zone=ADDR}, {@code --secondary zone=ADDR}).
   */
  private void zoneMap(JsonParser p, ConfigKey key) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw wrongType(p, key, key == ConfigKey.SECONDARY_KEYS
          ? "a mapping of zone names to key names (example.com: transfer-key)"
          : "a mapping of zone names to addresses (corp.example: [10.0.0.53])");
    }
    Map<String, Integer> seen = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String zone = p.currentName();
      int line = line(p);
      Integer first = seen.putIfAbsent(zone, line);
      if (first != null) {
        throw new ConfigFileException(file, line, key.path(),
            "zone " + zone + " given twice (first on line " + first + ")");
      }
      p.nextToken();
      for (Located item : list(p, key)) {
        add(key, item.line(), key.flag(), zone + "=" + item.text());
      }
    }
  }

  private record Located(String text, int line) {}

  /** A list of scalars, or one scalar as a list of one. */
  private List<Located> list(JsonParser p, ConfigKey key) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return List.of(new Located(scalar(p, key, "a list"), line(p)));
    }
    List<Located> items = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      items.add(new Located(scalar(p, key, "a list of values"), line(p)));
    }
    return items;
  }

  private String scalar(JsonParser p, ConfigKey key, String expected) throws IOException {
    if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      // Jackson gives an alias as the anchor's name, not as the value it stands for
      throw new ConfigFileException(file, line(p), key.path(),
          "*" + p.getText() + ": aliases are not supported; write the value");
    }
    JsonToken t = p.currentToken();
    // YAML 1.1 reads off, on, yes and no as booleans; as text they are what was written
    // (log-level: off)
    if (t == JsonToken.VALUE_STRING || t.isNumeric() || t.isBoolean()) {
      return p.getText();
    }
    throw wrongType(p, key, expected);
  }

  private String wholeNumber(JsonParser p, ConfigKey key) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw wrongType(p, key, "a whole number");
    }
    if (p.getNumberType() != JsonParser.NumberType.INT) {
      throw new ConfigFileException(file, line(p), key.path(), p.getText() + ": out of range");
    }
    return Integer.toString(p.getIntValue());
  }

  /** {@code --flag=value}: a value that starts with a dash stays a value. */
  private void add(ConfigKey key, int line, String flag, String value) {
    add(key, line, List.of(flag + "=" + value));
  }

  private void add(ConfigKey key, int line, List<String> args) {
    settings.add(new FileSetting(key, line, args));
  }

  private ConfigFileException wrongType(JsonParser p, ConfigKey key, String expected) throws IOException {
    return new ConfigFileException(file, line(p), key.path(), "expected " + expected + ", got " + describe(p));
  }

  private ConfigFileException error(JsonParser p, String key, String problem) {
    return new ConfigFileException(file, line(p), key, problem);
  }

  /** The keys that may stand after {@code prefix}: the groups and top keys, or a group's keys. */
  private static String known(String prefix) {
    if (prefix.isEmpty()) {
      return Arrays.stream(ConfigKey.values())
          .map(k -> k.group().orElse(k.path()))
          .distinct()
          .collect(Collectors.joining(", "));
    }
    return Arrays.stream(ConfigKey.values())
        .filter(k -> k.path().startsWith(prefix))
        .map(ConfigKey::leaf)
        .collect(Collectors.joining(", "));
  }

  private static String describe(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_ARRAY) {
      return "a list";
    }
    if (t == JsonToken.START_OBJECT) {
      return "a group of keys";
    }
    if (t == JsonToken.VALUE_STRING) {
      return "text '" + p.getText() + "'";
    }
    return p.getText();
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }

  /**
   * A YAML syntax error as one line. SnakeYAML's message spans several lines (context, a
   * snippet, a caret); its problem and mark are the part a user needs.
   */
  private ConfigFileException syntaxError(JacksonException e) {
    Throwable cause = e.getCause();
    if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
      return new ConfigFileException(file, marked.getProblemMark().getLine() + 1, "",
          "not valid YAML: " + marked.getProblem());
    }
    JsonLocation where = e.getLocation();
    String message = e.getOriginalMessage().lines().findFirst().orElse("not valid YAML");
    return new ConfigFileException(file, where == null ? 1 : Math.max(1, where.getLineNr()), "",
        "not valid YAML: " + message);
  }
}
