package dev.namu.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * namud's settings from its two sources: the config file ({@code --config FILE}, else
 * {@link #DEFAULT_FILE} when it exists) and the command line, whose flags override the file. With
 * neither, the built-in defaults. The result is one immutable {@link ServerConfig}; reading the
 * same sources again gives an equal one.
 */
public final class ConfigLoader {
  static final String DEFAULT_FILE_TEXT = "/etc/namu/namud.yaml";

  /** Where a packaged namud finds its config without {@code --config}. */
  public static final Path DEFAULT_FILE = Path.of(DEFAULT_FILE_TEXT);

  /** The environment variable that names another file to read without --config. */
  public static final String DEFAULT_FILE_VARIABLE = "NAMUD_CONFIG";

  /**
   * The file read without --config: {@code $NAMUD_CONFIG} when set (a second namud beside a
   * packaged one, or a test that must not read the machine's), else {@link #DEFAULT_FILE}.
   */
  public static Path defaultFile(Map<String, String> environment) {
    String named = environment.get(DEFAULT_FILE_VARIABLE);
    return named == null || named.isEmpty() ? DEFAULT_FILE : Path.of(named);
  }

  private ConfigLoader() {}

  /**
   * @param commandLine the parsed command line of {@link NamudCommandLine}
   * @param defaultFile the file read without {@code --config}, when it exists
   * @throws IllegalArgumentException for a bad flag (the flags are checked first, on their own)
   * @throws ConfigFileException for a config file that cannot be read or holds a bad setting
   */
  public static ServerConfig load(CommandLine.ParseResult commandLine, Path defaultFile) {
    NamudCommandLine flags = commandLine.commandSpec().commandLine().getCommand();
    ServerConfig fromFlags = flags.toConfig();
    Optional<Path> file = flags.configFile().or(() -> Optional.of(defaultFile).filter(Files::exists));
    if (file.isEmpty()) {
      return fromFlags;
    }
    List<FileSetting> settings = ConfigFileReader.read(file.get());
    Set<String> given = commandLine.matchedOptions().stream()
        .map(OptionSpec::longestName)
        .collect(Collectors.toSet());
    ConfigBinder.check(file.get(), settings, given);
    return ConfigBinder.bind(settings, given, commandLine.originalArgs());
  }
}
