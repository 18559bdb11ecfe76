package dev.namu.server.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An outside tool (dig, nsupdate, dnssec-verify...) run to its end: how it exited and what it
 * printed, standard output and error together in the order it wrote them.
 */
public record ToolRun(int exit, String out) {

  private static final long LIMIT_SECONDS = 60;

  /** Runs the command with nothing on its standard input. */
  public static ToolRun of(String... cmd) throws IOException, InterruptedException {
    return of(List.of(cmd), null);
  }

  /**
   * Runs the command with {@code input} (or nothing) on its standard input.
   *
   * @throws AssertionError when it is still running after a minute (it is killed)
   */
  public static ToolRun of(List<String> cmd, String input) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (OutputStream stdin = p.getOutputStream()) {
      if (input != null) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after " + LIMIT_SECONDS + " s: " + cmd);
    }
    return new ToolRun(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
