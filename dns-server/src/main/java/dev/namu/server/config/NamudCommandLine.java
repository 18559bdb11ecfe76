package dev.namu.server.config;

import dev.namu.server.querylog.QueryLogOptions;
import dev.namu.server.recursion.RecursionOptions;
import dev.namu.server.secondary.SecondaryOptions;
import dev.namu.server.transfer.TransferOptions;
import dev.namu.server.transport.TcpSettings;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The flags of {@code namud}, parsed by picocli into a {@link ServerConfig}. */
@Command(
    name = "namud",
    mixinStandardHelpOptions = true,
    versionProvider = NamudCommandLine.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Namu DNS server: answers authoritatively for the zones it serves and resolves every other"
          + " name for loopback and private clients (recursion).",
      "With no flags and no " + ConfigLoader.DEFAULT_FILE_TEXT + " it serves the example zones home.lan"
          + " and 0.168.192.in-addr.arpa on 127.0.0.1:53 and [::1]:53."
    })
public final class NamudCommandLine {
  private static final Set<String> LEVELS =
      Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  /** The bounds of the idle timeout: a tenth of a second (fractions are for tests) to an hour. */
  private static final BigDecimal MIN_IDLE_SECONDS = new BigDecimal("0.1");
  private static final BigDecimal MAX_IDLE_SECONDS = BigDecimal.valueOf(3600);

  /** More connections than a process has file descriptors by default is a typo. */
  private static final int MAX_TCP_CONNECTIONS = 65535;

