package dev.namu.server.live;

import dev.namu.server.Namud;
import dev.namu.server.ToolPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** namud as its own JVM on loopback ports, with its DNS and API ports read from its log. */
final class NamudProcess implements AutoCloseable {

  private static final Pattern SERVING = Pattern.compile("namud serving .* on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern API = Pattern.compile("admin API listening on http://127\\.0\\.0\\.1:(\\d+)/");

  final Process process;
  final Path log;
  final int dnsPort;
  final int apiPort;

  private NamudProcess(Process process, Path log, int dnsPort, int apiPort) {
    this.process = process;
    this.log = log;
    this.dnsPort = dnsPort;
    this.apiPort = apiPort;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String classpath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  /**
   * The class path without the test classes: namud then logs as it does for a user, through its own
   * log configuration rather than the tests' logback-test.xml.
   */
  static String mainClasspath() {
    return java.util.Arrays.stream(classpath().split(java.io.File.pathSeparator))
        .filter(entry -> !Path.of(entry).endsWith("test-classes"))
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }

  /**
   * Starts namud with --data DATA, DNS on a free loopback port that dig can never be handed (see
   * {@link ToolPorts}), the API on an ephemeral one, plus {@code extra} flags.
   */
  static NamudProcess start(Path data, Path logFile, String... extra) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", mainClasspath(),
        Namud.class.getName(), "--listen", ToolPorts.listen(), "--data", data.toString(), "--api", "127.0.0.1:0", "--no-metrics", "--no-recursion"));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String out = Files.readString(logFile, StandardCharsets.UTF_8);
      Matcher dns = SERVING.matcher(out);
      Matcher api = API.matcher(out);
      if (dns.find() && api.find()) {
        return new NamudProcess(p, logFile, Integer.parseInt(dns.group(1)), Integer.parseInt(api.group(1)));
      }
      if (!p.isAlive()) {
        throw new IllegalStateException("namud exited early (" + p.exitValue() + "): " + out);
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new IllegalStateException("namud did not start: " + Files.readString(logFile));
  }

  InetSocketAddress dns() {
    return new InetSocketAddress("127.0.0.1", dnsPort);
  }

  String apiUrl() {
    return "http://127.0.0.1:" + apiPort;
  }

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** SIGKILL: no shutdown hook, no store close. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
