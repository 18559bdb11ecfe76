package dev.namu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One run of namuctl, as the tests make it: its exit code and what it printed. */
public record Run(int code, String out, String err) {

  /** namuctl through its entry point, in this JVM. */
  public static Run inProcess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  /**
   * namuctl as a separate JVM, the way a user or script runs it, in {@code dir}, with this JVM's
   * environment but for namuctl's own variables (NAMU_*, XDG_*), then {@code env}.
   */
  public static Run asProcess(Map<String, String> env, Path dir, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Namuctl.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("NAMU_") || k.startsWith("XDG_"));
    pb.environment().putAll(env);
    Path stderr = Files.createTempFile(dir, "namuctl", ".err");
    pb.redirectError(stderr.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("namuctl did not finish in 60 s");
    }
    String err = Files.readString(stderr, StandardCharsets.UTF_8);
    Files.delete(stderr);
    return new Run(p.exitValue(), out, err);
  }
}