  /** Event loops beyond this are more threads than any machine namud runs on has cores for. */
  private static final int MAX_THREADS = 256;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = {
        "Read the settings from this YAML file; flags given override it. Default:"
            + " " + ConfigLoader.DEFAULT_FILE_TEXT + " when it exists."
      })
  private Path config;

  @Option(
      names = "--check",
      description = "Check the settings and load every zone, without serving; exit 0 when all is well.")
  private boolean check;

  @Option(
      names = "--json",
      description = "With --check: print the settings in effect and the zones loaded as JSON.")
  private boolean json;

  @Option(
      names = "--listen",
      paramLabel = "ADDR:PORT",
      description = {
        "Address and port to serve on, UDP and TCP; repeat for more. IPv6 in brackets:"
            + " [::1]:53. Port 0 picks a free port. Default: 127.0.0.1:53 and [::1]:53."
      })
  private List<String> listen;

  @Option(
      names = "--zones",
      paramLabel = "DIR",
      description = "Serve every NAME.zone file in DIR as zone NAME (default: the built-in examples).")
  private Path zones;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "TRACE, DEBUG, INFO, WARN, ERROR or OFF (default INFO).")
  private String logLevel;

  @Option(
      names = "--tcp-idle-timeout",
      paramLabel = "SECONDS",
      description = "Close TCP connections idle this long, 0.1 to 3600 (default 10; fractions allowed).")
  private String tcpIdleSeconds;

  @Option(
      names = "--tcp-max-connections",
      paramLabel = "N",
      description =
          "Most TCP connections open at once, 1 to 65535; a new one past this takes the place of"
              + " the one idle longest (default 1024).")
  private Integer tcpMaxConnections;

  @Option(
      names = "--tcp-max-connections-per-client",
      paramLabel = "N",
      description = "Most TCP connections open at once from one client address, 1 to 65535 (default 64).")
  private Integer tcpMaxPerClient;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Network threads, 1 to 256 (default, or 0: one per processor).")
  private Integer threads;

  @Mixin private AdminOptions admin = new AdminOptions();

  @Mixin private RecursionOptions recursion = new RecursionOptions();

  @Mixin private MetricsOptions metrics = new MetricsOptions();
  @Mixin private QueryLogOptions queryLog = new QueryLogOptions();
  @Mixin private RateLimitOptions rateLimit = new RateLimitOptions();
  @Mixin private SecondaryOptions secondary = new SecondaryOptions();
  @Mixin private TlsOptions tls = new TlsOptions();
  @Mixin private TransferOptions transfers = new TransferOptions();
  @Mixin private ViewOptions views = new ViewOptions();

  /** A picocli command line set up for these flags, for Namud to print help and errors. */
  public static CommandLine commandLine() {
    return new CommandLine(new NamudCommandLine());
  }

  /**
   * Parses flags into a config.
   *
   * @throws IllegalArgumentException with a one-line message for a bad flag or value
   */
  public static ServerConfig parse(String... args) {
    CommandLine cl = commandLine();
    try {
      cl.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (cl.isUsageHelpRequested() || cl.isVersionHelpRequested()) {
      throw new IllegalArgumentException("--help and --version are for the command line only");
    }
    return ((NamudCommandLine) cl.getCommand()).toConfig();
  }

  /** The config file given with {@code --config}. */
  public Optional<Path> configFile() {
    return Optional.ofNullable(config);
  }

  /** {@code --check}: check, do not serve. */
  public boolean check() {
    return check;
  }

  /** {@code --json} (with {@code --check}). */
  public boolean json() {
    return json;
  }

  /** The config these parsed flags describe. */
  public ServerConfig toConfig() {
    if (json && !check) {
      throw new IllegalArgumentException("--json goes with --check");
    }
    List<ListenAddress> addresses =
        listen == null || listen.isEmpty()
            ? ServerConfig.DEFAULT_LISTEN
            : listen.stream().map(NamudCommandLine::listenAddress).toList();
    Optional<String> level = Optional.ofNullable(logLevel).map(l -> l.toUpperCase(Locale.ROOT));
    level.ifPresent(
        l -> {
          if (!LEVELS.contains(l)) {
            throw new IllegalArgumentException(
                "--log-level " + logLevel + ": use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
          }
        });
    Duration idle =
        tcpIdleSeconds == null ? TcpSettings.DEFAULT_IDLE_TIMEOUT : idleTimeout(tcpIdleSeconds);
    int maxConnections =
        tcpMaxConnections == null
            ? TcpSettings.DEFAULT_MAX_CONNECTIONS
            : within("--tcp-max-connections", tcpMaxConnections, 1, MAX_TCP_CONNECTIONS);
    int perClient =
        tcpMaxPerClient == null
            ? TcpSettings.DEFAULT_MAX_CONNECTIONS_PER_CLIENT
            : within("--tcp-max-connections-per-client", tcpMaxPerClient, 1, MAX_TCP_CONNECTIONS);
    int threadCount = threads == null ? 0 : within("--threads", threads, 0, MAX_THREADS);
    return new ServerConfig(
        addresses,
        listen != null && !listen.isEmpty(),
        Optional.ofNullable(zones),
        level,
        new TcpSettings(idle, maxConnections, perClient),
        threadCount,
        admin.toConfig(),
        recursion.toConfig(),
        metrics.toConfig(),
        queryLog.toConfig(),
        rateLimit.toConfig(),
        secondary.toConfig(), tls.toConfig(), transfers.toConfig(), views.toConfig());
  }

  private static ListenAddress listenAddress(String text) {
    try {
      return ListenAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--listen " + e.getMessage());
    }
  }

  /** Seconds, a plain decimal number ("10", "2.5"), within the bounds. */
  private static Duration idleTimeout(String text) {
    BigDecimal seconds;
    try {
      // BigDecimal also reads "1e3"; NaN and Infinity it refuses
      seconds = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--tcp-idle-timeout " + text + ": not a number of seconds (like 10 or 2.5)");
    }
    if (seconds.compareTo(MIN_IDLE_SECONDS) < 0 || seconds.compareTo(MAX_IDLE_SECONDS) > 0) {
      throw new IllegalArgumentException(
          "--tcp-idle-timeout " + text + ": must be 0.1 to 3600 seconds");
    }
    return Duration.ofMillis(seconds.movePointRight(3).longValue());
  }

  private static int within(String flag, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(flag + " " + value + ": must be " + min + " to " + max);
    }
    return value;
  }

  /** The version from the build, in {@code dev/namu/server/version.properties}. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"namud " + version()};
    }

    public static String version() {
      try (InputStream in = NamudCommandLine.class.getResourceAsStream("/dev/namu/server/version.properties")) {
        if (in == null) {
          return "unknown";
        }
        Properties p = new Properties();
        p.load(in);
        return p.getProperty("version", "unknown");
      } catch (IOException e) {
        return "unknown";
      }
    }
  }
}
