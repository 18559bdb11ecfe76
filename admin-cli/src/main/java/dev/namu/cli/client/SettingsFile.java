package dev.namu.cli.client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.TypeConversionException;

/**
 * namuctl's settings file, for scripts that should not repeat {@code --server} and {@code --token}:
 * YAML of top-level {@code key: value} lines, {@code server: URL} and {@code token: TOKEN} or
 * {@code token-file: FILE} (relative to the settings file), with {@code #} comments. Only that flat
 * subset is read (every file namuctl accepts means the same to any YAML reader); anything else is
 * refused with the file and line, never guessed at.
 */
public final class SettingsFile {

  /** No settings file: every setting falls through to its default. */
  static final SettingsFile NONE = new SettingsFile(null, Map.of());

  static final String CODE = "bad_config";
  private static final List<String> KEYS = List.of("server", "token", "token-file");
  private static final Pattern LINE = Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)[ \\t]*:(?:[ \\t]+(.*))?");
  /** A settings file is a few lines; a large one is some other file named by mistake. */
  private static final long MAX_BYTES = 64 * 1024;

  private final Path path;
  private final Map<String, Setting> settings;

  private record Setting(String value, int line) {}

  private SettingsFile(Path path, Map<String, Setting> settings) {
    this.path = path;
    this.settings = Map.copyOf(settings);
  }

  /** The file {@code --config} names (which must exist), else the first default location that exists, else none. */
  static SettingsFile find(Path given) {
    if (given != null) {
      return read(given);
    }
    for (Path p : defaultLocations()) {
      if (Files.exists(p)) {
        return read(p);
      }
    }
    return NONE;
  }

  /** $XDG_CONFIG_HOME (default $HOME/.config)/namu/namuctl.yaml for a user, then /etc/namu/namuctl.yaml for all. */
  static List<Path> defaultLocations() {
    List<Path> places = new ArrayList<>();
    String xdg = System.getenv("XDG_CONFIG_HOME");
    String home = System.getenv("HOME");
    // the XDG base directory spec: a relative path in the variable is invalid and is ignored
    Path user = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg)
        : Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"), ".config");
    places.add(user.resolve("namu").resolve("namuctl.yaml"));
    places.add(Path.of("/etc/namu/namuctl.yaml"));
    return places;
  }

  static SettingsFile read(Path path) {
    String text;
    try {
      if (Files.size(path) > MAX_BYTES) {
        throw bad(path + ": settings file larger than " + MAX_BYTES + " bytes; is it the right file?");
      }
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw bad("cannot read settings file " + path + " (" + e.getClass().getSimpleName() + ")");
    }
    Map<String, Setting> settings = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#") || line.equals("---")) {
        continue;
      }
      String where = path + ":" + (i + 1) + ": ";
      Matcher m = LINE.matcher(line);
      if (!lines[i].equals(lines[i].stripLeading()) || !m.matches()) {
        throw bad(where + "expected a top-level 'key: value' line (keys: " + String.join(", ", KEYS) + ")");
      }
      String key = m.group(1);
      if (!KEYS.contains(key)) {
        throw bad(where + "unknown setting '" + key + "' (known: " + String.join(", ", KEYS) + ")");
      }
      if (settings.containsKey(key)) {
        throw bad(where + key + " is set twice (first on line " + settings.get(key).line() + ")");
      }
      settings.put(key, new Setting(scalar(m.group(2), where + key), i + 1));
    }
    if (settings.containsKey("token") && settings.containsKey("token-file")) {
      throw bad(path + ": token and token-file are both set; keep one");
    }
    return new SettingsFile(path, settings);
  }

  /** A plain or quoted YAML scalar; a quoted one may not hold escapes (YAML would read them, namuctl does not). */
  private static String scalar(String raw, String where) {
    String v = raw == null ? "" : raw.strip();
    if (!v.isEmpty() && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
      char q = v.charAt(0);
      if (v.length() < 2 || v.charAt(v.length() - 1) != q || v.indexOf(q, 1) != v.length() - 1 || v.indexOf('\\') >= 0) {
        throw bad(where + ": a quoted value must be one quoted string without escapes");
      }
      v = v.substring(1, v.length() - 1);
    } else {
      int comment = v.indexOf(" #");
      v = (comment < 0 ? v : v.substring(0, comment)).strip();
    }
    if (v.isEmpty()) {
      throw bad(where + " has no value");
    }
    return v;
  }

  Optional<URI> server() {
    Setting s = settings.get("server");
    if (s == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ServerUrlConverter().convert(s.value()));
    } catch (TypeConversionException e) {
      throw bad(path + ":" + s.line() + ": server: " + e.getMessage());
    }
  }

  Optional<Token> token() {
    Setting token = settings.get("token");
    if (token != null) {
      return Optional.of(Token.given(token.value(), "token: in " + path));
    }
    Setting file = settings.get("token-file");
    if (file != null) {
      Path tokenFile = path.toAbsolutePath().getParent().resolve(file.value());
      return Optional.of(Token.inFile(tokenFile, "token-file: in " + path));
    }
    return Optional.empty();
  }

  private static ApiFailure bad(String message) {
    return new ApiFailure(CODE, message, List.of(), ApiFailure.EXIT_USAGE);
  }
}
