package dev.namu.server.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The [Service] settings of a systemd unit file, read as systemd reads them for the keys used here. */
record UnitFile(Path path, Map<String, List<String>> service) {

  static UnitFile read(Path path) throws IOException {
    Map<String, List<String>> service = new LinkedHashMap<>();
    String section = "";
    for (String raw : Files.readAllLines(path)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        section = line;
        continue;
      }
      int eq = line.indexOf('=');
      if (section.equals("[Service]") && eq > 0) {
        service.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
      }
    }
    return new UnitFile(path, Map.copyOf(service));
  }

  /** The one value of {@code key}; fails when the unit does not set it. */
  String value(String key) {
    List<String> values = service.get(key);
    if (values == null || values.isEmpty()) {
      throw new AssertionError(path + " sets no " + key + "=");
    }
    return values.get(values.size() - 1);
  }

  /**
   * ExecStart= as words: the unit's special prefixes (- @ + ! :) dropped. Words are split at
   * spaces; the units tested here quote nothing.
   */
  List<String> execStart() {
    String line = value("ExecStart").replaceFirst("^[-@+!:]+", "");
    return List.of(line.split("\\s+"));
  }

  /** Environment= assignments, in order. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : service.getOrDefault("Environment", List.of())) {
      for (String assignment : line.split("\\s+")) {
        int eq = assignment.indexOf('=');
        env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
      }
    }
    return env;
  }

  /** A capability list (AmbientCapabilities=CAP_NET_BIND_SERVICE) as setpriv writes it: net_bind_service. */
  List<String> capabilities(String key) {
    return List.of(value(key).split("\\s+")).stream()
        .map(cap -> cap.replaceFirst("^CAP_", "").toLowerCase(java.util.Locale.ROOT))
        .toList();
  }
}
