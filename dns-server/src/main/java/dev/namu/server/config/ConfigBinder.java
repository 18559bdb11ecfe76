package dev.namu.server.config;

import dev.namu.server.querylog.QueryLog;
import dev.namu.server.recursion.ResolverSettings;
import dev.namu.server.tls.TlsKeyPair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the settings of a config file, with the command line's flags over them, into one
 * {@link ServerConfig}. Each setting becomes its flag, so the flags' checks (bounds, addresses,
 * listen conflicts, names) judge a value the same way from the file or the command line: one rule,
 * one place. A value they refuse is reported on its line in the file.
 */
public final class ConfigBinder {
  private ConfigBinder() {}

  /**
   * Checks the file's settings on their own; the files and directories they name only where no
   * flag given overrides them (the package's config names /etc/namu/zones; a run with --zones
   * elsewhere does not need it).
   *
   * @param given the flags given on the command line
   * @throws ConfigFileException naming the line and key of the first setting the checks refuse
   */
  public static void check(Path file, List<FileSetting> settings, Set<String> given) {
    ServerConfig config;
    try {
      config = NamudCommandLine.parse(args(settings));
    } catch (IllegalArgumentException e) {
      throw culprit(file, settings);
    }
    // the files the settings name, found now rather than when namud loads them, so with their line
    for (FileSetting s : kept(settings, given)) {
      if (s.key() == ConfigKey.ZONES) {
        InitialZones.directoryProblem(Path.of(value(s))).ifPresent(problem -> {
          throw new ConfigFileException(file, s.line(), s.key().path(), problem);
        });
      } else if (s.key() == ConfigKey.QUERY_LOG_FILE && !config.queryLog().stdout()) {
        QueryLog.problem(Path.of(value(s))).ifPresent(problem -> {
          throw new ConfigFileException(file, s.line(), s.key().path(), value(s) + ": " + problem);
        });
      } else if (s.key() == ConfigKey.TLS_CERT && config.tls().enabled()) {
        try {
          TlsKeyPair.read(config.tls().cert().get(), config.tls().key().get());
        } catch (IllegalArgumentException e) {
          throw new ConfigFileException(file, s.line(), s.key().path(), inFileTerms(e.getMessage(), s));
        }
      } else if (s.key() == ConfigKey.RECURSION_ROOT_HINTS && config.recursion().enabled()) {
        try {
          ResolverSettings.of(config.recursion());
        } catch (IllegalArgumentException e) {
          throw new ConfigFileException(file, s.line(), s.key().path(), inFileTerms(e.getMessage(), s));
        }
      }
    }
  }

  /**
   * The config of the file's settings and the command line: a flag given replaces the keys it
   * overrides ({@link ConfigKey#overriddenBy}).
   *
   * @param given the flags given on the command line
   * @throws IllegalArgumentException when the flags refuse the settings left with them
   */
  public static ServerConfig bind(List<FileSetting> settings, Set<String> given, List<String> commandLine) {
    List<String> args = new ArrayList<>(List.of(args(kept(settings, given))));
    args.addAll(commandLine);
    return NamudCommandLine.parse(args.toArray(String[]::new));
  }

  /** The settings no flag given overrides ({@link ConfigKey#overriddenBy}). */
  private static List<FileSetting> kept(List<FileSetting> settings, Set<String> given) {
    return settings.stream()
        .filter(s -> given.stream().noneMatch(flag -> s.key().overriddenBy(flag)))
        .toList();
  }

  /**
   * The setting that makes the file wrong: the first one whose addition to those before it is
   * refused (the second of two listen addresses that conflict, not the first).
   */
  private static ConfigFileException culprit(Path file, List<FileSetting> settings) {
    for (int n = 1; n <= settings.size(); n++) {
      try {
        NamudCommandLine.parse(args(settings.subList(0, n)));
      } catch (IllegalArgumentException e) {
        FileSetting s = settings.get(n - 1);
        return new ConfigFileException(file, s.line(), s.key().path(), inFileTerms(e.getMessage(), s));
      }
    }
    throw new IllegalStateException("the settings are refused together but by none alone");
  }

  /**
   * A flag's message as the file says it: {@code --threads 500: must be 0 to 256} is
   * {@code threads: 500: must be 0 to 256} on the key's line, and other flags named in it become
   * their keys.
   */
  static String inFileTerms(String message, FileSetting s) {
    String m = message;
    String own = s.key().flag() + " ";
    if (s.args().size() == 1) {
      String value = value(s);
      if (m.startsWith(own + value) || m.startsWith(own + "'" + value)) {
        m = m.substring(own.length());
      }
    }
    for (ConfigKey k : ConfigKey.values()) {
      m = m.replaceAll(Pattern.quote(k.flag()) + "(?![\\w-])", Matcher.quoteReplacement(k.path()));
    }
    return m;
  }

  /** The value of a setting with one flag and value ({@code --zones=DIR}). */
  private static String value(FileSetting s) {
    String arg = s.args().get(0);
    return arg.substring(arg.indexOf('=') + 1);
  }

  private static String[] args(List<FileSetting> settings) {
    return settings.stream().flatMap(s -> s.args().stream()).toArray(String[]::new);
  }
}
