package dev.namu.server.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer daemon (pebble, Kea's D2) run for the length of a test, its output in a log file that the
 * test waits on: the daemon says when it is ready and what became of each request, so the test
 * awaits those lines, each wait bounded, instead of sleeping.
 */
public final class LoggedProcess implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(50);

  private final Process process;
  private final Path log;

  private LoggedProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} with {@code env} added to the test's environment; output goes to {@code log}. */
  public static LoggedProcess start(List<String> command, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return new LoggedProcess(builder.start(), log);
  }

  /**
   * The first match of {@code pattern} in the log at or after character {@code from}; fails when it
   * has not appeared within {@code limit} or the process ended without writing it.
   */
  public Matcher await(Pattern pattern, int from, Duration limit) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      boolean ended = !process.isAlive();
      String text = text();
      Matcher m = pattern.matcher(text);
      if (text.length() > from && m.find(from)) {
        return m;
      }
      if (ended || System.nanoTime() > deadline) {
        throw new AssertionError((ended ? "exited (" + process.exitValue() + ")" : "still running after "
            + limit.toSeconds() + " s") + " without logging /" + pattern + "/; its log:\n" + text);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** Everything logged so far. */
  public String text() throws IOException {
    // a half-written multi-byte character at the end must not fail the read
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
