package dev.namu.resolver.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs every .rpl scenario of a directory and prints PASS/FAIL per file and "k of n pass".
 *
 * <pre>mvn -q -pl resolver exec:java -Dexec.args=../shared/conformance/unbound-iter</pre>
 * (from the repository root; the exec plugin's main class is this one). Exit status 0 always
 * when the directory was read: conformance is a report, not a gate.
 */
public final class ReplayMain {
  private ReplayMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ReplayMain DIR_OF_RPL_FILES");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    if (Files.isRegularFile(dir)) {
      ReplayResult r = ReplayRunner.run(dir);
      System.out.println((r.passed() ? "PASS " : "FAIL ") + r.scenario() + "  " + r.reason());
      return;
    }
    if (!Files.isDirectory(dir)) {
      System.err.println("not a directory: " + dir.toAbsolutePath());
      System.exit(2);
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".rpl")).sorted().toList();
    }
    int pass = 0;
    for (Path f : files) {
      ReplayResult r = ReplayRunner.run(f);
      if (r.passed()) pass++;
      System.out.println((r.passed() ? "PASS " : "FAIL ") + r.scenario() + (r.passed() ? "" : "  " + r.reason()));
    }
    System.out.println(pass + " of " + files.size() + " pass");
  }
}
