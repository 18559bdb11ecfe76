package dev.namu.cli.client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where namud's API is and how to authenticate, shared by every command that talks to the server.
 * The token comes from {@code --token}, else the NAMU_TOKEN environment variable, else the file
 * {@code api-token} in the data directory namud created it in ({@code --data}, default ./data).
 */
public final class ConnectionOptions {

  public static final String TOKEN_ENV = "NAMU_TOKEN";

  @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:NAMU_SERVER:-http://127.0.0.1:8053}",
      description = "namud admin API URL (default: ${DEFAULT-VALUE}; env NAMU_SERVER).")
  URI server;

  @Option(names = "--data", paramLabel = "DIR", defaultValue = "./data",
      description = "namud's data directory, to read the API token from (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "API token (default: env " + TOKEN_ENV + ", else DIR/api-token).")
  String token;

  @Option(names = "--json", description = "Print the server's JSON instead of a table, for scripts.")
  boolean json;

  public boolean json() {
    return json;
  }

  /** The client, or a failure that says how to supply the token. */
  public ApiClient client() {
    return new ApiClient(server, resolveToken());
  }

  private String resolveToken() {
    if (token != null && !token.isBlank()) {
      return token.trim();
    }
    String env = System.getenv(TOKEN_ENV);
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    Path file = data.resolve("api-token");
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new ApiFailure("no API token: cannot read " + file + " (" + e.getClass().getSimpleName()
          + "); pass --data DIR (namud's data directory), --token TOKEN or set " + TOKEN_ENV);
    }
  }
}
