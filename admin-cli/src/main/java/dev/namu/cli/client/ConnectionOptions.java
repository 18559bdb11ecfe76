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
  private static final String NO_TOKEN = "no_token";

  @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:NAMU_SERVER:-http://127.0.0.1:8053}",
      converter = ServerUrlConverter.class, description = "namud admin API URL (default: ${DEFAULT-VALUE}; env NAMU_SERVER).")
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
      return checked(token.trim(), "--token");
    }
    String env = System.getenv(TOKEN_ENV);
    if (env != null && !env.isBlank()) {
      return checked(env.trim(), TOKEN_ENV);
    }
    Path file = data.resolve("api-token");
    String how = "; pass --data DIR (namud's data directory), --token TOKEN or set " + TOKEN_ENV;
    if (!Files.isDirectory(data)) {
      throw new ApiFailure(NO_TOKEN, "no API token: the data directory " + data + " does not exist or is not a directory" + how);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new ApiFailure(NO_TOKEN, "no API token: cannot read " + file + " (" + e.getClass().getSimpleName()
          + ")" + how);
    }
    if (text.isEmpty()) {
      throw new ApiFailure(NO_TOKEN, "no API token: " + file + " is empty" + how);
    }
    return checked(text, file.toString());
  }

  /** The token goes in an HTTP header: visible ASCII only, or the request could not even be built. */
  private static String checked(String value, String from) {
    if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new ApiFailure(NO_TOKEN, "the API token from " + from
          + " has spaces, control or non-ASCII characters; namud's tokens have none");
    }
    return value;
  }
}
