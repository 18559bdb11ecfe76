package dev.namu.server.config;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * Where namud's settings come from, read again on each reload: the same command line and config
 * file namud started with, so the flags still override the file's keys.
 */
@FunctionalInterface
public interface ConfigSource {

  /**
   * The settings as they read now.
   *
   * @throws ConfigFileException for a config file that cannot be read or holds a bad setting
   * @throws IllegalArgumentException for a bad flag or setting
   */
  ServerConfig read();

  /** The settings given, always the same: a server started without a command line. */
  static ConfigSource fixed(ServerConfig config) {
    return () -> config;
  }

  /** {@code args} parsed again, with {@code --config FILE} or else {@code defaultFile} when it exists. */
  static ConfigSource commandLine(List<String> args, Path defaultFile) {
    List<String> given = List.copyOf(args);
    return () -> {
      CommandLine cl = NamudCommandLine.commandLine();
      try {
        cl.parseArgs(given.toArray(String[]::new));
      } catch (CommandLine.ParameterException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      return ConfigLoader.load(cl.getParseResult(), defaultFile);
    };
  }
}
