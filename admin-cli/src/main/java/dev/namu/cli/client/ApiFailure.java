package dev.namu.cli.client;

import java.util.List;

/**
 * The server refused a request or could not be reached; namuctl reports it and exits 1 (2 when a
 * setting namuctl was given is unusable, as for a bad flag). The code is the server's error code
 * ({@code not_found}, {@code bad_request}...), or namuctl's own when the request never got an answer
 * ({@code unreachable}, {@code no_token}, {@code bad_config}...).
 */
public final class ApiFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  static final String FAILED = "failed";
  /** Exit code of a failed command. */
  public static final int EXIT_FAILED = 1;
  /** Exit code of unusable input, as picocli gives a bad flag (CommandLine.ExitCode.USAGE). */
  public static final int EXIT_USAGE = 2;
  private final String code;
  private final transient List<String> problems;
  private final int exitCode;

  public ApiFailure(String code, String message, List<String> problems, int exitCode) {
    super(message, null, false, false);
    this.code = code;
    this.problems = List.copyOf(problems);
    this.exitCode = exitCode;
  }

  public ApiFailure(String code, String message, List<String> problems) {
    this(code, message, problems, EXIT_FAILED);
  }

  public ApiFailure(String code, String message) {
    this(code, message, List.of());
  }

  /** A failure of namuctl's own (a file it cannot read, say): code {@code failed}. */
  public ApiFailure(String message, List<String> problems) {
    this(FAILED, message, problems);
  }

  public ApiFailure(String message) {
    this(FAILED, message, List.of());
  }

  public String code() {
    return code;
  }

  public List<String> problems() {
    return problems;
  }

  public int exitCode() {
    return exitCode;
  }
}
