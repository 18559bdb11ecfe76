package dev.namu.cli.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.cli.Namuctl;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZoneCheckCommandTest {

  /** One run of namuctl: exit code and what it printed. */
  record Run(int code, String out, String err) {}

  static Run inProcess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Namuctl.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** namuctl as a separate JVM, the way a user or script runs it. */
  static Run asProcess(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Namuctl.class.getName());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("namuctl did not finish in 60 s");
    }
    return new Run(p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
        new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  static Path resource(String name) {
    try {
      return Path.of(ZoneCheckCommandTest.class.getResource("/zones/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void goodZoneExitsZeroWithSummary() {
    Run r = inProcess("zone", "check", resource("home.lan.zone").toString());
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith("zone home.lan. is ok: serial 2026010101, "), r::toString);
    assertEquals("", r.err());
  }

  @Test
  void badZonePrintsEachProblemWithFileAndLineThenExitsOne() {
    Path file = resource("syntax.test.zone");
    Run r = inProcess("zone", "check", file.toString());
    assertEquals(1, r.code(), r::toString);
    String[] lines = r.out().split("\n");
    assertEquals(6, lines.length, r::toString);
    int[] expectedLines = {5, 6, 8, 9, 10};
    for (int i = 0; i < 5; i++) {
      assertTrue(lines[i].startsWith(file + ":" + expectedLines[i] + ": "), lines[i]);
    }
    assertEquals("zone syntax.test. has 5 problems; namud would not serve it", lines[5]);
  }

  @Test
  void validationProblemsAreInFileOrder(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("v.test.zone"),
        "$TTL 1\n@ SOA ns h 1 2 3 4 5\n NS ns\nns A 10.0.0.1\nz CNAME ns\nz TXT \"x\"\n"
            + "out.example. A 10.0.0.1\nsub NS ns.sub\n");
    Run r = inProcess("zone", "check", f.toString());
    assertEquals(1, r.code());
    String[] lines = r.out().split("\n");
    assertTrue(lines[0].startsWith(f + ":5: "), r::toString);
    assertTrue(lines[1].startsWith(f + ":7: "), r::toString);
    assertTrue(lines[2].startsWith(f + ":8: "), r::toString);
  }

  @Test
  void originOptionOverridesTheFileName(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("anything.txt"),
        "$TTL 1\n@ SOA ns h 7 2 3 4 5\n NS ns\nns A 10.0.0.1\n");
    Run r = inProcess("zone", "check", "--origin", "example.org", f.toString());
    assertEquals(0, r.code(), r::toString);
    assertTrue(r.out().startsWith("zone example.org. is ok: serial 7"), r::toString);
    Run noOrigin = inProcess("zone", "check", f.toString());
    assertEquals(2, noOrigin.code());
    assertTrue(noOrigin.err().contains("give --origin NAME"), noOrigin::toString);
  }

  @Test
  void missingFileIsAProblemNotACrash(@TempDir Path dir) {
    Path f = dir.resolve("gone.zone");
    Run r = inProcess("zone", "check", f.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().startsWith(f + ":0: cannot read zone file: no such file"), r::toString);
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, inProcess().code());
    assertEquals(2, inProcess("zone").code());
    assertEquals(2, inProcess("zone", "check").code());
    assertEquals(2, inProcess("zone", "check", "--bogus", "x.zone").code());
    assertEquals(2, inProcess("zone", "check", "--origin", "a..b", "x.zone").code());
    assertEquals(2, inProcess("nosuch").code());
    Run help = inProcess("zone", "check", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("Usage: namuctl zone check"), help::toString);
  }

  @Test
  void runsAsARealProcess() throws Exception {
    Run good = asProcess("zone", "check", resource("home.lan.zone").toString());
    assertEquals(0, good.code(), good::toString);
    assertTrue(good.out().contains("zone home.lan. is ok"), good::toString);
    Path bad = resource("syntax.test.zone");
    Run r = asProcess("zone", "check", bad.toString());
    assertEquals(1, r.code(), r::toString);
    assertTrue(r.out().contains(bad + ":5: "), r::toString);
    assertTrue(r.err().isEmpty(), r::toString);
    Run usage = asProcess("zone", "check");
    assertEquals(2, usage.code(), usage::toString);
    assertTrue(usage.err().contains("Missing required parameter: 'FILE'"), usage::toString);
  }

  @Test
  void warningsArePrintedButTheZoneIsGood(@TempDir Path dir) throws IOException {
    Path f = Files.writeString(dir.resolve("w.test.zone"),
        "$TTL 300\n@ SOA ns h 1 2 3 4 5\n NS ns\n MX 10 mail\nns A 10.0.0.1\n"
            + "mail CNAME ns\nt 100 A 10.0.0.2\nt 200 A 10.0.0.3\n");
    Run r = inProcess("zone", "check", f.toString());
    assertEquals(0, r.code(), r::toString);
    String[] lines = r.out().split("\n");
    assertEquals(3, lines.length, r::toString);
    assertTrue(lines[0].startsWith(f + ":4: warning: ") && lines[0].contains("RFC 2181 10.3"), r::toString);
    assertTrue(lines[1].startsWith(f + ":8: warning: ") && lines[1].contains("RFC 2181 5.2"), r::toString);
    assertTrue(lines[2].endsWith("(2 warnings)"), r::toString);
  }
}
