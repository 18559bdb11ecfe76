package dev.namu.server.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A unit's ExecStart run as systemd runs it, with standard output and error on a file that
 * {@code JOURNAL_STREAM} names as systemd names the journal's stream; ready once namud logs that it
 * serves on 127.0.0.1. Stopped by SIGTERM to its own PID, as {@code systemctl stop} does.
 */
final class ServiceRun implements AutoCloseable {

  private static final Pattern SERVING = Pattern.compile("namud serving \\d+ zone\\(s\\) on .*127\\.0\\.0\\.1:(\\d+)");
  /** A loaded 2-core machine may take this long to start a JVM and bind the sockets. */
  private static final long START_SECONDS = 120;

  private final Process process;
  private final Path log;
  private final int port;

  private ServiceRun(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts {@code command} with exactly {@code env}; {@code journal} sets JOURNAL_STREAM to the
   * device and inode of the log file (systemd.exec(5)), else to a stream that is not its output
   * (a variable inherited from elsewhere). Throws {@link EarlyExit} when the command ends first.
   */
  static ServiceRun start(List<String> command, Map<String, String> env, boolean journal, Path log)
      throws IOException, InterruptedException, EarlyExit {
    Files.deleteIfExists(log);
    Files.createFile(log);
    String stream = Files.getAttribute(log, "unix:dev") + ":" + Files.getAttribute(log, "unix:ino");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.environment().put("JOURNAL_STREAM", journal ? stream : "0:1");
    Process process = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < deadline) {
      Matcher serving = SERVING.matcher(Files.readString(log, StandardCharsets.UTF_8));
      if (serving.find()) {
        return new ServiceRun(process, log, Integer.parseInt(serving.group(1)));
      }
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        throw new EarlyExit(command + " exited " + process.exitValue() + " before serving:\n" + Files.readString(log));
      }
    }
    stop(process);
    throw new AssertionError(command + " did not serve within " + START_SECONDS + " s:\n" + Files.readString(log));
  }

  int port() {
    return port;
  }

  /** The main process: the launcher execs java, so the PID systemd knows is namud's JVM. */
  long pid() {
    return process.pid();
  }

  /** Waits until namud's output contains {@code text}; fails if it exits first or takes too long. */
  void awaitOutput(String text) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (!output().contains(text)) {
      if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
        throw new AssertionError("namud exited " + process.exitValue() + " before logging '" + text + "':\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("namud did not log '" + text + "' within " + START_SECONDS + " s:\n" + output());
      }
    }
  }

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** Stops namud and returns its exit status (0 after SIGTERM, as the README says). */
  int stop() throws InterruptedException {
    return stop(process);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(process);
    }
  }

  private static int stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("namud (pid " + process.pid() + ") did not stop within 60 s of SIGTERM; killed");
    }
    return process.exitValue();
  }

  /** The command ended before it served: a port taken, say. */
  static final class EarlyExit extends Exception {
    EarlyExit(String message) {
      super(message);
    }
  }
}
