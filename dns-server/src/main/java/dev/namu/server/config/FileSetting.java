package dev.namu.server.config;

import java.util.List;

/**
 * One value read from the config file: its key, the line it is on and the flags it stands for
 * ({@code listen: [a, b]} is two settings, one a line, so a bad address is reported on its own line).
 */
public record FileSetting(ConfigKey key, int line, List<String> args) {
  public FileSetting {
    args = List.copyOf(args);
  }
}
