package dev.namu.server.config;

import java.nio.file.Path;

/**
 * A config file namud cannot start with. The message is the one line printed:
 * {@code FILE:LINE: KEY: what is wrong}, or {@code FILE: what is wrong} when the file itself cannot
 * be read (it has no line).
 */
public final class ConfigFileException extends RuntimeException {
  public ConfigFileException(Path file, int line, String key, String problem) {
    super(file + ":" + line + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
  }

  public ConfigFileException(Path file, String problem) {
    super(file + ": " + problem);
  }
}
