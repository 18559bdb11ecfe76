package dev.namu.cli.client;

import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * namuctl's global options: where namud's API is, how to authenticate, and {@code --json}. They are
 * inherited by every command, so a script may write them before the command or after it.
 *
 * <p>Each setting comes from the first of: its flag, its environment variable, the settings file
 * ({@link SettingsFile}), the default. The token's default is the file {@code api-token} in the data
 * directory namud created it in ({@code --data}, default ./data); {@code --data} given on the command
 * line is a flag too, and beats the settings file.
 */
public final class ConnectionOptions {

  /** The name the top command mixes these options in under. */
  public static final String MIXIN = "connection";
  public static final String TOKEN_ENV = "NAMU_TOKEN";
  static final String SERVER_ENV = "NAMU_SERVER";
  static final URI DEFAULT_SERVER = URI.create("http://127.0.0.1:8053");
  private static final Path DEFAULT_DATA = Path.of("./data");

  @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:" + SERVER_ENV + "}", scope = ScopeType.INHERIT,
      converter = ServerUrlConverter.class,
      description = "namud admin API URL (default: env " + SERVER_ENV + ", else server: in the settings file,"
          + " else " + "http://127.0.0.1:8053).")
  URI server;

  @Option(names = "--data", paramLabel = "DIR", scope = ScopeType.INHERIT,
      description = "namud's data directory, to read the API token from (default: ./data).")
  Path data;

  @Option(names = "--token", paramLabel = "TOKEN", scope = ScopeType.INHERIT,
      description = "API token (default: env " + TOKEN_ENV + ", else DIR/api-token when --data is given, else"
          + " token: or token-file: in the settings file, else ./data/api-token).")
  String token;

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Settings file (default: the first of $XDG_CONFIG_HOME/namu/namuctl.yaml,"
          + " ~/.config/namu/namuctl.yaml and /etc/namu/namuctl.yaml that exists).")
  Path config;

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Print the server's JSON instead of a table, for scripts.")
  boolean json;

  public boolean json() {
    return json;
  }

  /** The client, or a failure that says which setting is wrong or how to supply the token. */
  public ApiClient client() {
    Token flagOrEnv = Token.fromFlagOrEnv(token, System.getenv(TOKEN_ENV), data);
    SettingsFile settings = server != null && flagOrEnv != null ? SettingsFile.NONE : SettingsFile.find(config);
    URI url = server != null ? server : settings.server().orElse(DEFAULT_SERVER);
    Token how = flagOrEnv != null ? flagOrEnv : settings.token().orElse(Token.inData(DEFAULT_DATA));
    return new ApiClient(url, how.read());
  }
}
