package dev.namu.cli.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where namuctl's API token comes from: a value given as such ({@code --token}, NAMU_TOKEN, {@code
 * token:} in the settings file) or a file holding it (namud's {@code DATA/api-token}, {@code
 * token-file:}). Read only when a request is made; a token that cannot be had is a failure that says
 * how to supply one.
 *
 * @param value the token, or null when it is in {@code file}
 * @param file the file that holds it, when {@code value} is null
 * @param dataDir the data directory {@code file} is in, when it is namud's api-token; else null
 * @param from where the token was found, for messages
 */
record Token(String value, Path file, Path dataDir, String from) {

  private static final String NO_TOKEN = "no_token";
  private static final String HOW = "; pass --data DIR (namud's data directory), --token TOKEN or set "
      + ConnectionOptions.TOKEN_ENV;

  static Token given(String value, String from) {
    return new Token(value, null, null, from);
  }

  static Token inFile(Path file, String from) {
    return new Token(null, file, null, from);
  }

  static Token inData(Path dataDir) {
    Path file = dataDir.resolve("api-token");
    return new Token(null, file, dataDir, file.toString());
  }

  /** From {@code --token}, NAMU_TOKEN or {@code --data}, in that order; null when none of them is given. */
  static Token fromFlagOrEnv(String flag, String env, Path dataFlag) {
    if (flag != null && !flag.isBlank()) {
      return given(flag, "--token");
    }
    if (env != null && !env.isBlank()) {
      return given(env, ConnectionOptions.TOKEN_ENV);
    }
    return dataFlag == null ? null : inData(dataFlag);
  }

  /** The token, checked; a failure that says how to supply one when it cannot be had. */
  String read() {
    if (value != null) {
      return checked(value.trim());
    }
    if (dataDir != null && !Files.isDirectory(dataDir)) {
      throw new ApiFailure(NO_TOKEN, "no API token: the data directory " + dataDir
          + " does not exist or is not a directory" + HOW);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new ApiFailure(NO_TOKEN, "no API token: cannot read " + where() + " (" + e.getClass().getSimpleName()
          + ")" + HOW);
    }
    if (text.isEmpty()) {
      throw new ApiFailure(NO_TOKEN, "no API token: " + where() + " is empty" + HOW);
    }
    return checked(text);
  }

  private String where() {
    return dataDir != null ? file.toString() : file + " (" + from + ")";
  }

  /** The token goes in an HTTP header: visible ASCII only, or the request could not even be built. */
  private String checked(String token) {
    if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new ApiFailure(NO_TOKEN, "the API token from " + from
          + " has spaces, control or non-ASCII characters; namud's tokens have none");
    }
    return token;
  }
}
